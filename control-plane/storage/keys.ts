// Helpers over the `/registry/<resource>/<namespace>/<name>` key space that both backends share.
import type { ErrorSubject } from '../../api/errors.js';

/**
 * The error subject for a storage key. The key names the resource (`pods`, `deployments.apps`), not the
 * kind, so `kind` carries the plural as upstream's qualified-resource errors do; the apiserver, which knows
 * the real kind, may re-wrap.
 */
export function subjectForKey(key: string, name?: string): ErrorSubject {
  const parts = key.split('/').filter((p) => p.length > 0);
  const resource = parts[0] === 'registry' ? (parts[1] ?? '') : (parts[0] ?? '');
  const dot = resource.indexOf('.');
  const last = name ?? parts[parts.length - 1] ?? '';
  if (dot < 0) return { kind: resource, name: last };
  return { kind: resource.slice(0, dot), group: resource.slice(dot + 1), name: last };
}

/**
 * The smallest string greater than every string starting with `prefix` (etcd's range_end for a prefix):
 * the prefix with its last code unit incremented. Keys are ASCII, so code-unit order equals byte order.
 */
export function prefixRangeEnd(prefix: string): string {
  if (prefix.length === 0) return '\uffff';
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

export function assertPrefix(prefix: string): void {
  if (!prefix.endsWith('/')) throw new Error(`storage prefix must end with '/': ${JSON.stringify(prefix)}`);
}

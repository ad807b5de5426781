// The Node half of upstream's NodeRestriction admission: a kubelet (user `system:node:<name>` in
// `system:nodes`) may write its own Node, but not in ways that would steer workloads to itself —
// it may not change its taints after registration (the node lifecycle controller and admins own
// them), nor set or change labels under node-restriction.kubernetes.io/, the prefix admins use to
// mark nodes for workloads that must land only where the node itself could not have claimed it.
// The NodeAuthorizer already keeps a node to its own Node object; this checks what it writes there.
import { isDeepStrictEqual } from 'node:util';
import { ForbiddenError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { nodeNameOf } from '../auth/index.js';
import type { UserInfo } from './security.js';

const restrictedLabelDomain = 'node-restriction.kubernetes.io';

function isNodesResource(r: Pick<ResourceInfo, 'group' | 'plural'>): boolean {
  return r.group === '' && r.plural === 'nodes';
}

/** Whether a label key is in the node-restriction.kubernetes.io domain (or one of its subdomains). */
export function isNodeRestrictionLabel(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const domain = key.slice(0, slash);
  return domain === restrictedLabelDomain || domain.endsWith(`.${restrictedLabelDomain}`);
}

/** Keys added, removed or changed in value between two label maps, sorted. */
export function modifiedLabelKeys(next: Record<string, string> | undefined, old: Record<string, string> | undefined): string[] {
  const a = next ?? {};
  const b = old ?? {};
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}

/** Upstream compares taints semantically: an absent list and an empty one are the same. */
function taintsOf(obj: KubeObject): unknown[] {
  const spec = obj.spec as { taints?: unknown } | undefined;
  return Array.isArray(spec?.taints) ? spec.taints : [];
}

function forbidden(name: string, reason: string): ForbiddenError {
  return new ForbiddenError(`nodes "${name}" is forbidden: ${reason}`, { kind: 'nodes', name });
}

/**
 * Checks a write to a Node by a node user; `old` is the stored object for updates (and the status
 * subresource), absent for creates. Throws 403 Forbidden as upstream; other users pass untouched.
 */
export function admitNodeRestriction(r: Pick<ResourceInfo, 'group' | 'plural'>, requester: UserInfo | undefined, obj: KubeObject, old?: KubeObject): void {
  if (!isNodesResource(r) || !requester) return;
  const nodeName = nodeNameOf(requester);
  if (nodeName === undefined) return;
  const name = obj.metadata.name ?? '';
  if (name !== nodeName) throw forbidden(name, `node "${nodeName}" is not allowed to modify node "${name}"`);
  if (!old) {
    // Registration may carry taints (--register-with-taints), but not restricted labels.
    const labels = modifiedLabelKeys(obj.metadata.labels, undefined).filter(isNodeRestrictionLabel);
    if (labels.length > 0) throw forbidden(name, `node "${nodeName}" is not allowed to set the following labels: ${labels.join(', ')}`);
    return;
  }
  if (!isDeepStrictEqual(taintsOf(obj), taintsOf(old))) throw forbidden(name, `node "${nodeName}" is not allowed to modify taints`);
  const labels = modifiedLabelKeys(obj.metadata.labels, old.metadata.labels).filter(isNodeRestrictionLabel);
  if (labels.length > 0) throw forbidden(name, `is not allowed to modify labels: ${labels.join(', ')}`);
}

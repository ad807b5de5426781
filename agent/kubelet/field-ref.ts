// The downward API: values of fieldRef and resourceFieldRef selectors, shared by env and downwardAPI volumes.
import { parseQuantity, type Container, type ObjectFieldSelector, type Pod, type ResourceFieldSelector } from '../../api/index.js';

/** What a fieldRef may read besides the pod itself. */
export interface FieldContext {
  podIP: string;
  hostIP: string;
}

function formatMap(m: Record<string, string> | undefined): string {
  // Upstream's fieldpath.FormatMap: sorted `key="value"` lines.
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/** The value of a fieldRef, or an error message for an unsupported path. */
export function fieldRefValue(pod: Pod, sel: ObjectFieldSelector, ctx: FieldContext): string {
  const path = sel.fieldPath;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) {
    const map = sub[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[sub[2]!] ?? '';
  }
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'metadata.labels': return formatMap(pod.metadata.labels);
    case 'metadata.annotations': return formatMap(pod.metadata.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP': return ctx.podIP;
    case 'status.podIPs': return ctx.podIP;
    case 'status.hostIP': return ctx.hostIP;
    case 'status.hostIPs': return ctx.hostIP;
    default: throw new Error(`unsupported fieldPath: ${path}`);
  }
}

/** The value of a resourceFieldRef: the container's limit (node allocatable when unset) or request, per divisor. */
export function resourceFieldRefValue(pod: Pod, sel: ResourceFieldSelector, defaultContainer: string, allocatable: Record<string, string>): string {
  const name = sel.containerName || defaultContainer;
  const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const c = all.find((x) => x.name === name);
  if (!c) throw new Error(`container ${name} not found`);
  const [kind, resource] = sel.resource.split(/\.(.+)/) as [string, string | undefined];
  if (!resource || (kind !== 'limits' && kind !== 'requests')) throw new Error(`unsupported resource ${sel.resource}`);
  const raw = (kind === 'limits' ? c.resources?.limits?.[resource] : c.resources?.requests?.[resource]) ?? (kind === 'limits' ? allocatable[resource] : undefined);
  const divisor = parseQuantity(String(sel.divisor ?? '1'));
  if (raw === undefined) return '0';
  const q = parseQuantity(String(raw));
  if (resource === 'cpu') return String(Math.ceil(q.milliValue() / Math.max(1, divisor.milliValue())));
  return String(Math.ceil(q.value() / Math.max(1, divisor.value())));
}

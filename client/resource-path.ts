// URL paths of the Kubernetes REST API: /api/v1/... for the core group, /apis/<group>/<version>/...
// otherwise, with /namespaces/<ns> for namespaced resources.
import type { ResourceInfo } from '../api/resources.js';

export interface PathParts {
  /** Unset for a namespaced resource means all namespaces (list/watch only). */
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string | undefined;
}

/** The path of a collection, an object, or an object's subresource. */
export function resourcePath(r: Pick<ResourceInfo, 'group' | 'version' | 'plural' | 'namespaced'>, parts: PathParts = {}): string {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && parts.namespace ? `/namespaces/${encodeURIComponent(parts.namespace)}` : '';
  if (parts.name === undefined) {
    if (parts.subresource) throw new Error(`subresource ${parts.subresource} needs an object name`);
    return `${root}${ns}/${r.plural}`;
  }
  if (r.namespaced && !parts.namespace) throw new Error(`${r.plural} "${parts.name}" needs a namespace`);
  const sub = parts.subresource ? `/${parts.subresource}` : '';
  return `${root}${ns}/${r.plural}/${encodeURIComponent(parts.name)}${sub}`;
}

// Turns a request path into what it addresses, as upstream's RequestInfoFactory does:
// /api/v1/namespaces/{ns}/{plural}/{name}/{subresource}, /apis/{group}/{version}/..., and the legacy
// /watch/ prefix. Unknown resources and shapes answer 404 here, before any handler runs.
import { NotFoundError } from '../../api/errors.js';
import { findResource, type ResourceInfo } from '../../api/resources.js';

export interface ResourceRequest {
  resource: ResourceInfo;
  /** Namespace from the path (for `namespaces/{name}` itself: the name, as upstream). */
  namespace?: string;
  name?: string;
  subresource?: string;
  /** True for the legacy `/watch/` path prefix. */
  watchPath: boolean;
}

/** Subresources of a namespace that must not be read as a resource inside it (upstream's list). */
const namespaceSubresources = new Set(['status', 'finalize']);

const notFound = (): NotFoundError =>
  new NotFoundError({}, 'the server could not find the requested resource');

/** Splits and decodes the path; a segment that decodes to something containing '/' is refused. */
export function pathSegments(path: string): string[] {
  const bare = path.split('?')[0] ?? '';
  const parts = bare.split('/').filter((p) => p !== '');
  return parts.map((p) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(p);
    } catch {
      throw notFound();
    }
    if (decoded.includes('/') || decoded.includes('\0')) throw notFound();
    return decoded;
  });
}

/** Resolves `/api/...` and `/apis/...` paths; throws NotFoundError for anything it does not serve. */
export function parseResourcePath(path: string): ResourceRequest {
  const parts = pathSegments(path);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    throw notFound();
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2] ?? '')) rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  if (!plural || extra.length > 0) throw notFound();
  const resource = findResource(group, version, plural);
  if (!resource) throw notFound();
  const isNamespaceItself = resource.plural === 'namespaces' && rest[0] === 'namespaces';
  if (!resource.namespaced && namespace !== undefined && !isNamespaceItself) throw notFound();
  if (isNamespaceItself) namespace = undefined;
  if (subresource !== undefined && !resource.subresources.includes(subresource)) throw notFound();
  if (watchPath && subresource !== undefined) throw notFound();
  return {
    resource,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    watchPath,
  };
}

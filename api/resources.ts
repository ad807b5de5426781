// The built-in resources Skiff serves: one table that discovery, routing, storage keys, OpenAPI and
// kubectl's short names all read, so adding a kind is one row here plus its types and validation.

export interface ResourceInfo {
  /** API group; '' is the core group served under /api/v1. */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural used in URLs and storage keys: `pods`, `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources served for this resource, without the parent: `status`, `scale`, `binding`, `log`. */
  subresources: string[];
  /** Verbs advertised in discovery for the main resource. */
  verbs: string[];
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const noCollectionDelete = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function resource(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<Pick<ResourceInfo, 'shortNames' | 'categories' | 'subresources' | 'verbs'>> = {},
): ResourceInfo {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: extra.shortNames ?? [],
    categories: extra.categories ?? [],
    subresources: extra.subresources ?? [],
    verbs: extra.verbs ?? allVerbs,
  };
}

export const builtinResources: readonly ResourceInfo[] = [
  resource('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
    verbs: noCollectionDelete,
  }),
  resource('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], subresources: ['status', 'proxy'] }),
  resource('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'binding', 'log', 'exec', 'attach', 'portforward', 'eviction'],
  }),
  resource('', 'v1', 'Service', 'services', true, {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
    verbs: noCollectionDelete,
  }),
  resource('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'] }),
  resource('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  resource('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  resource('', 'v1', 'Secret', 'secrets', true),
  resource('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  resource('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  resource('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  resource('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
  }),
  resource('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
  resource('batch', 'v1', 'Job', 'jobs', true, { categories: ['all'], subresources: ['status'] }),
  resource('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  resource('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  resource('events.k8s.io', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  resource('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  resource('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  resource('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  resource('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  // Subresources as upstream serves them: `status` for signers, `approval` for approvers (kubectl
  // certificate approve/deny PUTs .../approval).
  resource('certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', false, {
    shortNames: ['csr'],
    subresources: ['approval', 'status'],
  }),
];

/** `group/version`, or `v1` for the core group, as objects carry it in `apiVersion`. */
export function groupVersion(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return builtinResources.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** findResource for a row the caller knows is registered: throws (at module load, where it is used) if not. */
export function requireResource(group: string, version: string, plural: string): ResourceInfo {
  const r = findResource(group, version, plural);
  if (!r) throw new Error(`resource ${plural}.${group || 'core'}/${version} is not registered`);
  return r;
}

export function findResourceByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return builtinResources.find((r) => groupVersion(r) === apiVersion && r.kind === kind);
}

/**
 * The storage key of one object: `/registry/<group-qualified plural>/<namespace>/<name>`.
 * Core resources use the bare plural (`/registry/pods/default/web`); others add the group
 * (`/registry/deployments.apps/default/web`), so core and events.k8s.io Events stay apart.
 * Both Event resources share one key space, as upstream stores them once.
 */
export function storageKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${storagePrefix(r, namespace)}${name}`;
}

/** The key prefix of a collection: all namespaces when `namespace` is undefined. Always ends with '/'. */
export function storagePrefix(r: ResourceInfo, namespace?: string): string {
  const base = `/registry/${storageResource(r)}/`;
  if (!r.namespaced || namespace === undefined) return base;
  return `${base}${namespace}/`;
}

function storageResource(r: ResourceInfo): string {
  if (r.plural === 'events') return 'events';
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

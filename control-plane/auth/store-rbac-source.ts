// An RbacSource that reads the store directly, once the four RBAC kinds are rows of api/resources.ts.
// Every authorization lists the ClusterRoleBindings (a handful in Skiff); a watch-cache-backed source can
// replace this without touching the authorizer.
import { findResource, storageKey, storagePrefix, type ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/object.js';
import type { Store } from '../storage/store.js';
import { defaultRbacPolicy } from './default-rbac-policy.js';
import { staticRbacSource, type RbacSource } from './rbac-authorizer.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './rbac-types.js';

const rbacGroup = 'rbac.authorization.k8s.io';

/** Finds a registry row by plural; the registry by default, a synthetic table in tests. */
export type RbacResourceLookup = (plural: string) => ResourceInfo | undefined;

const registryLookup: RbacResourceLookup = (plural) => findResource(rbacGroup, 'v1', plural);

async function listAll<T extends KubeObject>(store: Store, prefix: string): Promise<T[]> {
  return (await store.list<T>(prefix)).items.map((i) => i.object);
}

/** RBAC objects from the store (keys per the registry). Throws on first use if the kinds are not registered. */
export function storeRbacSource(store: Store, lookup: RbacResourceLookup = registryLookup): RbacSource {
  const rbacResource = (plural: string): ResourceInfo => {
    const r = lookup(plural);
    if (!r) throw new Error(`the resource registry has no ${plural}.${rbacGroup}/v1: register the RBAC kinds first`);
    return r;
  };
  return {
    listClusterRoleBindings: () => listAll<ClusterRoleBinding>(store, storagePrefix(rbacResource('clusterrolebindings'))),
    listRoleBindings: (ns) => listAll<RoleBinding>(store, storagePrefix(rbacResource('rolebindings'), ns)),
    getClusterRole: async (name) => (await store.get<ClusterRole>(storageKey(rbacResource('clusterroles'), undefined, name)))?.object,
    getRole: async (ns, name) => (await store.get<Role>(storageKey(rbacResource('roles'), ns, name)))?.object,
  };
}

/**
 * The server's RbacSource: the store once the RBAC kinds are registered, else the default policy held in
 * memory (so authorization works, with the bootstrap rights only, before api/ registers the kinds).
 */
export function serverRbacSource(store: Store, lookup: RbacResourceLookup = registryLookup): RbacSource {
  const registered = ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'].every((p) => lookup(p) !== undefined);
  return registered ? storeRbacSource(store, lookup) : staticRbacSource(defaultRbacPolicy());
}

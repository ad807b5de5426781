// An RbacSource that keeps the four RBAC kinds in memory, fed by store watches (upstream's RBAC authorizer
// reads informer caches too), so an authorization costs no store read. Each kind lists once, then follows
// the watch from the list's revision; a broken watch (backend lost, history compacted) drops that kind's
// cache and lists again after a pause. While a kind is not cached, reads go to the store.
//
// A cache lags a write by the time the watch event takes to arrive. The server pairs this source with a
// store-backed one behind it (see the `skiff server` wiring): an allow from the cache is final, a request the
// cache does not allow is checked again against the store, so a binding just created is honoured at once.
import type { Logger } from 'pino';
import type { KubeObject } from '../../api/object.js';
import { findResource, storageKey, storagePrefix, type ResourceInfo } from '../../api/resources.js';
import type { Store, StoreWatch } from '../storage/store.js';
import type { RbacSource } from './rbac-authorizer.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './rbac-types.js';
import { storeRbacSource, type RbacResourceLookup } from './store-rbac-source.js';

const rbacGroup = 'rbac.authorization.k8s.io';
const resyncDelayMs = 1000;

/** One kind's objects by storage key, kept current by a watch. */
class KindCache<T extends KubeObject> {
  private objects: Map<string, T> | undefined;
  private watch: StoreWatch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
    private readonly logger: Logger | undefined,
  ) {}

  start(): void {
    void this.sync();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    this.watch = undefined;
    if (this.timer) clearTimeout(this.timer);
  }

  /** The cached objects, or undefined while the cache is not (or no longer) in sync. */
  items(): T[] | undefined {
    return this.objects ? [...this.objects.values()] : undefined;
  }

  get(key: string): T | undefined | 'not-cached' {
    return this.objects ? this.objects.get(key) : 'not-cached';
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    try {
      const list = await this.store.list<T>(this.prefix);
      if (this.stopped) return;
      const objects = new Map(list.items.map((i) => [i.key, i.object] as const));
      this.watch = this.store.watch<T>(this.prefix, { afterRevision: list.revision }, {
        onEvent: (e) => {
          if (e.type === 'DELETED') objects.delete(e.key);
          else objects.set(e.key, e.object);
        },
        onError: (err) => this.broken(err),
      });
      this.objects = objects;
    } catch (err) {
      this.broken(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private broken(err: Error): void {
    this.objects = undefined;
    this.watch?.stop();
    this.watch = undefined;
    if (this.stopped) return;
    this.logger?.warn({ err: err.message, prefix: this.prefix }, 'RBAC cache lost its watch; reading the store until it has resynced');
    this.timer = setTimeout(() => void this.sync(), resyncDelayMs);
    this.timer.unref();
  }
}

/** An RbacSource over watch-fed caches, with `stop()` to end the watches. */
export interface CachedRbacSource extends RbacSource {
  stop(): void;
}

const registryLookup: RbacResourceLookup = (plural) => findResource(rbacGroup, 'v1', plural);

/** Starts the caches at once; throws when the RBAC kinds are not registered (use serverRbacSource then). */
export function cachedRbacSource(store: Store, options: { logger?: Logger; lookup?: RbacResourceLookup } = {}): CachedRbacSource {
  const lookup = options.lookup ?? registryLookup;
  const row = (plural: string): ResourceInfo => {
    const r = lookup(plural);
    if (!r) throw new Error(`the resource registry has no ${plural}.${rbacGroup}/v1: register the RBAC kinds first`);
    return r;
  };
  const fallback = storeRbacSource(store, lookup);
  const roleRow = row('roles');
  const clusterRoleRow = row('clusterroles');
  const [roles, clusterRoles, roleBindings, clusterRoleBindings] = [
    new KindCache<Role>(store, storagePrefix(roleRow), options.logger),
    new KindCache<ClusterRole>(store, storagePrefix(clusterRoleRow), options.logger),
    new KindCache<RoleBinding>(store, storagePrefix(row('rolebindings')), options.logger),
    new KindCache<ClusterRoleBinding>(store, storagePrefix(row('clusterrolebindings')), options.logger),
  ] as const;
  const all = [roles, clusterRoles, roleBindings, clusterRoleBindings];
  for (const c of all) c.start();
  return {
    listClusterRoleBindings: () => {
      const items = clusterRoleBindings.items();
      return items ? Promise.resolve(items) : fallback.listClusterRoleBindings();
    },
    listRoleBindings: (ns) => {
      const items = roleBindings.items();
      return items ? Promise.resolve(items.filter((b) => b.metadata.namespace === ns)) : fallback.listRoleBindings(ns);
    },
    getClusterRole: (name) => {
      const hit = clusterRoles.get(storageKey(clusterRoleRow, undefined, name));
      return hit === 'not-cached' ? fallback.getClusterRole(name) : Promise.resolve(hit);
    },
    getRole: (ns, name) => {
      const hit = roles.get(storageKey(roleRow, ns, name));
      return hit === 'not-cached' ? fallback.getRole(ns, name) : Promise.resolve(hit);
    },
    stop: () => {
      for (const c of all) c.stop();
    },
  };
}

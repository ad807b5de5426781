// The control plane's storage room: one `Store` seam, two backends, and the compactor that bounds history.
import { EtcdStore } from './etcd-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** The storage seam and its value types (see store.ts for the revision model). */
export type {
  ListOptions,
  ListResult,
  Store,
  StoredObject,
  StoreEvent,
  StoreEventType,
  StoreWatch,
  StoreWatchHandlers,
  WatchOptions,
} from './store.js';

/** Embedded backend: an append-only log in `<dataDir>/skiff.db` (WAL, fsync per group commit). */
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

/** Distributed backend: a real etcd v3 cluster, keys as given (optionally under a prefix). */
export { EtcdStore, type EtcdStoreOptions } from './etcd-store.js';

/** Compacts any Store to the revision seen one interval earlier (default every 5 minutes). */
export { Compactor, defaultCompactionIntervalMs, type CompactorOptions } from './compactor.js';

/** Where the control plane keeps its state: a local data dir (SQLite) or an etcd cluster. */
export type StoreOptions = { dataDir: string } | { etcdEndpoints: string[]; prefix?: string };

/** Opens the backend the options name. The caller owns the store and must `close()` it. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if ('dataDir' in options) return new SqliteStore({ dataDir: options.dataDir });
  return EtcdStore.open({ endpoints: options.etcdEndpoints, ...(options.prefix !== undefined ? { prefix: options.prefix } : {}) });
}

// The one storage seam of the control plane. Two backends implement it (SQLite embedded, etcd v3) and
// pass the same contract suite (test/integration/storage-contract.ts).
//
// Revisions: every write gets the next value of one global, monotonic counter (etcd's model). An object's
// `metadata.resourceVersion` is the decimal string of the revision of its last write; the store stamps it
// on every object it returns, and never trusts the one a caller passes in.
import type { KubeObject } from '../../api/object.js';

export interface StoredObject<T extends KubeObject = KubeObject> {
  key: string;
  object: T;
  /** Revision of the last write of this key (= Number(object.metadata.resourceVersion)). */
  modRevision: number;
  /** Revision at which this key was created. */
  createRevision: number;
}

export interface ListOptions {
  /** At most this many items (0 or undefined: all). */
  limit?: number;
  /** Start after this key (exclusive); the apiserver encodes it in its `continue` token. */
  startAfterKey?: string;
  /**
   * Read the collection as it was at this revision (a consistent snapshot across pages).
   * Throws ExpiredError when the revision has been compacted.
   */
  atRevision?: number;
}

export interface ListResult<T extends KubeObject = KubeObject> {
  items: StoredObject<T>[];
  /** The revision the list reflects: the store's current revision, or `atRevision` when given. */
  revision: number;
  /** True when more items remain after the last one returned. */
  more: boolean;
  /** How many items remain after this page when `more` is true (may be an estimate). */
  remaining?: number;
}

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent<T extends KubeObject = KubeObject> {
  type: StoreEventType;
  key: string;
  /** The object after the write; for DELETED, its last state with resourceVersion = the delete's revision. */
  object: T;
  /** The object before the write (undefined for ADDED). Lets a selector-filtered watch see objects leave it. */
  prevObject?: T;
  revision: number;
}

export interface WatchOptions {
  /**
   * Deliver every event with revision > `afterRevision`, in revision order, then follow live.
   * Throws ExpiredError (synchronously, from `watch`) when `afterRevision` < the compacted revision.
   */
  afterRevision: number;
}

export interface StoreWatch {
  /** Stops delivery; idempotent. */
  stop(): void;
}

export interface StoreWatchHandlers<T extends KubeObject = KubeObject> {
  onEvent(event: StoreEvent<T>): void;
  /** Called once if the watch can no longer continue (e.g. the backend lost its stream); no more events follow. */
  onError(err: Error): void;
}

export interface Store {
  /** Undefined when the key does not exist. */
  get<T extends KubeObject>(key: string): Promise<StoredObject<T> | undefined>;

  /** All keys under `prefix` (which ends with '/'), in key order. */
  list<T extends KubeObject>(prefix: string, options?: ListOptions): Promise<ListResult<T>>;

  /** Throws AlreadyExistsError when the key exists. Returns the stored object with its new resourceVersion. */
  create<T extends KubeObject>(key: string, object: T): Promise<StoredObject<T>>;

  /**
   * Compare-and-swap: writes only when the key's current modRevision equals `expectedRevision`.
   * Throws NotFoundError when the key is missing and ConflictError when the revision differs.
   */
  update<T extends KubeObject>(key: string, object: T, expectedRevision: number): Promise<StoredObject<T>>;

  /**
   * Deletes the key; with `expectedRevision`, only if it still matches (ConflictError otherwise).
   * Throws NotFoundError when missing. Returns the deleted object stamped with the delete's revision.
   */
  delete<T extends KubeObject>(key: string, expectedRevision?: number): Promise<StoredObject<T>>;

  /** Streams changes under `prefix`. See WatchOptions for the start point and the compaction error. */
  watch<T extends KubeObject>(prefix: string, options: WatchOptions, handlers: StoreWatchHandlers<T>): StoreWatch;

  /** The revision of the last write in the whole store. */
  currentRevision(): Promise<number>;

  /** The oldest revision a watch or list may still start from (everything at or below it is gone). */
  compactedRevision(): Promise<number>;

  /** Drops history at or below `revision`, keeping the latest state of every key. */
  compact(revision: number): Promise<void>;

  close(): Promise<void>;
}

// A tiny in-memory Store for unit tests of apiserver logic: revisions, CAS and prefix lists like the
// real backends, watch with live events only (no history, no compaction).
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ListOptions, ListResult, Store, StoredObject, StoreEvent, StoreWatch, StoreWatchHandlers, WatchOptions } from '../../control-plane/storage/store.js';

export class MemoryStore implements Store {
  private readonly data = new Map<string, StoredObject>();
  private readonly watchers = new Set<{ prefix: string; handlers: StoreWatchHandlers }>();
  private revision = 0;

  private stamp<T extends KubeObject>(key: string, object: T, createRevision: number): StoredObject<T> {
    this.revision++;
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(this.revision);
    return { key, object: stored, modRevision: this.revision, createRevision: createRevision || this.revision };
  }

  private emit(event: StoreEvent): void {
    for (const w of this.watchers) if (event.key.startsWith(w.prefix)) w.handlers.onEvent(structuredClone(event));
  }

  async get<T extends KubeObject>(key: string): Promise<StoredObject<T> | undefined> {
    const found = this.data.get(key);
    return found ? (structuredClone(found) as StoredObject<T>) : undefined;
  }

  async list<T extends KubeObject>(prefix: string, options: ListOptions = {}): Promise<ListResult<T>> {
    const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix) && (!options.startAfterKey || k > options.startAfterKey)).sort();
    const limit = options.limit && options.limit > 0 ? options.limit : keys.length;
    const items = keys.slice(0, limit).map((k) => structuredClone(this.data.get(k)) as StoredObject<T>);
    return { items, revision: this.revision, more: keys.length > limit, remaining: Math.max(0, keys.length - limit) };
  }

  async create<T extends KubeObject>(key: string, object: T): Promise<StoredObject<T>> {
    if (this.data.has(key)) throw new AlreadyExistsError({ kind: 'key', name: key });
    const stored = this.stamp(key, object, 0);
    this.data.set(key, stored);
    this.emit({ type: 'ADDED', key, object: stored.object, revision: stored.modRevision });
    return structuredClone(stored);
  }

  async update<T extends KubeObject>(key: string, object: T, expectedRevision: number): Promise<StoredObject<T>> {
    const current = this.data.get(key);
    if (!current) throw new NotFoundError({ kind: 'key', name: key });
    if (current.modRevision !== expectedRevision) throw new ConflictError({ kind: 'key', name: key });
    const stored = this.stamp(key, object, current.createRevision);
    this.data.set(key, stored);
    this.emit({ type: 'MODIFIED', key, object: stored.object, prevObject: current.object, revision: stored.modRevision });
    return structuredClone(stored);
  }

  async delete<T extends KubeObject>(key: string, expectedRevision?: number): Promise<StoredObject<T>> {
    const current = this.data.get(key);
    if (!current) throw new NotFoundError({ kind: 'key', name: key });
    if (expectedRevision !== undefined && current.modRevision !== expectedRevision) throw new ConflictError({ kind: 'key', name: key });
    this.data.delete(key);
    const stored = this.stamp(key, current.object, current.createRevision);
    this.emit({ type: 'DELETED', key, object: stored.object, prevObject: current.object, revision: stored.modRevision });
    return structuredClone(stored) as StoredObject<T>;
  }

  watch<T extends KubeObject>(prefix: string, _options: WatchOptions, handlers: StoreWatchHandlers<T>): StoreWatch {
    const entry = { prefix, handlers: handlers as StoreWatchHandlers };
    this.watchers.add(entry);
    return { stop: () => this.watchers.delete(entry) };
  }

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    return 0;
  }

  async compact(): Promise<void> {}

  async close(): Promise<void> {
    this.watchers.clear();
  }
}

// The distributed backend: etcd v3 through the `etcd3` client. Revisions are etcd's own (global and
// monotonic), every write is a single-key transaction guarded by create_revision / mod_revision, and watches
// are etcd watches with prev_kv so DELETED events carry the object's last state.
//
// etcd does not say how far it has been compacted, so, as upstream's apiserver does, compaction also records
// its revision under `compact_rev_key` (outside /registry/, so watchers of the registry never see it). The
// store reads it at open and after each compaction, which lets watch() throw ExpiredError synchronously.
import etcd3 from 'etcd3';
import type { Etcd3 as Etcd3Client, IEvent, IKeyValue, IRangeRequest, IRequestOp, ITxnResponse, KVClient, Watcher } from 'etcd3';
import { AlreadyExistsError, ConflictError, ExpiredError, NotFoundError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { assertPrefix, prefixRangeEnd, subjectForKey } from './keys.js';
import { decodeObject, encodeObject } from './object-codec.js';
import type {
  ListOptions,
  ListResult,
  Store,
  StoredObject,
  StoreEvent,
  StoreWatch,
  StoreWatchHandlers,
  WatchOptions,
} from './store.js';
import { WatchStream } from './watch-stream.js';

export interface EtcdStoreOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379`. */
  endpoints: string[];
  /** Prepended to every key, so several Skiff clusters (or tests) can share one etcd. Default ''. */
  prefix?: string;
}

const compactedMessage = 'required revision has been compacted';

export class EtcdStore implements Store {
  private readonly client: Etcd3Client;
  private readonly kv: KVClient;
  private readonly prefix: string;
  private readonly compactKey: string;
  private readonly watchers = new Set<WatchStream>();
  private compacted = 0;
  private closed = false;

  private constructor(options: EtcdStoreOptions) {
    this.client = new etcd3.Etcd3({ hosts: options.endpoints });
    this.kv = this.client.kv;
    this.prefix = options.prefix ?? '';
    this.compactKey = this.prefix ? `${this.prefix}/compact_rev_key` : 'compact_rev_key';
  }

  /** Connects and learns the compacted revision (so `watch` can reject expired revisions synchronously). */
  static async open(options: EtcdStoreOptions): Promise<EtcdStore> {
    const store = new EtcdStore(options);
    try {
      await store.compactedRevision();
    } catch (err) {
      store.client.close();
      throw err;
    }
    return store;
  }

  async get<T extends KubeObject>(key: string): Promise<StoredObject<T> | undefined> {
    this.assertOpen();
    const res = await this.call(() => this.kv.range({ key: this.bytes(key) }));
    const kv = res.kvs[0];
    return kv ? this.stored<T>(kv) : undefined;
  }

  async list<T extends KubeObject>(prefix: string, options: ListOptions = {}): Promise<ListResult<T>> {
    this.assertOpen();
    assertPrefix(prefix);
    const atRevision = options.atRevision && options.atRevision > 0 ? options.atRevision : 0;
    if (atRevision > 0 && atRevision < this.compacted) throw expired(atRevision, this.compacted);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const after = options.startAfterKey;
    // '\0' is the smallest byte, so key + '\0' is the first key strictly after `startAfterKey`.
    const start = after !== undefined && after >= prefix ? `${after}\0` : prefix;
    const req: IRangeRequest = {
      key: this.bytes(start),
      range_end: this.bytes(prefixRangeEnd(prefix)),
      limit,
      revision: atRevision,
    };
    const res = await this.call(() => this.kv.range(req));
    const items = res.kvs.map((kv) => this.stored<T>(kv));
    const revision = atRevision || Number(res.header.revision);
    if (!res.more) return { items, revision, more: false };
    return { items, revision, more: true, remaining: Number(res.count) - items.length };
  }

  async create<T extends KubeObject>(key: string, object: T): Promise<StoredObject<T>> {
    this.assertOpen();
    const value = encodeObject(object);
    const k = this.bytes(key);
    const res = await this.txn([{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }], [
      { request_put: { key: k, value: Buffer.from(value) } },
    ]);
    if (!res.succeeded) throw new AlreadyExistsError(subjectForKey(key, object.metadata?.name));
    const revision = Number(res.header.revision);
    return { key, object: decodeObject<T>(value, revision), modRevision: revision, createRevision: revision };
  }

  async update<T extends KubeObject>(key: string, object: T, expectedRevision: number): Promise<StoredObject<T>> {
    this.assertOpen();
    const value = encodeObject(object);
    const k = this.bytes(key);
    const res = await this.txn(this.guard(k, expectedRevision), [
      { request_put: { key: k, value: Buffer.from(value), prev_kv: true } },
    ]);
    if (!res.succeeded) throw this.writeFailure(res, key, object.metadata?.name);
    const revision = Number(res.header.revision);
    const prev = res.responses[0]?.response_put?.prev_kv;
    const createRevision = prev ? Number(prev.create_revision) : revision;
    return { key, object: decodeObject<T>(value, revision), modRevision: revision, createRevision };
  }

  async delete<T extends KubeObject>(key: string, expectedRevision?: number): Promise<StoredObject<T>> {
    this.assertOpen();
    const k = this.bytes(key);
    const res = await this.txn(this.guard(k, expectedRevision), [
      { request_delete_range: { key: k, prev_kv: true } },
    ]);
    if (!res.succeeded) throw this.writeFailure(res, key);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!prev) throw new NotFoundError(subjectForKey(key));
    const revision = Number(res.header.revision);
    return {
      key,
      object: decodeObject<T>(prev.value.toString(), revision),
      modRevision: revision,
      createRevision: Number(prev.create_revision),
    };
  }

  watch<T extends KubeObject>(prefix: string, options: WatchOptions, handlers: StoreWatchHandlers<T>): StoreWatch {
    this.assertOpen();
    assertPrefix(prefix);
    if (options.afterRevision < this.compacted) throw expired(options.afterRevision, this.compacted);
    const watcher: Watcher = this.client
      .watch()
      .inRange({ start: this.bytes(prefix), end: this.bytes(prefixRangeEnd(prefix)) })
      .withPreviousKV()
      .startRevision(String(options.afterRevision + 1))
      .watcher();
    let canceledByServer = false;
    const stream: WatchStream<T> = new WatchStream<T>(prefix, options.afterRevision, handlers, () => {
      this.watchers.delete(stream as WatchStream);
      watcher.removeAllListeners('data');
      // etcd already dropped a watch it canceled; asking again would wait forever for its 'end'.
      if (canceledByServer) return;
      // A failed cancel means the stream is already gone, which is what we asked for.
      watcher.cancel().catch(() => {});
    });
    // etcd3 resumes a dropped stream from the last header revision it saw, which can skip events that were
    // still being replayed; resume from the last event we actually queued instead.
    const resumeFromQueued = (): void => {
      watcher.request.start_revision = String(stream.lastQueuedRevision + 1);
    };
    watcher.on('connected', resumeFromQueued);
    watcher.on('data', (res) => {
      for (const ev of res.events) stream.push(this.toEvent<T>(ev));
      resumeFromQueued();
    });
    watcher.on('error', (err) => {
      canceledByServer = true;
      stream.fail(this.watchError(err));
    });
    this.watchers.add(stream as WatchStream);
    return stream;
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    const res = await this.call(() => this.kv.range({ key: Buffer.from(this.compactKey), count_only: true }));
    return Number(res.header.revision);
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    const res = await this.call(() => this.kv.range({ key: Buffer.from(this.compactKey) }));
    const recorded = Number(res.kvs[0]?.value.toString() ?? '0');
    this.compacted = Math.max(this.compacted, Number.isFinite(recorded) ? recorded : 0);
    return this.compacted;
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (revision <= (await this.compactedRevision())) return;
    try {
      await this.kv.compact({ revision, physical: true });
    } catch (err) {
      // Someone (another apiserver, etcd's own auto-compaction) already compacted past it: nothing to do.
      if (!isCompacted(err)) throw err;
    }
    this.compacted = Math.max(this.compacted, revision);
    await this.kv.put({ key: Buffer.from(this.compactKey), value: Buffer.from(String(this.compacted)) });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.watchers]) w.stop();
    this.client.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('etcd store is closed');
  }

  private bytes(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  private unprefixed(key: Buffer): string {
    return key.toString().slice(this.prefix.length);
  }

  /** Exists (create_revision > 0) and, when asked, still at `expectedRevision`. */
  private guard(key: Buffer, expectedRevision: number | undefined): NonNullable<Parameters<KVClient['txn']>[0]['compare']> {
    const exists = { key, target: 'Create' as const, result: 'Greater' as const, create_revision: 0 };
    if (expectedRevision === undefined) return [exists];
    return [exists, { key, target: 'Mod' as const, result: 'Equal' as const, mod_revision: expectedRevision }];
  }

  private txn(compare: NonNullable<Parameters<KVClient['txn']>[0]['compare']>, success: IRequestOp[]): Promise<ITxnResponse> {
    const key = compare[0]?.key;
    return this.call(() => this.kv.txn({ compare, success, failure: [{ request_range: { key, keys_only: true } }] }));
  }

  /** NotFound when the failed guard's key is missing, Conflict when it exists at another revision. */
  private writeFailure(res: ITxnResponse, key: string, name?: string): Error {
    const found = (res.responses[0]?.response_range?.kvs.length ?? 0) > 0;
    return found ? new ConflictError(subjectForKey(key, name)) : new NotFoundError(subjectForKey(key, name));
  }

  private stored<T extends KubeObject>(kv: IKeyValue): StoredObject<T> {
    const modRevision = Number(kv.mod_revision);
    return {
      key: this.unprefixed(kv.key),
      object: decodeObject<T>(kv.value.toString(), modRevision),
      modRevision,
      createRevision: Number(kv.create_revision),
    };
  }

  private toEvent<T extends KubeObject>(ev: IEvent): StoreEvent<T> {
    const key = this.unprefixed(ev.kv.key);
    const revision = Number(ev.kv.mod_revision);
    const prev = ev.prev_kv;
    const prevObject = prev ? decodeObject<T>(prev.value.toString(), Number(prev.mod_revision)) : undefined;
    if (ev.type === 'Delete') {
      // Without prev_kv (its revision compacted away) the last state is unknown; name the object at least.
      const object = prev
        ? decodeObject<T>(prev.value.toString(), revision)
        : ({ metadata: { name: subjectForKey(key).name, resourceVersion: String(revision) } } as T);
      return { type: 'DELETED', key, object, revision, ...(prevObject ? { prevObject } : {}) };
    }
    const type = ev.kv.create_revision === ev.kv.mod_revision ? 'ADDED' : 'MODIFIED';
    const object = decodeObject<T>(ev.kv.value.toString(), revision);
    return { type, key, object, revision, ...(prevObject ? { prevObject } : {}) };
  }

  /**
   * etcd cancels a watch whose start revision was compacted with compact_revision set but (in 3.4) no
   * cancel_reason, and etcd3 only passes the reason on; an unexplained cancel is therefore a compaction.
   */
  private watchError(err: Error): Error {
    if (isCompacted(err) || /Watcher canceled:\s*$/.test(err.message)) {
      return new ExpiredError(`watch start revision has been compacted: ${err.message}`);
    }
    return err;
  }

  private async call<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (err) {
      if (isCompacted(err)) throw new ExpiredError(`too old resource version (etcd: ${compactedMessage})`);
      throw err;
    }
  }
}

function isCompacted(err: unknown): boolean {
  return err instanceof Error && err.message.includes(compactedMessage);
}

function expired(revision: number, compacted: number): ExpiredError {
  return new ExpiredError(`too old resource version: ${revision} (${compacted})`);
}

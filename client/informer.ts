// The informer (client-go's reflector + shared informer): lists a resource, then watches from the list's
// resourceVersion, keeping a local cache and telling handlers what changed. When a watch ends normally it
// re-watches from the last version seen; when the version expired (410) or anything failed it re-lists
// (with back-off) and delivers the difference between cache and list as adds, updates and deletes, so the
// cache converges even across changes it never saw as events.
import type { KubeObject, WatchEvent } from '../api/object.js';
import { ExpiredError } from '../api/errors.js';
import { groupVersion, type ResourceInfo } from '../api/resources.js';
import { ObjectCache, keyOf, type IndexFunc } from './cache.js';
import { RealClock, type Clock, type Timer } from './clock.js';
import { defaultLogger, type Logger } from './log.js';
import type { RestClient } from './rest-client.js';
import { watch, type WatchStream } from './watch.js';

/** A watch that ends normally sooner than this without any event is retried after a pause, not at once. */
const shortWatchMs = 1000;

/**
 * Change notifications. Handlers run synchronously on the informer's loop and receive the cached objects
 * themselves: read them, enqueue keys, never mutate them (copy first), as with client-go.
 */
export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** Called with the object's last known state. */
  onDelete?(obj: T): void;
}

export interface InformerOptions {
  /** Only this namespace; unset watches all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver onUpdate(obj, obj) for every cached object this often; 0 or unset: never. */
  resyncPeriodMs?: number;
  /** List page size (`limit`); 0 lists in one request. Default 500. */
  pageSize?: number;
  /** Server-side watch duration; default a random 300-600 s, as client-go spreads re-watches. */
  watchTimeoutSeconds?: number;
  /** First delay before re-listing after a failure, doubling per consecutive failure. Default 800 ms. */
  backoffInitialMs?: number;
  /** Cap of that delay. Default 30 s. */
  backoffMaxMs?: number;
  clock?: Clock;
  logger?: Logger;
}

export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new ObjectCache<T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private lastResourceVersion = '';
  private synced = false;
  private syncWaiters: Array<(synced: boolean) => void> = [];
  private running: Promise<void> | undefined;
  private currentWatch: WatchStream<T> | undefined;
  private resyncTimer: Timer | undefined;

  constructor(
    private readonly client: RestClient,
    readonly resource: ResourceInfo,
    private readonly options: InformerOptions = {},
  ) {
    this.clock = options.clock ?? new RealClock();
    this.log = (options.logger ?? defaultLogger()).child({ informer: resource.plural, namespace: options.namespace });
  }

  /** Registers handlers; a handler added after objects are cached first gets onAdd for each of them. */
  addEventHandler(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
    for (const obj of this.cache.list()) this.call('onAdd', () => handlers.onAdd?.(obj));
  }

  /** Adds a secondary index over the cache (see cache.ts's nodeNameIndex). */
  addIndex(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndex(name, fn);
  }

  /** Starts list+watch in the background. Idempotent; an informer runs once (no start after stop). */
  start(): void {
    if (this.running || this.abort.signal.aborted) return;
    this.running = this.run();
    this.scheduleResync();
  }

  /** Stops watching and waits for the loop to end. The cache stays readable. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.currentWatch?.stop();
    this.resyncTimer?.cancel();
    this.settleSyncWaiters(false);
    await this.running;
  }

  /** True once the first list has been delivered to the cache and handlers. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced; false if `timeoutMs` passes or the informer is stopped first. */
  waitForSync(timeoutMs?: number): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.abort.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      let timer: Timer | undefined;
      const done = (ok: boolean): void => {
        timer?.cancel();
        resolve(ok);
      };
      this.syncWaiters.push(done);
      if (timeoutMs !== undefined) {
        timer = this.clock.setTimer(() => {
          this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
          resolve(false);
        }, timeoutMs);
      }
    });
  }

  /** The cached object of `namespace/name` (or `name` when cluster-scoped). */
  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  /** Every cached object. */
  list(): T[] {
    return this.cache.list();
  }

  /** Cached objects whose index `name` has `value`. */
  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value);
  }

  /** The resourceVersion the cache reflects: the last list, event or bookmark seen. */
  lastSyncResourceVersion(): string {
    return this.lastResourceVersion;
  }

  private async run(): Promise<void> {
    let needList = true;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        const startedMs = this.clock.now();
        const events = await this.watchOnce();
        // The watch ended normally (server timeout): continue from the last version, no re-list. A watch
        // that ends at once with nothing in it points at a server problem, so pause before retrying rather
        // than spin (client-go treats such "very short watches" as failures too).
        if (events === 0 && this.clock.now() - startedMs < shortWatchMs && !this.abort.signal.aborted) {
          await this.clock.sleep(this.backoffMs(0), this.abort.signal).catch(() => undefined);
        }
        failures = 0;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        needList = true;
        const expired = err instanceof ExpiredError;
        // An expired version is routine (compaction): re-list at once the first time, back off if it repeats.
        const delayMs = expired && failures === 0 ? 0 : this.backoffMs(failures);
        failures++;
        if (expired) this.log.info({ delayMs }, 'watch expired; re-listing');
        else this.log.warn({ err, delayMs }, 'list/watch failed; re-listing after back-off');
        if (delayMs > 0) await this.clock.sleep(delayMs, this.abort.signal).catch(() => undefined);
      }
    }
  }

  private backoffMs(failures: number): number {
    const initial = this.options.backoffInitialMs ?? 800;
    const max = this.options.backoffMaxMs ?? 30_000;
    return Math.min(max, initial * 2 ** failures);
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.listAll(this.options.pageSize ?? 500);
    if (this.abort.signal.aborted) return;
    this.replace(items, resourceVersion);
  }

  private async listAll(pageSize: number): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    try {
      do {
        const page = await this.client.list<T>(this.resource, {
          namespace: this.options.namespace,
          labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
          limit: pageSize,
          continue: cont,
          signal: this.abort.signal,
        });
        items.push(...page.items.map((o) => this.withTypeMeta(o)));
        cont = page.metadata.continue || undefined;
        resourceVersion = page.metadata.resourceVersion ?? '';
      } while (cont);
    } catch (err) {
      // A continue token outlived its snapshot: fall back to one unpaged list, as client-go's pager does.
      if (err instanceof ExpiredError && cont && pageSize > 0) return this.listAll(0);
      throw err;
    }
    return { items, resourceVersion };
  }

  /** Makes the cache equal `items`, telling handlers only about what differs. */
  private replace(items: T[], resourceVersion: string): void {
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(keyOf(obj));
      const old = this.cache.set(obj);
      if (!old) this.emitAdd(obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emitUpdate(old, obj);
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      // Deleted while we were not watching: a synthetic delete with the last state we knew.
      const old = this.cache.delete(key);
      if (old) this.emitDelete(old);
    }
    this.lastResourceVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      this.settleSyncWaiters(true);
    }
  }

  /** One watch from the last version seen, until it ends; answers the events seen. Throws on ERROR events. */
  private async watchOnce(): Promise<number> {
    const stream = await watch<T>(this.client, this.resource, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      resourceVersion: this.lastResourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.options.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
      signal: this.abort.signal,
    });
    this.currentWatch = stream;
    let events = 0;
    try {
      for await (const ev of stream) {
        events++;
        this.handleEvent(ev);
      }
    } finally {
      this.currentWatch = undefined;
      stream.stop();
    }
    return events;
  }

  private handleEvent(ev: WatchEvent<T>): void {
    const rv = ev.object.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (rv) this.lastResourceVersion = rv;
      return;
    }
    const obj = this.withTypeMeta(ev.object);
    if (ev.type === 'DELETED') {
      const old = this.cache.delete(keyOf(obj));
      if (old) this.emitDelete(obj);
    } else {
      // ADDED for a key already cached (and MODIFIED for one that is not) happen after a re-watch races a
      // re-list; treat each as what it means for the cache so handlers never see a duplicate add.
      const old = this.cache.set(obj);
      if (old) this.emitUpdate(old, obj);
      else this.emitAdd(obj);
    }
    if (rv) this.lastResourceVersion = rv;
  }

  private withTypeMeta(obj: T): T {
    if (obj.kind && obj.apiVersion) return obj;
    return { ...obj, apiVersion: obj.apiVersion ?? groupVersion(this.resource), kind: obj.kind ?? this.resource.kind };
  }

  private scheduleResync(): void {
    const periodMs = this.options.resyncPeriodMs ?? 0;
    if (periodMs <= 0) return;
    this.resyncTimer = this.clock.setTimer(() => {
      if (this.abort.signal.aborted) return;
      if (this.synced) for (const obj of this.cache.list()) this.emitUpdate(obj, obj);
      this.scheduleResync();
    }, periodMs);
  }

  private settleSyncWaiters(synced: boolean): void {
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of waiters) w(synced);
  }

  private emitAdd(obj: T): void {
    for (const h of this.handlers) this.call('onAdd', () => h.onAdd?.(obj), obj);
  }

  private emitUpdate(oldObj: T, newObj: T): void {
    for (const h of this.handlers) this.call('onUpdate', () => h.onUpdate?.(oldObj, newObj), newObj);
  }

  private emitDelete(obj: T): void {
    for (const h of this.handlers) this.call('onDelete', () => h.onDelete?.(obj), obj);
  }

  /** A throwing handler is logged and does not stop the informer or the other handlers. */
  private call(which: string, fn: () => void, obj?: T): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err, handler: which, object: obj ? keyOf(obj) : undefined }, 'informer handler threw');
    }
  }
}

// One store watch per resource type, fanned out to every HTTP watcher of that type (upstream's
// Cacher). The cache keeps the current objects (for the synthetic ADDED events a fresh watch starts
// with) and a bounded ring of recent events (so a watch resuming from a recent resourceVersion needs
// no store watch of its own). 1,000 watchers therefore cost one store watch and one JSON encoding per
// event, not 1,000.
import type { Logger } from 'pino';
import type { KubeObject } from '../../api/object.js';
import type { Store, StoreEvent, StoreWatch } from '../storage/store.js';

/** A store event plus its memoized JSON encodings (per served shape). */
export class CachedEvent {
  private readonly encoded = new Map<string, string>();

  constructor(readonly event: StoreEvent) {}

  /** `render` maps the stored object to a served shape named `shape`; its JSON is computed once. */
  json(shape: string, render: (obj: KubeObject) => KubeObject): string {
    let text = this.encoded.get(shape);
    if (text === undefined) {
      text = JSON.stringify(render(this.event.object));
      this.encoded.set(shape, text);
    }
    return text;
  }
}

export interface CacheSubscriber {
  /** Called for every event in revision order (replayed ones first). */
  deliver(event: CachedEvent): void;
  /** The cache can no longer serve (its store watch failed or the server stops). */
  close(reason: string): void;
}

export type StartPoint = { kind: 'now' } | { kind: 'after'; revision: number };

export class WatchCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly ring: CachedEvent[] = [];
  private readonly subscribers = new Set<CacheSubscriber>();
  /** The revision the cache reflects: everything up to it has been applied. */
  private revision = 0;
  /** Events after this revision are all in the ring; older resumes need their own store watch. */
  private oldestResumable = 0;
  private storeWatch: StoreWatch | undefined;
  private broken = false;
  readonly ready: Promise<void>;

  constructor(
    private readonly store: Store,
    readonly prefix: string,
    private readonly capacity: number,
    private readonly logger: Logger,
    private readonly onBroken: (cache: WatchCache) => void,
  ) {
    this.ready = this.start();
  }

  get currentRevision(): number {
    return this.revision;
  }

  get isBroken(): boolean {
    return this.broken;
  }

  private async start(): Promise<void> {
    const list = await this.store.list(this.prefix);
    for (const item of list.items) this.objects.set(item.key, item.object);
    this.revision = list.revision;
    this.oldestResumable = list.revision;
    this.storeWatch = this.store.watch(this.prefix, { afterRevision: list.revision }, {
      onEvent: (e) => this.apply(e),
      onError: (err) => this.fail(`store watch failed: ${err.message}`),
    });
  }

  private apply(e: StoreEvent): void {
    if (e.type === 'DELETED') this.objects.delete(e.key);
    else this.objects.set(e.key, e.object);
    const cached = new CachedEvent(e);
    this.ring.push(cached);
    if (this.ring.length > this.capacity) {
      const dropped = this.ring.shift();
      if (dropped) this.oldestResumable = dropped.event.revision;
    }
    this.revision = e.revision;
    for (const s of this.subscribers) s.deliver(cached);
  }

  private fail(reason: string): void {
    if (this.broken) return;
    this.broken = true;
    this.logger.warn({ prefix: this.prefix, reason }, 'watch cache closed');
    this.storeWatch?.stop();
    for (const s of this.subscribers) s.close(reason);
    this.subscribers.clear();
    this.onBroken(this);
  }

  /**
   * Adds a subscriber. `now`: the current objects first, as synthetic ADDED events at the cache's
   * revision. `after`: the ring's events after that revision. Returns false when the ring no longer
   * reaches back that far (the caller then watches the store directly).
   */
  subscribe(subscriber: CacheSubscriber, from: StartPoint): boolean {
    if (this.broken) {
      subscriber.close('watch cache closed');
      return true;
    }
    if (from.kind === 'now') {
      for (const [key, object] of this.objects) {
        subscriber.deliver(new CachedEvent({ type: 'ADDED', key, object, revision: this.revision }));
      }
    } else {
      if (from.revision < this.oldestResumable) return false;
      for (const e of this.ring) if (e.event.revision > from.revision) subscriber.deliver(e);
    }
    this.subscribers.add(subscriber);
    return true;
  }

  unsubscribe(subscriber: CacheSubscriber): void {
    this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  stop(reason = 'server stopping'): void {
    this.fail(reason);
  }
}

/** The caches, one per storage prefix, started on first use and replaced when one breaks. */
export class WatchCacheSet {
  private readonly caches = new Map<string, WatchCache>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly capacity = 1000,
  ) {}

  async get(prefix: string): Promise<WatchCache> {
    let cache = this.caches.get(prefix);
    if (!cache || cache.isBroken) {
      cache = new WatchCache(this.store, prefix, this.capacity, this.logger, (c) => {
        if (this.caches.get(prefix) === c) this.caches.delete(prefix);
      });
      this.caches.set(prefix, cache);
    }
    try {
      await cache.ready;
    } catch (e) {
      if (this.caches.get(prefix) === cache) this.caches.delete(prefix);
      throw e;
    }
    return cache;
  }

  all(): WatchCache[] {
    return [...this.caches.values()];
  }

  stop(): void {
    for (const c of this.caches.values()) c.stop();
    this.caches.clear();
  }
}

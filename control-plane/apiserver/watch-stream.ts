// One HTTP watch: a chunked stream of `{"type":...,"object":...}` lines fed by the resource's watch
// cache (or, for a resume older than the cache's ring, by a store watch of its own). Selector-filtered
// watches turn a MODIFIED into ADDED/DELETED when an object starts/stops matching, as upstream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { BadRequestError, ExpiredError, type ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { groupVersion, storagePrefix, type ResourceInfo } from '../../api/resources.js';
import type { Store, StoreWatch } from '../storage/store.js';
import { fromStorageShape } from './event-conversion.js';
import type { ObjectFilter } from './object-filter.js';
import { keyOf } from './resource-context.js';
import { CachedEvent, type CacheSubscriber, type WatchCacheSet } from './watch-cache.js';

export interface WatchRequest {
  resource: ResourceInfo;
  namespace?: string;
  /** Watch one object (a `metadata.name` field selector or a `/watch/.../<name>` path). */
  name?: string;
  filter?: ObjectFilter;
  /** Unset or "0": start with the current objects; N: the events after N. */
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  /** `sendInitialEvents=true`: end the initial ADDED events with an initial-events-end bookmark. */
  sendInitialEvents?: boolean;
  /** Replaces each event's object (the Table form `kubectl get -w` asks for); no JSON memo then. */
  transform?: (obj: KubeObject) => unknown;
  pretty?: boolean;
}

export interface WatchDeps {
  store: Store;
  caches: WatchCacheSet;
  logger: Logger;
  bookmarkIntervalMs: number;
  /** Streams a watcher may leave unread before it is cut off, in bytes (upstream drops slow watchers too). */
  maxBufferedBytes?: number;
  /** Takes the response away from the framework, right before the stream's headers go out. */
  hijack: () => void;
}

/** Upstream's default watch length: a random time between 30 and 60 minutes, to spread re-watches. */
function defaultTimeoutSeconds(): number {
  return 1800 + Math.floor(Math.random() * 1800);
}

function errorLine(err: ApiError): string {
  return `${JSON.stringify({ type: 'ERROR', object: err.toStatus() })}\n`;
}

export async function serveWatch(deps: WatchDeps, _req: IncomingMessage, res: ServerResponse, w: WatchRequest): Promise<void> {
  const r = w.resource;
  const rv = w.resourceVersion;
  const resume = rv !== undefined && rv !== '' && rv !== '0' ? Number(rv) : undefined;
  if (resume !== undefined && !Number.isSafeInteger(resume)) throw new BadRequestError(`invalid resourceVersion "${rv}"`);
  const cache = await deps.caches.get(storagePrefix(r));
  const compacted = resume !== undefined ? await deps.store.compactedRevision() : 0;

  deps.hijack();
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  if (resume !== undefined && resume < compacted) {
    res.end(errorLine(new ExpiredError(`too old resource version: ${resume} (${compacted})`)));
    return;
  }

  const keyPrefix = storagePrefix(r, w.namespace);
  const nameKey = w.name !== undefined ? keyOf(r, w.namespace, w.name) : undefined;
  const shape = groupVersion(r);
  const maxBuffered = deps.maxBufferedBytes ?? 16 * 1024 * 1024;
  let done = false;
  let direct: StoreWatch | undefined;
  let lastRevision = resume ?? 0;

  const write = (type: string, objectJson: string): void => {
    if (done) return;
    res.write(`{"type":"${type}","object":${objectJson}}\n`);
    if (res.writableLength > maxBuffered) finish('watcher too slow');
  };
  const encode = (obj: KubeObject): string => {
    const served = w.transform ? w.transform(obj) : obj;
    return w.pretty ? JSON.stringify(served, null, 2).replace(/\n/g, '') : JSON.stringify(served);
  };
  const matches = (obj: KubeObject | undefined): boolean => obj !== undefined && (!w.filter || w.filter(obj));

  const subscriber: CacheSubscriber = {
    deliver(cached: CachedEvent) {
      const e = cached.event;
      if (done || e.revision < lastRevision || (resume !== undefined && e.revision <= resume)) return;
      lastRevision = e.revision;
      if (!e.key.startsWith(keyPrefix) || (nameKey !== undefined && e.key !== nameKey)) return;
      const now = fromStorageShape(r, e.object);
      const nowMatches = e.type !== 'DELETED' && matches(now);
      const before = e.prevObject ? fromStorageShape(r, e.prevObject) : undefined;
      const beforeMatched = e.type === 'ADDED' ? false : e.type === 'DELETED' ? matches(now) : before ? matches(before) : nowMatches;
      const cheap = !w.transform && !w.pretty;
      const body = (): string => (cheap ? cached.json(shape, (o) => fromStorageShape(r, o)) : encode(now));
      if (e.type === 'DELETED') {
        if (beforeMatched) write('DELETED', body());
      } else if (nowMatches && beforeMatched) write('MODIFIED', body());
      else if (nowMatches) write('ADDED', body());
      else if (beforeMatched && before) {
        // Left the selector: upstream sends DELETED with the old object at the new revision.
        write('DELETED', encode({ ...before, metadata: { ...before.metadata, resourceVersion: String(e.revision) } }));
      }
    },
    close(reason) {
      finish(reason);
    },
  };

  const bookmark = (annotations?: Record<string, string>): void => {
    const revision = Math.max(cache.currentRevision, lastRevision);
    const object = { kind: r.kind, apiVersion: shape, metadata: { resourceVersion: String(revision), ...(annotations ? { annotations } : {}) } };
    write('BOOKMARK', JSON.stringify(object));
  };
  const bookmarkTimer = w.allowBookmarks ? setInterval(() => bookmark(), deps.bookmarkIntervalMs) : undefined;
  const timeout = setTimeout(() => finish('timeout'), (w.timeoutSeconds ?? defaultTimeoutSeconds()) * 1000);

  function finish(reason: string): void {
    if (done) return;
    done = true;
    clearTimeout(timeout);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    cache.unsubscribe(subscriber);
    direct?.stop();
    deps.logger.debug({ resource: r.plural, namespace: w.namespace, reason }, 'watch ended');
    if (!res.writableEnded) res.end();
  }
  // The response's 'close' is the reliable signal that the client went away (the request's fires once
  // its body has been read, which for a GET is at once).
  res.on('close', () => finish('connection closed'));

  if (resume === undefined) {
    cache.subscribe(subscriber, { kind: 'now' });
    if (w.sendInitialEvents && w.allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
    return;
  }
  if (cache.subscribe(subscriber, { kind: 'after', revision: resume })) return;
  // Older than the ring but not compacted: this watcher reads the store itself.
  try {
    direct = deps.store.watch(storagePrefix(r), { afterRevision: resume }, {
      onEvent: (e) => subscriber.deliver(new CachedEvent(e)),
      onError: (err) => finish(`store watch failed: ${err.message}`),
    });
  } catch (e) {
    if (e instanceof ExpiredError) {
      write('ERROR', JSON.stringify(new ExpiredError(`too old resource version: ${resume}`).toStatus()));
      finish('expired');
      return;
    }
    throw e;
  }
}

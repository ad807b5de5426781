// A tiny API server for one namespaced resource (core v1 pods by default), in memory: list (with
// namespace, equality label selectors, limit/continue) and watch (resourceVersion replay, bookmarks,
// ERROR 410) over real HTTP on 127.0.0.1:0, plus knobs a test uses to end watches, expire versions and
// change objects while no watch can see it.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject, Status, WatchEvent, WatchEventType } from '../../../api/object.js';
import type { ResourceInfo } from '../../../api/resources.js';
import { resourcePath } from '../../../client/resource-path.js';

interface OpenWatch {
  res: http.ServerResponse;
  namespace: string | undefined;
  selector: Map<string, string>;
  bookmarks: boolean;
}

interface HistoryEntry {
  rv: number;
  event: WatchEvent<KubeObject>;
}

export interface RecordedCall {
  kind: 'list' | 'watch';
  query: URLSearchParams;
}

export class FakeApiServer {
  url = '';
  readonly calls: RecordedCall[] = [];
  /** How a watch from a compacted version is refused: 200 + ERROR event (as kube-apiserver does) or HTTP 410. */
  expiredAs: 'event' | 'http' = 'event';
  /** Answer the next N list requests with HTTP 500. */
  failLists = 0;
  private rv = 100;
  private compactedRv = 0;
  private readonly objects = new Map<string, KubeObject>();
  private history: HistoryEntry[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly server: http.Server;
  private broadcasting = true;

  private constructor(readonly resource: ResourceInfo) {
    this.server = http.createServer((req, res) => this.route(req, res));
  }

  static async start(resource: ResourceInfo): Promise<FakeApiServer> {
    const s = new FakeApiServer(resource);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Every stored object. */
  snapshot(): KubeObject[] {
    return [...this.objects.values()];
  }

  openWatches(): number {
    return this.watches.size;
  }

  listCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.kind === 'list');
  }

  watchCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.kind === 'watch');
  }

  /** Creates or replaces an object (ADDED or MODIFIED), stamping the next resourceVersion. */
  upsert(obj: KubeObject): KubeObject {
    const key = this.key(obj);
    const type: WatchEventType = this.objects.has(key) ? 'MODIFIED' : 'ADDED';
    const stored = this.stamp(obj);
    this.objects.set(key, stored);
    this.record(type, stored);
    return stored;
  }

  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const old = this.objects.get(key);
    if (!old) throw new Error(`fake: ${key} does not exist`);
    this.objects.delete(key);
    this.record('DELETED', this.stamp(old));
  }

  /**
   * Runs `changes` as if no watch could see them: nothing is sent to open watches and the history is
   * compacted afterwards, so a watch resuming from an older version gets 410 and must re-list.
   */
  offline(changes: () => void): void {
    this.broadcasting = false;
    try {
      changes();
    } finally {
      this.broadcasting = true;
    }
    this.compact();
  }

  /** Forgets history up to now: watches from older versions are refused with 410. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history = [];
  }

  /** Sends a BOOKMARK at the current version to watches that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watches) {
      if (!w.bookmarks) continue;
      this.write(w, {
        type: 'BOOKMARK',
        object: { kind: this.resource.kind, apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) } },
      });
    }
  }

  /** Ends every open watch normally, as a server-side timeout does. */
  endWatches(): void {
    for (const w of this.watches) w.res.end();
    this.watches.clear();
  }

  /** Sends ERROR 410 to every open watch and ends it (the watcher fell behind compaction). */
  expireWatches(): void {
    for (const w of this.watches) {
      this.write(w, { type: 'ERROR', object: expiredStatus(this.compactedRv) as unknown as KubeObject });
      w.res.end();
    }
    this.watches.clear();
  }

  async close(): Promise<void> {
    this.endWatches();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private key(obj: KubeObject): string {
    return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
  }

  private stamp(obj: KubeObject): KubeObject {
    this.rv++;
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } };
  }

  private record(type: WatchEventType, object: KubeObject): void {
    const entry = { rv: this.rv, event: { type, object } };
    this.history.push(entry);
    if (!this.broadcasting) return;
    for (const w of this.watches) if (matches(w, object)) this.write(w, entry.event);
  }

  private write(w: OpenWatch, ev: WatchEvent<KubeObject>): void {
    w.res.write(`${JSON.stringify(ev)}\n`);
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const all = resourcePath(this.resource);
    const nsMatch = /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    let namespace: string | undefined;
    if (url.pathname === all) namespace = undefined;
    else if (nsMatch && nsMatch[2] === this.resource.plural) namespace = decodeURIComponent(nsMatch[1] ?? '');
    else return send(res, 404, status(404, 'NotFound', `no route for ${url.pathname}`));
    if (req.method !== 'GET') return send(res, 405, status(405, 'MethodNotAllowed', 'read-only fake'));
    const q = url.searchParams;
    const w = q.get('watch');
    if (w === '1' || w === 'true') return this.serveWatch(q, namespace, res);
    return this.serveList(q, namespace, res);
  }

  private serveList(q: URLSearchParams, namespace: string | undefined, res: http.ServerResponse): void {
    this.calls.push({ kind: 'list', query: q });
    if (this.failLists > 0) {
      this.failLists--;
      return send(res, 500, status(500, 'InternalError', 'injected list failure'));
    }
    const selector = parseSelector(q.get('labelSelector'));
    const all = [...this.objects.values()]
      .filter((o) => matches({ namespace, selector }, o))
      .sort((a, b) => this.key(a).localeCompare(this.key(b)));
    const offset = Number(q.get('continue') ?? '0') || 0;
    const limit = Number(q.get('limit') ?? '0') || 0;
    const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const next = limit > 0 && offset + limit < all.length ? String(offset + limit) : undefined;
    send(res, 200, {
      kind: `${this.resource.kind}List`,
      apiVersion: 'v1',
      metadata: { resourceVersion: String(this.rv), ...(next ? { continue: next } : {}) },
      // Items carry no kind/apiVersion, as in real list answers.
      items: page.map(({ kind: _k, apiVersion: _a, ...rest }) => rest),
    });
  }

  private serveWatch(q: URLSearchParams, namespace: string | undefined, res: http.ServerResponse): void {
    this.calls.push({ kind: 'watch', query: q });
    const from = q.get('resourceVersion') ?? '';
    const fromRv = Number(from);
    const expired = from !== '' && from !== '0' && fromRv < this.compactedRv;
    if (expired && this.expiredAs === 'http') return send(res, 410, expiredStatus(this.compactedRv));
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const w: OpenWatch = {
      res,
      namespace,
      selector: parseSelector(q.get('labelSelector')),
      bookmarks: q.get('allowWatchBookmarks') === 'true',
    };
    if (expired) {
      this.write(w, { type: 'ERROR', object: expiredStatus(this.compactedRv) as unknown as KubeObject });
      res.end();
      return;
    }
    if (from === '' || from === '0') {
      for (const o of this.objects.values()) if (matches(w, o)) this.write(w, { type: 'ADDED', object: o });
    } else {
      for (const h of this.history) if (h.rv > fromRv && matches(w, h.event.object)) this.write(w, h.event);
    }
    this.watches.add(w);
    res.on('close', () => this.watches.delete(w));
  }
}

function matches(w: Pick<OpenWatch, 'namespace' | 'selector'>, obj: KubeObject): boolean {
  if (w.namespace !== undefined && obj.metadata.namespace !== w.namespace) return false;
  for (const [k, v] of w.selector) if (obj.metadata.labels?.[k] !== v) return false;
  return true;
}

function parseSelector(s: string | null): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of (s ?? '').split(',')) {
    const [k, v] = part.split('=');
    if (k && v !== undefined) m.set(k.trim(), v.trim());
  }
  return m;
}

function status(code: number, reason: string, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, message, code };
}

function expiredStatus(compactedRv: number): Status {
  return status(410, 'Expired', `too old resource version: (${compactedRv})`);
}

function send(res: http.ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

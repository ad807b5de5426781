// An in-process API server over a real SqliteStore in a temp dir, plus small HTTP helpers, for the
// apiserver integration tests. Each harness owns its temp dir and removes it on stop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApiServer, type ApiServer, type ApiServerOptions } from '../../control-plane/apiserver/index.js';
import { SqliteStore } from '../../control-plane/storage/index.js';

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Harness {
  url: string;
  dataDir: string;
  store: SqliteStore;
  server: ApiServer;
  request<T = any>(method: string, path: string, body?: unknown, contentType?: string, headers?: Record<string, string>): Promise<Answer<T>>;
  /** Stops server and store, keeps the data dir. */
  shutdown(): Promise<void>;
  /** Starts a new server and store on the same data dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(options: Partial<ApiServerOptions> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-apiserver-'));
  let store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
  let server = createApiServer({ store, logger: pino({ level: 'silent' }), ...options });
  let url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
  let running = true;
  const harness: Harness = {
    get url() {
      return url;
    },
    dataDir,
    get store() {
      return store;
    },
    get server() {
      return server;
    },
    async request(method, path, body, contentType, headers = {}) {
      const init: RequestInit = { method, headers: { accept: 'application/json', ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = contentType ?? 'application/json';
      }
      const res = await fetch(`${url}${path}`, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (e.g. /healthz): keep the text
      }
      return { status: res.status, headers: res.headers, body: parsed as any, text };
    },
    async shutdown() {
      if (!running) return;
      running = false;
      await server.stop();
      await store.close();
    },
    async restart() {
      await harness.shutdown();
      store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
      server = createApiServer({ store, logger: pino({ level: 'silent' }), ...options });
      url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
      running = true;
    },
    async stop() {
      await harness.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export function configMap(name: string, labels: Record<string, string> = {}, data: Record<string, string> = { k: 'v' }): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

export function pod(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { containers: [{ name: 'main', image: 'busybox' }], ...extra },
  };
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface WatchEventJson {
  type: string;
  object: any;
}

export interface WatchClient {
  events: WatchEventJson[];
  /** Resolves once the stream has ended (server side). */
  ended: Promise<void>;
  /** Waits until at least `count` events arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<WatchEventJson[]>;
  close(): void;
}

/** Opens a watch and collects its JSON lines. */
export async function openWatch(baseUrl: string, path: string): Promise<WatchClient> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}${path}`, { signal: controller.signal, headers: { accept: 'application/json' } });
  if (res.status !== 200 || !res.body) throw new Error(`watch ${path} answered ${res.status}: ${await res.text()}`);
  const events: WatchEventJson[] = [];
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line) events.push(JSON.parse(line) as WatchEventJson);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    events,
    ended,
    async waitFor(count, timeoutMs = 20_000) {
      await eventually(() => (events.length >= count ? true : undefined), timeoutMs);
      return events;
    },
    close: () => controller.abort(),
  };
}

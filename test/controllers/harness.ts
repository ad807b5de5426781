// An in-process API server over a SqliteStore in a temp dir, a RestClient to it, and chosen controllers
// running on shared informers: the controllers' unit tests drive the real API and read what it stores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Pod } from '../../api/index.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { InformerFactory, RealClock, RestClient, type Clock } from '../../client/index.js';
import { createApiServer, type ApiServer } from '../../control-plane/apiserver/index.js';
import { startControllers, type ControllerTuning, type RunningControllers } from '../../control-plane/controllers/index.js';
import { namespacesResource, podsResource } from '../../control-plane/controllers/resources.js';
import { SqliteStore } from '../../control-plane/storage/index.js';

export interface ControllerHarness {
  client: RestClient;
  url: string;
  running: RunningControllers;
  informers: InformerFactory;
  stop(): Promise<void>;
}

export async function startControllerHarness(enabled: string[], clock: Clock = new RealClock(), tuning: ControllerTuning = {}): Promise<ControllerHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-controllers-'));
  const store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
  const logger = pino({ level: process.env['SKIFF_TEST_LOG'] ?? 'silent' });
  let server: ApiServer | undefined;
  let informers: InformerFactory | undefined;
  let client: RestClient | undefined;
  try {
    server = createApiServer({ store, logger });
    const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
    client = new RestClient({ server: url }, { rateLimit: false });
    informers = new InformerFactory(client, { logger, backoffInitialMs: 100 });
    const running = await startControllers({ client, informers, clock, logger, enabled, tuning, syncTimeoutMs: 20_000 });
    const c = client;
    const f = informers;
    const s = server;
    return {
      client: c,
      url,
      running,
      informers: f,
      async stop() {
        await running.stop();
        await f.stop();
        c.close();
        await s.stop();
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await informers?.stop();
    client?.close();
    await server?.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Polls `check` until it answers something other than undefined/false, or throws after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`${what} not met before the deadline${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function listIn<T extends KubeObject>(client: RestClient, r: ResourceInfo, namespace: string, labelSelector?: string): Promise<T[]> {
  return (await client.list<T>(r, { namespace, labelSelector })).items;
}

/** What a kubelet would report for a started, ready pod: Running, Ready, one running container, an IP. */
export async function markPodReady(client: RestClient, pod: Pod, ip: string, readySince = new Date().toISOString().replace(/\.\d+Z$/, 'Z')): Promise<Pod> {
  const fresh = await client.get<Pod>(podsResource, pod.metadata.name ?? '', { namespace: pod.metadata.namespace });
  const containers = fresh.spec?.containers ?? [];
  return client.updateStatus<Pod>(podsResource, {
    ...fresh,
    status: {
      ...fresh.status,
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: readySince },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: readySince },
      ],
      containerStatuses: containers.map((c) => ({
        name: c.name,
        ready: true,
        restartCount: 0,
        image: c.image ?? '',
        imageID: '',
        started: true,
        state: { running: { startedAt: readySince } },
      })),
    },
  });
}

export function ns(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function createNamespace(client: RestClient, name: string): Promise<void> {
  await client.create(namespacesResource, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

// An in-process API server over SQLite in a temp dir, and NodeIpamControllers started and stopped on it at
// will (each with its own informers, as a restarted `skiff server` would have), so tests can restart the
// controller against the same stored Nodes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Node } from '../../api/index.js';
import { InformerFactory, RealClock, RestClient } from '../../client/index.js';
import { createApiServer } from '../../control-plane/apiserver/index.js';
import { EventRecorder } from '../../control-plane/controllers/event-recorder.js';
import { nodesResource } from '../../control-plane/controllers/resources.js';
import { NodeIpamController, type NodeIpamOptions } from '../../control-plane/controllers/nodeipam/index.js';
import { SqliteStore } from '../../control-plane/storage/index.js';

export interface RunningIpam {
  controller: NodeIpamController;
  stop(): Promise<void>;
}

export interface IpamHarness {
  client: RestClient;
  /** Starts a controller (own informers) and resolves once its workers run. */
  startController(options?: NodeIpamOptions): Promise<RunningIpam>;
  createNode(name: string, spec?: Node['spec']): Promise<Node>;
  stop(): Promise<void>;
}

export async function startIpamHarness(): Promise<IpamHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-nodeipam-'));
  const store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
  const logger = pino({ level: process.env['SKIFF_TEST_LOG'] ?? 'silent' });
  const server = createApiServer({ store, logger });
  const running: RunningIpam[] = [];
  let client: RestClient | undefined;
  try {
    const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
    client = new RestClient({ server: url }, { rateLimit: false });
  } catch (err) {
    await server.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const c = client;
  return {
    client: c,
    async startController(options = {}) {
      const clock = new RealClock();
      const informers = new InformerFactory(c, { logger, backoffInitialMs: 100 });
      const recorder = new EventRecorder(c, clock, logger);
      const controller = new NodeIpamController({ client: c, informers, clock, logger, recorder }, options);
      informers.start();
      if (!(await informers.waitForSync(20_000))) throw new Error('node informer did not sync');
      const run = controller.run(1);
      const handle: RunningIpam = {
        controller,
        async stop() {
          controller.stop();
          await run;
          await informers.stop();
          running.splice(running.indexOf(handle), 1);
        },
      };
      running.push(handle);
      return handle;
    },
    createNode(name, spec = {}) {
      return c.create<Node>(nodesResource, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec });
    },
    async stop() {
      for (const r of [...running]) await r.stop();
      c.close();
      await server.stop();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

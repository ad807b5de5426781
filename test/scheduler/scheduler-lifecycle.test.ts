import { createServer, type Server, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { InformerFactory } from '../../client/informer-factory.js';
import { RestClient } from '../../client/rest-client.js';
import { Scheduler } from '../../control-plane/scheduler/index.js';

const silent = pino({ level: 'silent' });
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A loopback port that accepts connections and never answers: informers never sync. */
async function silentServer(): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return `http://127.0.0.1:${addr.port}`;
}

describe('Scheduler lifecycle', () => {
  it('stops while still waiting for shared informers that never sync', async () => {
    const client = new RestClient({ server: await silentServer() }, { rateLimit: false, timeoutMs: 1000 });
    cleanup.push(() => client.close());
    const informers = new InformerFactory(client, { logger: silent });
    cleanup.push(() => informers.stop());
    const scheduler = new Scheduler({ client, informers, logger: silent });
    scheduler.start();
    await new Promise((r) => setTimeout(r, 50));
    await expect(scheduler.stop()).resolves.toBeUndefined();
  });

  it('stops its own informers', async () => {
    const client = new RestClient({ server: await silentServer() }, { rateLimit: false, timeoutMs: 1000 });
    cleanup.push(() => client.close());
    const scheduler = new Scheduler({ client, logger: silent });
    scheduler.start();
    await expect(scheduler.stop()).resolves.toBeUndefined();
  });
});

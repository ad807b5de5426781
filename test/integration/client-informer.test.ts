// The client library against a real `skiff server`: typed errors from real Status answers, and informers
// whose caches converge through creates, updates and deletes.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { Informer } from '../../client/informer.js';
import { RestClient } from '../../client/rest-client.js';
import { watch } from '../../client/watch.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

const namespaces = findResource('', 'v1', 'namespaces')!;
const configmaps = findResource('', 'v1', 'configmaps')!;
const silent = pino({ level: 'silent' });
const ns = `client-it-${Date.now().toString(36)}`;

function configMap(name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, data };
}

async function eventually(check: () => void, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('client against a real skiff server', () => {
  let server: SkiffServer | undefined;
  let client: RestClient;
  const informers: Informer[] = [];

  beforeAll(async () => {
    server = await startSkiffServer();
    client = RestClient.fromKubeconfig(server.kubeconfigPath, { rateLimit: false, timeoutMs: 20_000 });
    await client.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });

  afterAll(async () => {
    await Promise.all(informers.map((i) => i.stop()));
    client?.close();
    await server?.stop();
  });

  it('maps real error answers to typed errors', async () => {
    await expect(client.get(configmaps, 'missing', { namespace: ns })).rejects.toBeInstanceOf(NotFoundError);
    const created = await client.create(configmaps, configMap('errors', { a: '1' }));
    await expect(client.create(configmaps, configMap('errors', { a: '1' }))).rejects.toBeInstanceOf(AlreadyExistsError);
    await client.update(configmaps, { ...created, data: { a: '2' } });
    // `created` still carries the old resourceVersion: a stale compare-and-swap.
    await expect(client.update(configmaps, { ...created, data: { a: '3' } })).rejects.toBeInstanceOf(ConflictError);
    await client.delete(configmaps, 'errors', { namespace: ns });
  });

  it('keeps an informer cache converged through creates, updates and deletes', async () => {
    await client.create(configmaps, configMap('before', { v: '0' }));
    const informer = new Informer(client, configmaps, { namespace: ns, logger: silent });
    informers.push(informer);
    const events: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => events.push(`add ${o.metadata.name}`),
      onUpdate: (_a, b) => events.push(`update ${b.metadata.name}`),
      onDelete: (o) => events.push(`delete ${o.metadata.name}`),
    });
    informer.start();
    expect(await informer.waitForSync(20_000)).toBe(true);
    expect(informer.get(`${ns}/before`)?.['data']).toEqual({ v: '0' });

    const a = await client.create(configmaps, configMap('a', { v: '1' }));
    await client.create(configmaps, configMap('b', { v: '1' }));
    await client.update(configmaps, { ...a, data: { v: '2' } });
    await client.patch(configmaps, 'b', { data: { v: '3' } }, { namespace: ns });
    await client.delete(configmaps, 'before', { namespace: ns });

    await eventually(() => {
      expect(informer.get(`${ns}/a`)?.['data']).toEqual({ v: '2' });
      expect(informer.get(`${ns}/b`)?.['data']).toEqual({ v: '3' });
      expect(informer.get(`${ns}/before`)).toBeUndefined();
    });
    const listed = await client.list(configmaps, { namespace: ns });
    expect(informer.list().map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort()).toEqual(
      listed.items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort(),
    );
    expect(events.filter((e) => e.startsWith('add')).sort()).toEqual(['add a', 'add b', 'add before']);
    expect(events).toContain('delete before');
  });

  it('scopes an informer by label selector', async () => {
    const informer = new Informer(client, configmaps, { namespace: ns, labelSelector: 'tier=web', logger: silent });
    informers.push(informer);
    informer.start();
    expect(await informer.waitForSync(20_000)).toBe(true);
    await client.create(configmaps, configMap('web', { x: '1' }, { tier: 'web' }));
    await client.create(configmaps, configMap('db', { x: '1' }, { tier: 'db' }));
    await eventually(() => expect(informer.get(`${ns}/web`)).toBeDefined());
    expect(informer.get(`${ns}/db`)).toBeUndefined();
  });

  it('streams watch events from a resourceVersion', async () => {
    const list = await client.list(configmaps, { namespace: ns });
    const stream = await watch(client, configmaps, { namespace: ns, resourceVersion: list.metadata.resourceVersion });
    try {
      await client.create(configmaps, configMap('watched', { w: '1' }));
      let first: string | undefined;
      for await (const ev of stream) {
        first = `${ev.type} ${ev.object.metadata.name}`;
        break;
      }
      expect(first).toBe('ADDED watched');
    } finally {
      stream.stop();
    }
  });
});

// Two API servers sharing one etcd, as in an HA control plane: concurrent Service creates spread over
// both never share a ClusterIP or NodePort, and a write through one is seen by a watch on the other.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer, type ApiServer } from '../../control-plane/apiserver/index.js';
import { EtcdStore } from '../../control-plane/storage/index.js';
import { eventually, openWatch } from '../apiserver/harness.js';
import { startEtcd, type TestEtcd } from '../support/etcd.js';

let etcd: TestEtcd;
const servers: { server: ApiServer; store: EtcdStore; url: string }[] = [];

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  etcd = await startEtcd();
  for (let i = 0; i < 2; i++) {
    const store = await EtcdStore.open({ endpoints: etcd.endpoints, prefix: '/skiff-ha-test' });
    const server = createApiServer({ store, logger: pino({ level: 'silent' }), serviceCIDR: '10.96.0.0/26', nodePortRange: '30000-30063' });
    servers.push({ server, store, url: '' });
  }
  // Both start at once, racing for the system namespaces and the `kubernetes` Service.
  const urls = await Promise.all(servers.map((s) => s.server.listen({ host: '127.0.0.1', port: 0 })));
  urls.forEach((u, i) => ((servers[i] as { url: string }).url = u.url));
  await call(servers[0]!.url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ha' } });
}, 120_000);

afterAll(async () => {
  for (const s of servers) {
    await s.server.stop().catch(() => undefined);
    await s.store.close().catch(() => undefined);
  }
  await etcd?.stop();
});

describe('two API servers on one etcd', () => {
  it('both serve the one kubernetes Service', async () => {
    for (const s of servers) {
      const svc = await call(s.url, 'GET', '/api/v1/namespaces/default/services/kubernetes');
      expect(svc.body.spec.clusterIP).toBe('10.96.0.1');
    }
  });

  it('never gives two concurrent Services the same ClusterIP or NodePort', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(servers[i % 2]!.url, 'POST', '/api/v1/namespaces/ha/services', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `s${i}` },
          spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    expect(new Set(answers.map((a) => a.body.spec.clusterIP)).size).toBe(30);
    expect(new Set(answers.map((a) => a.body.spec.ports[0].nodePort)).size).toBe(30);
  });

  it('shows a write through one server to a watch on the other', async () => {
    const w = await openWatch(servers[1]!.url, '/api/v1/namespaces/ha/configmaps?watch=1');
    try {
      await call(servers[0]!.url, 'POST', '/api/v1/namespaces/ha/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' } });
      await eventually(() => (w.events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'shared') ? true : undefined));
    } finally {
      w.close();
    }
  });
});

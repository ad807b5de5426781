// Service ClusterIP and NodePort allocation through HTTP against a real SqliteStore: no double
// allocation under concurrent creates, requested values honoured or refused with 422, release on delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../apiserver/harness.js';

let h: Harness;
const services = '/api/v1/namespaces/svc/services';

function service(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, protocol: 'TCP' }], ...spec } };
}

beforeAll(async () => {
  // A tiny range makes collisions certain if reservations were not atomic.
  h = await startHarness({ serviceCIDR: '10.96.0.0/26', nodePortRange: '30000-30063' });
  await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'svc' } });
});

afterAll(async () => {
  await h?.stop();
});

describe('API server service allocation', () => {
  it('gives concurrent creates distinct ClusterIPs and NodePorts', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => h.request('POST', services, service(`s${i}`, { type: 'NodePort' }))),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const ips = answers.map((a) => a.body.spec.clusterIP as string);
    const ports = answers.map((a) => a.body.spec.ports[0].nodePort as number);
    expect(new Set(ips).size).toBe(40);
    expect(new Set(ports).size).toBe(40);
    expect(ips).not.toContain('10.96.0.1');
    expect(ports.every((p) => p >= 30000 && p <= 30063)).toBe(true);
    // Deleting them frees everything for the tests below, which ask for specific values.
    for (let i = 0; i < 40; i++) expect((await h.request('DELETE', `${services}/s${i}`)).status).toBe(200);
    expect((await h.store.list('/registry/ipallocations/')).items.map((i) => i.key)).toEqual(['/registry/ipallocations/10.96.0.1']);
    expect((await h.store.list('/registry/nodeportallocations/')).items).toHaveLength(0);
  });

  it('honours a requested clusterIP and refuses one already taken with 422', async () => {
    const ok = await h.request('POST', services, service('wants-ip', { clusterIP: '10.96.0.60' }));
    expect(ok.status).toBe(201);
    expect(ok.body.spec.clusterIPs).toEqual(['10.96.0.60']);
    const taken = await h.request('POST', services, service('same-ip', { clusterIP: '10.96.0.60' }));
    expect(taken.status).toBe(422);
    expect(taken.body.details.causes[0]).toMatchObject({ field: 'spec.clusterIPs', reason: 'FieldValueInvalid' });
    expect(taken.body.message).toContain('provided IP is already allocated');
    const outside = await h.request('POST', services, service('outside', { clusterIP: '192.168.0.1' }));
    expect(outside.status).toBe(422);
  });

  it('refuses a NodePort that is taken or out of range', async () => {
    const first = await h.request('POST', services, service('np-a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30063 }] }));
    expect(first.status).toBe(201);
    expect(first.body.spec.ports[0].nodePort).toBe(30063);
    const again = await h.request('POST', services, service('np-b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30063 }] }));
    expect(again.status).toBe(422);
    expect(again.body.message).toContain('provided port is already allocated');
    const out = await h.request('POST', services, service('np-c', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }));
    expect(out.status).toBe(422);
  });

  it('releases the ClusterIP on delete and after a failed create', async () => {
    const created = await h.request('POST', services, service('reuse-me', { clusterIP: '10.96.0.61' }));
    expect(created.status).toBe(201);
    expect((await h.request('DELETE', `${services}/reuse-me`)).status).toBe(200);
    const again = await h.request('POST', services, service('reuse-me-2', { clusterIP: '10.96.0.61' }));
    expect(again.status).toBe(201);
    const dup = await h.request('POST', services, service('reuse-me-2', { clusterIP: '10.96.0.62' }));
    expect(dup.status).toBe(409);
    const free = await h.request('POST', services, service('gets-62', { clusterIP: '10.96.0.62' }));
    expect(free.status).toBe(201);
  });

  it('keeps the ClusterIP and NodePorts across updates that do not mention them', async () => {
    const created = await h.request('POST', services, service('keeper', { type: 'NodePort', clusterIP: '10.96.0.59' }));
    expect(created.status).toBe(201);
    const patched = await h.request('PATCH', `${services}/keeper`, { metadata: { labels: { a: 'b' } }, spec: { ports: [{ port: 80, protocol: 'TCP' }] } }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    expect(patched.body.spec.clusterIP).toBe('10.96.0.59');
    expect(patched.body.spec.ports[0].nodePort).toBe(created.body.spec.ports[0].nodePort);
  });
});

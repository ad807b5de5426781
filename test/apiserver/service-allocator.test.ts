import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { ServiceAllocator, parsePortRange } from '../../control-plane/apiserver/service-allocator.js';
import { MemoryStore } from './memory-store.js';

function svc(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } };
}

describe('ServiceAllocator', () => {
  it('hands out every address of a small range exactly once, then reports it full', async () => {
    const allocator = new ServiceAllocator(new MemoryStore(), '10.0.0.0/29', { min: 30000, max: 30001 });
    const ips: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = svc(`s${i}`, {});
      await allocator.plan(s);
      ips.push((s.spec as any).clusterIP);
    }
    // /29: .0 network, .7 broadcast, .1 reserved for `kubernetes`: .2-.6 remain.
    expect(ips.sort()).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    await expect(allocator.plan(svc('full', {}))).rejects.toMatchObject({ code: 422 });
  });

  it('gives the first address only to default/kubernetes', async () => {
    const allocator = new ServiceAllocator(new MemoryStore(), '10.96.0.0/12', parsePortRange('30000-32767'));
    await expect(allocator.plan(svc('other', { clusterIP: '10.96.0.1' }))).rejects.toMatchObject({ code: 422 });
    const k = svc('kubernetes', { clusterIP: '10.96.0.1' });
    await allocator.plan(k);
    expect((k.spec as any).clusterIPs).toEqual(['10.96.0.1']);
  });

  it('skips headless and ExternalName services', async () => {
    const allocator = new ServiceAllocator(new MemoryStore(), '10.96.0.0/12', parsePortRange('30000-32767'));
    const headless = svc('h', { clusterIP: 'None' });
    await allocator.plan(headless);
    expect((headless.spec as any).clusterIP).toBe('None');
    const ext = svc('e', { type: 'ExternalName', externalName: 'example.com' });
    await allocator.plan(ext);
    expect((ext.spec as any).clusterIP).toBeUndefined();
  });

  it('rolls back reservations when asked', async () => {
    const store = new MemoryStore();
    const allocator = new ServiceAllocator(store, '10.96.0.0/12', parsePortRange('30000-32767'));
    const plan = await allocator.plan(svc('np', { type: 'NodePort' }));
    expect((await store.list('/registry/')).items).toHaveLength(2);
    await plan.rollback();
    expect((await store.list('/registry/')).items).toHaveLength(0);
  });

  it('releases node ports an update no longer uses after commit', async () => {
    const store = new MemoryStore();
    const allocator = new ServiceAllocator(store, '10.96.0.0/12', parsePortRange('30000-32767'));
    const old = svc('np', { type: 'NodePort' });
    await allocator.plan(old);
    const next = structuredClone(old);
    (next.spec as any).type = 'ClusterIP';
    const plan = await allocator.plan(next, old);
    expect((next.spec as any).ports[0].nodePort).toBeUndefined();
    await plan.commit();
    expect((await store.list('/registry/nodeportallocations/')).items).toHaveLength(0);
    expect((await store.list('/registry/ipallocations/')).items).toHaveLength(1);
  });

  it('rejects malformed port ranges', () => {
    for (const bad of ['', '5', '10-5', '0-10', '1-70000']) expect(() => parsePortRange(bad)).toThrow();
  });
});

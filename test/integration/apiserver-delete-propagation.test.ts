// DELETE's propagation policy becomes the garbage collector's finalizers (orphan / foregroundDeletion),
// as upstream's store does; the object then waits, terminating, for the GC to remove them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, pod, startHarness, type Harness } from '../apiserver/harness.js';

let h: Harness;
const cms = '/api/v1/namespaces/prop/configmaps';

beforeAll(async () => {
  h = await startHarness();
  await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prop' } });
});

afterAll(async () => {
  await h?.stop();
});

async function create(name: string, finalizers?: string[]): Promise<void> {
  const body = configMap(name);
  if (finalizers) (body.metadata as Record<string, unknown>).finalizers = finalizers;
  expect((await h.request('POST', cms, body)).status).toBe(201);
}

describe('DELETE propagation policy', () => {
  const cases: { what: string; body?: unknown; query?: string; finalizers: string[] }[] = [
    { what: 'propagationPolicy Orphan in the body', body: { propagationPolicy: 'Orphan' }, finalizers: ['orphan'] },
    { what: 'propagationPolicy Foreground in the body', body: { propagationPolicy: 'Foreground' }, finalizers: ['foregroundDeletion'] },
    { what: 'propagationPolicy=Orphan in the query', query: 'propagationPolicy=Orphan', finalizers: ['orphan'] },
    { what: 'orphanDependents true (deprecated)', body: { orphanDependents: true }, finalizers: ['orphan'] },
    { what: 'orphanDependents=true in the query', query: 'orphanDependents=true', finalizers: ['orphan'] },
  ];
  cases.forEach(({ what, body, query, finalizers }, i) => {
    it(`keeps the object terminating with the GC finalizer for ${what}`, async () => {
      const name = `held-${i}`;
      await create(name);
      const del = await h.request('DELETE', `${cms}/${name}${query ? `?${query}` : ''}`, body);
      expect(del.status).toBe(200);
      expect(del.body.metadata.finalizers).toEqual(finalizers);
      expect(del.body.metadata.deletionTimestamp).toBeTruthy();
      expect(del.body.metadata.deletionGracePeriodSeconds).toBe(0);
      const got = await h.request('GET', `${cms}/${name}`);
      expect(got.status).toBe(200);
      expect(got.body.metadata.finalizers).toEqual(finalizers);
    });
  });

  it('removes an object at once for Background and for orphanDependents false', async () => {
    await create('bg');
    expect((await h.request('DELETE', `${cms}/bg`, { propagationPolicy: 'Background' })).status).toBe(200);
    expect((await h.request('GET', `${cms}/bg`)).status).toBe(404);
    await create('not-orphan');
    expect((await h.request('DELETE', `${cms}/not-orphan`, { orphanDependents: false })).status).toBe(200);
    expect((await h.request('GET', `${cms}/not-orphan`)).status).toBe(404);
  });

  it('prefers propagationPolicy over orphanDependents', async () => {
    await create('both');
    const del = await h.request('DELETE', `${cms}/both`, { propagationPolicy: 'Foreground', orphanDependents: true });
    expect(del.body.metadata.finalizers).toEqual(['foregroundDeletion']);
  });

  it('keeps other finalizers and appends the GC one after them', async () => {
    await create('mixed', ['skiff.test/x', 'foregroundDeletion']);
    const del = await h.request('DELETE', `${cms}/mixed`, { propagationPolicy: 'Orphan' });
    expect(del.body.metadata.finalizers).toEqual(['skiff.test/x', 'orphan']);
  });

  it('lets a second delete switch the policy of a terminating object', async () => {
    await create('switch');
    await h.request('DELETE', `${cms}/switch`, { propagationPolicy: 'Orphan' });
    const first = await h.request('GET', `${cms}/switch`);
    const second = await h.request('DELETE', `${cms}/switch`, { propagationPolicy: 'Foreground' });
    expect(second.status).toBe(200);
    expect(second.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(second.body.metadata.deletionTimestamp).toBe(first.body.metadata.deletionTimestamp);
    const background = await h.request('DELETE', `${cms}/switch`, { propagationPolicy: 'Background' });
    expect(background.status).toBe(200);
    expect((await h.request('GET', `${cms}/switch`)).status).toBe(404);
  });

  it('keeps the GC finalizer on a plain second delete, as upstream derives the policy from it', async () => {
    await create('plain-again');
    await h.request('DELETE', `${cms}/plain-again`, { propagationPolicy: 'Foreground' });
    const again = await h.request('DELETE', `${cms}/plain-again`);
    expect(again.status).toBe(200);
    expect(again.body.metadata.finalizers).toEqual(['foregroundDeletion']);
  });

  it('removes the object once the garbage collector drops the finalizer', async () => {
    await create('gc-done');
    await h.request('DELETE', `${cms}/gc-done`, { propagationPolicy: 'Orphan' });
    const drop = await h.request('PATCH', `${cms}/gc-done`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect(drop.status).toBe(200);
    expect((await h.request('GET', `${cms}/gc-done`)).status).toBe(404);
  });

  it('keeps a pod gracefully terminating with the GC finalizer', async () => {
    const pods = '/api/v1/namespaces/prop/pods';
    await h.request('POST', pods, pod('orphaned-pod', { nodeName: 'node-a' }));
    const del = await h.request('DELETE', `${pods}/orphaned-pod`, { propagationPolicy: 'Orphan' });
    expect(del.body.metadata.finalizers).toEqual(['orphan']);
    expect(del.body.metadata.deletionGracePeriodSeconds).toBe(30);
    // The kubelet's final delete (grace 0) leaves it to the garbage collector's finalizer.
    const final = await h.request('DELETE', `${pods}/orphaned-pod`, { gracePeriodSeconds: 0 });
    expect(final.status).toBe(200);
    expect(final.body.metadata.finalizers).toEqual(['orphan']);
    expect((await h.request('GET', `${pods}/orphaned-pod`)).status).toBe(200);
  });

  it('keeps an orphaning namespace until both its spec and metadata finalizers are gone', async () => {
    await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'orphaning' } });
    const created = await h.request('GET', '/api/v1/namespaces/orphaning');
    expect(created.body.spec.finalizers).toEqual(['kubernetes']);
    expect(created.body.status.phase).toBe('Active');
    const del = await h.request('DELETE', '/api/v1/namespaces/orphaning', { propagationPolicy: 'Orphan' });
    expect(del.body.status.phase).toBe('Terminating');
    expect(del.body.metadata.finalizers).toEqual(['orphan']);
    const fin = await h.request('PUT', '/api/v1/namespaces/orphaning/finalize', { ...del.body, spec: { finalizers: [] } });
    expect(fin.status).toBe(200);
    expect((await h.request('GET', '/api/v1/namespaces/orphaning')).status).toBe(200);
    const drop = await h.request('PATCH', '/api/v1/namespaces/orphaning', { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect(drop.status).toBe(200);
    expect((await h.request('GET', '/api/v1/namespaces/orphaning')).status).toBe(404);
  });

  it('refuses an unknown orphanDependents value with 400', async () => {
    await create('bad-orphan');
    expect((await h.request('DELETE', `${cms}/bad-orphan?orphanDependents=maybe`)).status).toBe(400);
  });
});

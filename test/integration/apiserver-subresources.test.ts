// Subresources (binding, scale, status is in crud), graceful pod deletion, finalizers and namespace
// termination through HTTP against a real SqliteStore.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, pod, startHarness, type Harness } from '../apiserver/harness.js';

let h: Harness;
const pods = '/api/v1/namespaces/sub/pods';

beforeAll(async () => {
  h = await startHarness();
  await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sub' } });
});

afterAll(async () => {
  await h?.stop();
});

function binding(name: string, node: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
}

describe('API server subresources and deletion', () => {
  it('binds a pod once and answers 409 to a second binding', async () => {
    await h.request('POST', pods, pod('bind-me'));
    const first = await h.request('POST', `${pods}/bind-me/binding`, binding('bind-me', 'node-a'));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'Status', status: 'Success' });
    const got = await h.request('GET', `${pods}/bind-me`);
    expect(got.body.spec.nodeName).toBe('node-a');
    expect(got.body.status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]));
    const second = await h.request('POST', `${pods}/bind-me/binding`, binding('bind-me', 'node-b'));
    expect(second.status).toBe(409);
    expect(second.body.message).toContain('already assigned to node "node-a"');
  });

  it('reads and writes the scale of a deployment', async () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'scaled' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'scaled' } }, template: { metadata: { labels: { app: 'scaled' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    await h.request('POST', '/apis/apps/v1/namespaces/sub/deployments', dep);
    const scale = await h.request('GET', '/apis/apps/v1/namespaces/sub/deployments/scaled/scale');
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { selector: 'app=scaled' } });
    const put = await h.request('PUT', '/apis/apps/v1/namespaces/sub/deployments/scaled/scale', { ...scale.body, spec: { replicas: 5 } });
    expect(put.status).toBe(200);
    expect(put.body.spec.replicas).toBe(5);
    const patched = await h.request('PATCH', '/apis/apps/v1/namespaces/sub/deployments/scaled/scale', { spec: { replicas: 1 } }, 'application/merge-patch+json');
    expect(patched.body.spec.replicas).toBe(1);
    const dep2 = await h.request('GET', '/apis/apps/v1/namespaces/sub/deployments/scaled');
    expect(dep2.body.spec.replicas).toBe(1);
    const stale = await h.request('PUT', '/apis/apps/v1/namespaces/sub/deployments/scaled/scale', { ...scale.body, spec: { replicas: 3 } });
    expect(stale.status).toBe(409);
    const negative = await h.request('PATCH', '/apis/apps/v1/namespaces/sub/deployments/scaled/scale', { spec: { replicas: -1 } }, 'application/merge-patch+json');
    expect(negative.status).toBe(422);
  });

  it('deletes an unscheduled pod at once', async () => {
    await h.request('POST', pods, pod('unbound'));
    const res = await h.request('DELETE', `${pods}/unbound`);
    expect(res.status).toBe(200);
    expect((await h.request('GET', `${pods}/unbound`)).status).toBe(404);
  });

  it('deletes a bound pod gracefully, and for good with gracePeriodSeconds=0', async () => {
    await h.request('POST', pods, pod('graceful', { terminationGracePeriodSeconds: 20 }));
    await h.request('POST', `${pods}/graceful/binding`, binding('graceful', 'node-a'));
    const first = await h.request('DELETE', `${pods}/graceful`);
    expect(first.status).toBe(200);
    expect(first.body.metadata.deletionTimestamp).toBeTruthy();
    expect(first.body.metadata.deletionGracePeriodSeconds).toBe(20);
    expect((await h.request('GET', `${pods}/graceful`)).status).toBe(200);
    const shorter = await h.request('DELETE', `${pods}/graceful`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 5 });
    expect(shorter.body.metadata.deletionGracePeriodSeconds).toBe(5);
    const final = await h.request('DELETE', `${pods}/graceful?gracePeriodSeconds=0`);
    expect(final.status).toBe(200);
    expect((await h.request('GET', `${pods}/graceful`)).status).toBe(404);
  });

  it('keeps an object with finalizers until the last one is removed', async () => {
    await h.request('POST', '/api/v1/namespaces/sub/configmaps', { ...configMap('held'), metadata: { name: 'held', finalizers: ['skiff.test/a', 'skiff.test/b'] } });
    const del = await h.request('DELETE', '/api/v1/namespaces/sub/configmaps/held');
    expect(del.status).toBe(200);
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    const one = await h.request('PATCH', '/api/v1/namespaces/sub/configmaps/held', [{ op: 'remove', path: '/metadata/finalizers/0' }], 'application/json-patch+json');
    expect(one.status).toBe(200);
    expect((await h.request('GET', '/api/v1/namespaces/sub/configmaps/held')).status).toBe(200);
    const got = await h.request('GET', '/api/v1/namespaces/sub/configmaps/held');
    const last = await h.request('PUT', '/api/v1/namespaces/sub/configmaps/held', { ...got.body, metadata: { ...got.body.metadata, finalizers: [] } });
    expect(last.status).toBe(200);
    expect((await h.request('GET', '/api/v1/namespaces/sub/configmaps/held')).status).toBe(404);
  });

  it('checks delete preconditions', async () => {
    await h.request('POST', '/api/v1/namespaces/sub/configmaps', configMap('pre'));
    const res = await h.request('DELETE', '/api/v1/namespaces/sub/configmaps/pre', { preconditions: { uid: 'not-the-uid' } });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('Precondition failed: UID in precondition: not-the-uid');
  });

  it('turns a deleted namespace Terminating until its finalizer is removed', async () => {
    await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'short-lived' } });
    const del = await h.request('DELETE', '/api/v1/namespaces/short-lived');
    expect(del.body.status.phase).toBe('Terminating');
    const ns = await h.request('GET', '/api/v1/namespaces/short-lived');
    expect(ns.body.spec.finalizers).toEqual(['kubernetes']);
    const fin = await h.request('PUT', '/api/v1/namespaces/short-lived/finalize', { ...ns.body, spec: { finalizers: [] } });
    expect(fin.status).toBe(200);
    expect((await h.request('GET', '/api/v1/namespaces/short-lived')).status).toBe(404);
  });
});

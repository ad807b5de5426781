import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, Pod, ReplicaSet } from '../../api/index.js';
import type { KubeObject, OwnerReference } from '../../api/object.js';
import { builtinResources } from '../../api/resources.js';
import { deploymentsResource, podsResource, replicaSetsResource } from '../../control-plane/controllers/resources.js';
import { createNamespace, eventually, listIn, ns, startControllerHarness, type ControllerHarness } from './harness.js';

const configMaps = builtinResources.find((r) => r.plural === 'configmaps')!;

function cm(name: string, owners: OwnerReference[] = [], finalizers?: string[]): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: owners, ...(finalizers ? { finalizers } : {}) }, data: { k: 'v' } };
}

function ref(o: KubeObject, blockOwnerDeletion = true): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name ?? '', uid: o.metadata.uid ?? '', blockOwnerDeletion };
}

async function gone(h: ControllerHarness, namespace: string, name: string): Promise<boolean> {
  return h.client.get(configMaps, name, { namespace }).then(
    () => false,
    () => true,
  );
}

describe('garbage collector', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await startControllerHarness(['replicaset', 'deployment', 'garbagecollector']);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('cascades a background delete of a deployment to its ReplicaSets and pods', async () => {
    const namespace = ns('gc-deploy');
    await createNamespace(h.client, namespace);
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    };
    await h.client.create(deploymentsResource, d, { namespace });
    await eventually(async () => (await listIn<Pod>(h.client, podsResource, namespace)).length === 2);
    await h.client.delete(deploymentsResource, 'web', { namespace });
    await eventually(async () => (await listIn<ReplicaSet>(h.client, replicaSetsResource, namespace)).length === 0, 20_000, 'replica sets deleted');
    await eventually(async () => (await listIn<Pod>(h.client, podsResource, namespace)).length === 0, 20_000, 'pods deleted');
  });

  it('deletes an object whose only owner has a different uid, and keeps one with a live owner', async () => {
    const namespace = ns('gc-uid');
    await createNamespace(h.client, namespace);
    const owner = await h.client.create(configMaps, cm('owner'), { namespace });
    await h.client.create(configMaps, cm('stale-dep', [{ ...ref(owner), uid: '00000000-0000-0000-0000-000000000000' }]), { namespace });
    await h.client.create(configMaps, cm('live-dep', [ref(owner)]), { namespace });
    await eventually(() => gone(h, namespace, 'stale-dep'), 20_000, 'stale dependent deleted');
    await new Promise((r) => setTimeout(r, 300));
    expect(await gone(h, namespace, 'live-dep')).toBe(false);
  });

  it('removes only the dangling reference from an object that still has a live owner', async () => {
    const namespace = ns('gc-partial');
    await createNamespace(h.client, namespace);
    const live = await h.client.create(configMaps, cm('live'), { namespace });
    const doomed = await h.client.create(configMaps, cm('doomed'), { namespace });
    await h.client.create(configMaps, cm('dep', [ref(live), ref(doomed)]), { namespace });
    await h.client.delete(configMaps, 'doomed', { namespace });
    const dep = await eventually(async () => {
      const o = await h.client.get(configMaps, 'dep', { namespace });
      return o.metadata.ownerReferences?.length === 1 ? o : undefined;
    });
    expect(dep.metadata.ownerReferences?.[0]?.uid).toBe(live.metadata.uid);
  });

  it('orphans dependents of an owner deleted with the orphan finalizer, then lets the owner go', async () => {
    const namespace = ns('gc-orphan');
    await createNamespace(h.client, namespace);
    const owner = await h.client.create(configMaps, cm('owner', [], ['orphan']), { namespace });
    await h.client.create(configMaps, cm('dep', [ref(owner)]), { namespace });
    await h.client.delete(configMaps, 'owner', { namespace, propagationPolicy: 'Orphan' });
    await eventually(() => gone(h, namespace, 'owner'), 20_000, 'owner removed');
    const dep = await h.client.get(configMaps, 'dep', { namespace });
    expect(dep.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('deletes blocking dependents before removing the foregroundDeletion finalizer', async () => {
    const namespace = ns('gc-fg');
    await createNamespace(h.client, namespace);
    const owner = await h.client.create(configMaps, cm('owner', [], ['foregroundDeletion']), { namespace });
    // The dependent itself has a finalizer, so it stays (terminating) until the test lets it go.
    await h.client.create(configMaps, cm('dep', [ref(owner)], ['test.skiff.dev/hold']), { namespace });
    await h.client.delete(configMaps, 'owner', { namespace, propagationPolicy: 'Foreground' });
    await eventually(async () => (await h.client.get(configMaps, 'dep', { namespace })).metadata.deletionTimestamp !== undefined, 20_000, 'dependent deleted');
    await new Promise((r) => setTimeout(r, 300));
    expect(await gone(h, namespace, 'owner')).toBe(false);
    await h.client.patch(configMaps, 'dep', { metadata: { finalizers: [] } }, { namespace });
    await eventually(() => gone(h, namespace, 'owner'), 20_000, 'owner removed after its dependent');
  });
});

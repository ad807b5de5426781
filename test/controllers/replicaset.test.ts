import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreEvent, Pod, ReplicaSet } from '../../api/index.js';
import { builtinResources } from '../../api/resources.js';
import { podsResource, replicaSetsResource } from '../../control-plane/controllers/resources.js';
import { createNamespace, eventually, listIn, markPodReady, ns, startControllerHarness, type ControllerHarness } from './harness.js';

const eventsResource = builtinResources.find((r) => r.group === '' && r.plural === 'events')!;

function replicaSet(name: string, replicas: number, extra: Partial<NonNullable<ReplicaSet['spec']>> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      ...extra,
    },
  };
}

function activePods(pods: Pod[]): Pod[] {
  return pods.filter((p) => !p.metadata.deletionTimestamp);
}

describe('ReplicaSet controller', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await startControllerHarness(['replicaset']);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('creates pods from the template with a controller reference and generateName', async () => {
    const namespace = ns('rs-create');
    await createNamespace(h.client, namespace);
    const rs = await h.client.create(replicaSetsResource, replicaSet('web', 3), { namespace });
    const pods = await eventually(async () => {
      const p = await listIn<Pod>(h.client, podsResource, namespace, 'app=web');
      return p.length === 3 ? p : undefined;
    });
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]+$/);
      expect(p.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    // Never more than asked for, even after more reconciles.
    await new Promise((r) => setTimeout(r, 300));
    expect(await listIn(h.client, podsResource, namespace)).toHaveLength(3);
    const status = await eventually(async () => {
      const cur = await h.client.get<ReplicaSet>(replicaSetsResource, 'web', { namespace });
      return cur.status?.replicas === 3 && cur.status.observedGeneration === cur.metadata.generation ? cur.status : undefined;
    });
    expect(status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 0, availableReplicas: 0 });
    const events = await eventually(async () => {
      const e = (await listIn<CoreEvent>(h.client, eventsResource, namespace)).filter((x) => x.reason === 'SuccessfulCreate');
      return e.length === 3 ? e : undefined;
    });
    expect(events[0]).toMatchObject({ type: 'Normal', involvedObject: { kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid }, source: { component: 'replicaset-controller' } });
    expect(events.map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  });

  it('counts ready pods and scales through the scale subresource, deleting not-ready pods first', async () => {
    const namespace = ns('rs-scale');
    await createNamespace(h.client, namespace);
    await h.client.create(replicaSetsResource, replicaSet('api', 3), { namespace });
    const pods = await eventually(async () => {
      const p = await listIn<Pod>(h.client, podsResource, namespace);
      return p.length === 3 ? p : undefined;
    });
    const ready = [pods[0] as Pod, pods[1] as Pod];
    await markPodReady(h.client, ready[0] as Pod, '10.0.0.1');
    await markPodReady(h.client, ready[1] as Pod, '10.0.0.2');
    await eventually(async () => {
      const cur = await h.client.get<ReplicaSet>(replicaSetsResource, 'api', { namespace });
      return cur.status?.readyReplicas === 2 && cur.status.availableReplicas === 2;
    });
    await h.client.patch(replicaSetsResource, 'api', { spec: { replicas: 2 } }, { namespace, subresource: 'scale' });
    const left = await eventually(async () => {
      const p = activePods(await listIn<Pod>(h.client, podsResource, namespace));
      return p.length === 2 ? p : undefined;
    });
    expect(left.map((p) => p.metadata.name).sort()).toEqual(ready.map((p) => p.metadata.name).sort());
    await h.client.patch(replicaSetsResource, 'api', { spec: { replicas: 5 } }, { namespace, subresource: 'scale' });
    await eventually(async () => (await listIn<Pod>(h.client, podsResource, namespace)).length === 5);
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
    const namespace = ns('rs-adopt');
    await createNamespace(h.client, namespace);
    const orphan: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'orphan', labels: { app: 'db' } },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    };
    await h.client.create(podsResource, orphan, { namespace });
    const rs = await h.client.create(replicaSetsResource, replicaSet('db', 2), { namespace });
    await eventually(async () => (await listIn<Pod>(h.client, podsResource, namespace)).length === 2);
    const adopted = await h.client.get<Pod>(podsResource, 'orphan', { namespace });
    expect(adopted.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', uid: rs.metadata.uid, controller: true });

    await h.client.patch(podsResource, 'orphan', { metadata: { labels: { app: 'other' } } }, { namespace });
    await eventually(async () => {
      const p = await h.client.get<Pod>(podsResource, 'orphan', { namespace });
      return (p.metadata.ownerReferences ?? []).length === 0;
    });
    // A replacement is made for the released pod.
    await eventually(async () => (await listIn<Pod>(h.client, podsResource, namespace, 'app=db')).length === 2);
  });

  it('replaces a deleted pod', async () => {
    const namespace = ns('rs-heal');
    await createNamespace(h.client, namespace);
    await h.client.create(replicaSetsResource, replicaSet('heal', 2), { namespace });
    const pods = await eventually(async () => {
      const p = await listIn<Pod>(h.client, podsResource, namespace);
      return p.length === 2 ? p : undefined;
    });
    await h.client.delete(podsResource, pods[0]?.metadata.name ?? '', { namespace });
    await eventually(async () => {
      const p = await listIn<Pod>(h.client, podsResource, namespace);
      return p.length === 2 && !p.some((x) => x.metadata.name === pods[0]?.metadata.name);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/index.js';
import { RealClock } from '../../client/index.js';
import { nodesResource, podsResource } from '../../control-plane/controllers/resources.js';
import { createNamespace, eventually, listIn, ns, startControllerHarness, type ControllerHarness } from './harness.js';

const pod = (name: string, nodeName?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'x' }] },
});

describe('pod garbage collector', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await startControllerHarness(['podgc'], new RealClock(), { podGCPeriodMs: 100, terminatedPodGCThreshold: 1 });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('force-deletes pods bound to a deleted node, including ones stuck terminating', async () => {
    const namespace = ns('podgc-orphan');
    await createNamespace(h.client, namespace);
    const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: `${namespace}-node` } };
    await h.client.create(nodesResource, node);
    await h.client.create(podsResource, pod('bound', `${namespace}-node`), { namespace });
    await h.client.create(podsResource, pod('evicted', `${namespace}-node`), { namespace });
    // Bound pods delete gracefully and wait for a kubelet that will never come.
    await h.client.delete(podsResource, 'evicted', { namespace });
    expect((await h.client.get<Pod>(podsResource, 'evicted', { namespace })).metadata.deletionTimestamp).toBeDefined();
    await new Promise((r) => setTimeout(r, 400));
    expect(await listIn(h.client, podsResource, namespace)).toHaveLength(2);
    await h.client.delete(nodesResource, `${namespace}-node`);
    await eventually(async () => (await listIn(h.client, podsResource, namespace)).length === 0, 20_000, 'orphaned pods collected');
  });

  it('deletes the oldest finished pods above the threshold', async () => {
    const namespace = ns('podgc-done');
    await createNamespace(h.client, namespace);
    for (const name of ['first', 'second']) {
      const p = await h.client.create(podsResource, pod(name), { namespace });
      await h.client.updateStatus(podsResource, { ...p, status: { phase: 'Succeeded' } });
      await new Promise((r) => setTimeout(r, 1100)); // distinct creation seconds
    }
    await eventually(async () => {
      const left = await listIn<Pod>(h.client, podsResource, namespace);
      return left.length === 1 && left[0]?.metadata.name === 'second';
    }, 20_000, 'oldest finished pod collected');
  });
});

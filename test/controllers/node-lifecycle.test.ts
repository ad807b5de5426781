import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lease, Node, Pod, Toleration } from '../../api/index.js';
import { FakeClock } from '../../client/index.js';
import { evictionTimeMs } from '../../control-plane/controllers/nodelifecycle/taint-eviction.js';
import { leasesResource, nodesResource, podsResource } from '../../control-plane/controllers/resources.js';
import { createNamespace, eventually, ns, startControllerHarness, type ControllerHarness } from './harness.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

describe('taint eviction timing', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const, timeAdded: iso(t0) };
  const cases: Array<{ name: string; tolerations: Toleration[]; want: number | undefined }> = [
    { name: 'no toleration: now', tolerations: [], want: t0 + 5000 },
    { name: 'tolerationSeconds 10: ten seconds after the taint', tolerations: [{ key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }], want: t0 + 10_000 },
    { name: 'toleration without seconds: never', tolerations: [{ key: unreachable.key, operator: 'Exists', effect: 'NoExecute' }], want: undefined },
    { name: 'tolerate-everything: never', tolerations: [{ operator: 'Exists' }], want: undefined },
    { name: 'a NoSchedule-only toleration does not count: now', tolerations: [{ key: unreachable.key, operator: 'Exists', effect: 'NoSchedule' }], want: t0 + 5000 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(evictionTimeMs([unreachable], c.tolerations, t0 + 5000)).toBe(c.want);
    });
  }

  it("evicts after the 300 s the API server's DefaultTolerationSeconds admission gives a pod, and at once without it", () => {
    // The defaults are added once, at admission (control-plane/apiserver/admission.ts); the controller
    // only reads what the pod carries.
    const admitted: Pod = {
      metadata: { name: 'p' },
      spec: {
        containers: [],
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
      },
    };
    const bare: Pod = { metadata: { name: 'p' }, spec: { containers: [] } };
    expect(evictionTimeMs([unreachable], admitted.spec?.tolerations ?? [], t0)).toBe(t0 + 300_000);
    expect(evictionTimeMs([unreachable], bare.spec?.tolerations ?? [], t0)).toBe(t0);
  });
});

describe('node lifecycle controller', () => {
  let h: ControllerHarness;
  const clock = new FakeClock(Date.now());
  beforeAll(async () => {
    h = await startControllerHarness(['nodelifecycle'], clock, { nodeMonitorGracePeriodMs: 40_000, nodeMonitorPeriodMs: 5_000 });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  /** Moves the controller's clock forward in 1 s steps, letting reconciles run in between. */
  async function advance(ms: number): Promise<void> {
    for (let done = 0; done < ms; done += 1000) {
      await clock.advance(1000);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('marks a silent node Unknown and tainted, makes its pods not ready, and evicts them as tolerations run out', async () => {
    const namespace = ns('nlc');
    await createNamespace(h.client, namespace);
    const now = iso(clock.now());
    const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
    const created = await h.client.create(nodesResource, node);
    await h.client.updateStatus(nodesResource, { ...created, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletReady' }] } });
    const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: `${now.slice(0, -1)}.000000Z` } };
    await h.client.create(leasesResource, lease, { namespace: 'kube-node-lease' });
    const pod = (name: string, tolerations?: Toleration[]): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }], ...(tolerations ? { tolerations } : {}) },
    });
    await h.client.create(podsResource, pod('short', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }]), { namespace });
    await h.client.create(podsResource, pod('default'), { namespace });
    await h.client.create(podsResource, pod('forever', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]), { namespace });
    const short = await h.client.get<Pod>(podsResource, 'short', { namespace });
    await h.client.updateStatus(podsResource, { ...short, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    // Let the controller observe the node's heartbeat before time moves.
    await new Promise((r) => setTimeout(r, 500));

    await advance(30_000);
    expect((await h.client.get<Node>(nodesResource, 'n1')).status?.conditions?.[0]?.status).toBe('True');

    // Past the grace period; on a slow machine the controller may have seen the heartbeat a little later
    // in fake time, so keep moving the clock until it reacts (bounded).
    let unknown: Node | undefined;
    for (let waited = 0; !unknown && waited <= 60_000; waited += 1000) {
      await advance(1000);
      const n = await h.client.get<Node>(nodesResource, 'n1');
      if (n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' && (n.spec?.taints ?? []).length === 2) unknown = n;
    }
    if (!unknown) throw new Error('node never became Unknown');
    expect(unknown.status?.conditions?.[0]).toMatchObject({ reason: 'NodeStatusUnknown' });
    expect(unknown.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    await eventually(async () => (await h.client.get<Pod>(podsResource, 'short', { namespace })).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False');

    const deleting = async (name: string): Promise<boolean> =>
      h.client.get<Pod>(podsResource, name, { namespace }).then(
        (p) => p.metadata.deletionTimestamp !== undefined,
        () => true,
      );
    expect(await deleting('short')).toBe(false);
    await advance(12_000);
    await eventually(() => deleting('short'), 10_000, 'short-toleration pod evicted');
    expect(await deleting('default')).toBe(false);
    await advance(300_000);
    await eventually(() => deleting('default'), 10_000, 'default-toleration pod evicted');
    expect(await deleting('forever')).toBe(false);

    // The kubelet comes back: Ready again, taints gone.
    const back = await h.client.get<Node>(nodesResource, 'n1');
    const later = iso(clock.now());
    await h.client.updateStatus(nodesResource, { ...back, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: later, lastTransitionTime: later, reason: 'KubeletReady' }] } });
    await eventually(async () => ((await h.client.get<Node>(nodesResource, 'n1')).spec?.taints ?? []).length === 0, 10_000, 'taints removed');
  }, 120_000);
});

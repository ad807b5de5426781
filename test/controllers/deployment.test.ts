import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { CoreEvent, Deployment, Pod, ReplicaSet } from '../../api/index.js';
import { builtinResources } from '../../api/resources.js';
import { Informer } from '../../client/index.js';
import { deploymentsResource, podsResource, replicaSetsResource } from '../../control-plane/controllers/resources.js';
import { createNamespace, eventually, listIn, ns, startControllerHarness, type ControllerHarness } from './harness.js';
import { FakeKubelet } from './fake-kubelet.js';

const eventsResource = builtinResources.find((r) => r.group === '' && r.plural === 'events')!;

function deployment(name: string, replicas: number, image = 'web:1', extra: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      ...extra,
    },
  };
}

const isReady = (p: Pod): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** What `kubectl rollout status` checks before it says "successfully rolled out". */
async function rolledOut(h: ControllerHarness, namespace: string, name: string): Promise<Deployment | undefined> {
  const d = await h.client.get<Deployment>(deploymentsResource, name, { namespace });
  const s = d.status ?? {};
  const replicas = d.spec?.replicas ?? 1;
  const done =
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === replicas &&
    (s.replicas ?? 0) === replicas &&
    (s.availableReplicas ?? 0) === replicas;
  return done ? d : undefined;
}

describe('Deployment controller', () => {
  let h: ControllerHarness;
  const kubelets: FakeKubelet[] = [];
  beforeAll(async () => {
    h = await startControllerHarness(['replicaset', 'deployment']);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(kubelets.splice(0).map((k) => k.stop()));
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function setUp(prefix: string): Promise<{ namespace: string; kubelet: FakeKubelet }> {
    const namespace = ns(prefix);
    await createNamespace(h.client, namespace);
    const kubelet = new FakeKubelet(h.client, namespace);
    kubelets.push(kubelet);
    await kubelet.start();
    return { namespace, kubelet };
  }

  it('creates a ReplicaSet named by the template hash with revision 1 and reports the rollout complete', async () => {
    const { namespace } = await setUp('deploy-create');
    await h.client.create(deploymentsResource, deployment('web', 3), { namespace });
    const d = await eventually(() => rolledOut(h, namespace, 'web'), 30_000, 'rollout');
    const rss = await listIn<ReplicaSet>(h.client, replicaSetsResource, namespace);
    expect(rss).toHaveLength(1);
    const rs = rss[0] as ReplicaSet;
    const hash = rs.metadata.labels?.['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec?.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    const conditions = Object.fromEntries((d.status?.conditions ?? []).map((c) => [c.type, c]));
    expect(conditions['Available']).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(conditions['Progressing']).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    const pods = await listIn<Pod>(h.client, podsResource, namespace);
    expect(pods.every((p) => p.metadata.labels?.['pod-template-hash'] === hash)).toBe(true);
    const scaled = await eventually(async () => {
      const events = await h.client.list<CoreEvent>(eventsResource, { namespace, fieldSelector: 'involvedObject.kind=Deployment' });
      return events.items.find((e) => e.reason === 'ScalingReplicaSet');
    });
    expect(scaled.message).toBe(`Scaled up replica set web-${hash} from 0 to 3`);
  });

  it('scales up and down through the scale subresource without a new ReplicaSet', async () => {
    const { namespace } = await setUp('deploy-scale');
    await h.client.create(deploymentsResource, deployment('web', 3), { namespace });
    await eventually(() => rolledOut(h, namespace, 'web'), 30_000, 'rollout');
    await h.client.patch(deploymentsResource, 'web', { spec: { replicas: 5 } }, { namespace, subresource: 'scale' });
    await eventually(async () => (await rolledOut(h, namespace, 'web'))?.status?.replicas === 5, 30_000, 'scaled to 5');
    await h.client.patch(deploymentsResource, 'web', { spec: { replicas: 1 } }, { namespace, subresource: 'scale' });
    await eventually(async () => (await rolledOut(h, namespace, 'web'))?.status?.replicas === 1, 30_000, 'scaled to 1');
    expect(await listIn(h.client, replicaSetsResource, namespace)).toHaveLength(1);
    await eventually(async () => (await listIn<Pod>(h.client, podsResource, namespace)).length === 1);
  });

  it('rolls out a new image never below replicas - maxUnavailable ready pods nor above replicas + maxSurge pods', async () => {
    const { namespace } = await setUp('deploy-roll');
    await h.client.create(deploymentsResource, deployment('web', 4, 'web:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }), { namespace });
    await eventually(() => rolledOut(h, namespace, 'web'), 30_000, 'first rollout');

    const watcher = new Informer<Pod>(h.client, podsResource, { namespace, logger: pino({ level: 'silent' }) });
    let minReady = Infinity;
    let maxPods = 0;
    // The initial list arrives one add at a time; only complete views count.
    let synced = false;
    const observe = (): void => {
      if (!synced) return;
      const active = watcher.list().filter((p) => !p.metadata.deletionTimestamp);
      minReady = Math.min(minReady, active.filter(isReady).length);
      maxPods = Math.max(maxPods, active.length);
    };
    watcher.addEventHandler({ onAdd: observe, onUpdate: observe, onDelete: observe });
    watcher.start();
    await watcher.waitForSync(10_000);
    synced = true;
    observe();
    try {
      await h.client.patch(deploymentsResource, 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } }, { namespace });
      const d = await eventually(async () => {
        const done = await rolledOut(h, namespace, 'web');
        return done && done.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' ? done : undefined;
      }, 60_000, 'second rollout');
      expect(d.status?.updatedReplicas).toBe(4);
      const pods = await eventually(async () => {
        const p = await listIn<Pod>(h.client, podsResource, namespace);
        return p.length === 4 ? p : undefined;
      });
      expect(pods.every((p) => p.spec?.containers[0]?.image === 'web:2')).toBe(true);
      expect(minReady).toBeGreaterThanOrEqual(3);
      expect(maxPods).toBeLessThanOrEqual(5);
      const rss = await listIn<ReplicaSet>(h.client, replicaSetsResource, namespace);
      expect(rss.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.replicas]).sort()).toEqual([
        ['1', 0],
        ['2', 4],
      ]);
    } finally {
      await watcher.stop();
    }
  });

  it('scales proportionally in the middle of a rollout and then finishes it at the new size', async () => {
    const { namespace, kubelet } = await setUp('deploy-midscale');
    await h.client.create(deploymentsResource, deployment('web', 4), { namespace });
    await eventually(() => rolledOut(h, namespace, 'web'), 30_000, 'first rollout');
    kubelet.hold();
    await h.client.patch(deploymentsResource, 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } }, { namespace });
    await eventually(async () => (await listIn<ReplicaSet>(h.client, replicaSetsResource, namespace)).length === 2, 30_000, 'new ReplicaSet');
    await h.client.patch(deploymentsResource, 'web', { spec: { replicas: 8 } }, { namespace, subresource: 'scale' });
    const sizes = await eventually(async () => {
      const rss = await listIn<ReplicaSet>(h.client, replicaSetsResource, namespace);
      const total = rss.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
      return total === 9 ? rss.map((rs) => rs.spec?.replicas ?? 0).sort() : undefined;
    }, 30_000, 'scaled to replicas + maxSurge in all');
    // Both grew by 9/5 (new maximum over old): 4 -> 7 old pods, 1 -> 2 new ones.
    expect(sizes).toEqual([2, 7]);
    kubelet.release();
    const d = await eventually(async () => {
      const done = await rolledOut(h, namespace, 'web');
      return done?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' ? done : undefined;
    }, 60_000, 'rollout finished at 8');
    expect(d.status).toMatchObject({ replicas: 8, updatedReplicas: 8, availableReplicas: 8 });
  });

  it('reuses the old ReplicaSet with the next revision when the template is rolled back', async () => {
    const { namespace } = await setUp('deploy-undo');
    await h.client.create(deploymentsResource, deployment('web', 2), { namespace });
    await eventually(() => rolledOut(h, namespace, 'web'), 30_000);
    const [first] = await listIn<ReplicaSet>(h.client, replicaSetsResource, namespace);
    await h.client.patch(deploymentsResource, 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } }, { namespace });
    await eventually(async () => (await rolledOut(h, namespace, 'web'))?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2', 30_000);
    // What `kubectl rollout undo` does: put the old template back.
    await h.client.patch(deploymentsResource, 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:1' }] } } } }, { namespace });
    await eventually(async () => (await rolledOut(h, namespace, 'web'))?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3', 30_000);
    const rss = await listIn<ReplicaSet>(h.client, replicaSetsResource, namespace);
    expect(rss).toHaveLength(2);
    const reused = rss.find((rs) => rs.metadata.uid === first?.metadata.uid);
    expect(reused?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(reused?.spec?.replicas).toBe(2);
  });

  it('does not roll out while paused, and does after resume', async () => {
    const { namespace } = await setUp('deploy-pause');
    await h.client.create(deploymentsResource, deployment('web', 2), { namespace });
    await eventually(() => rolledOut(h, namespace, 'web'), 30_000);
    await h.client.patch(deploymentsResource, 'web', { spec: { paused: true } }, { namespace });
    await eventually(async () => {
      const d = await h.client.get<Deployment>(deploymentsResource, 'web', { namespace });
      return d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'DeploymentPaused';
    });
    await h.client.patch(deploymentsResource, 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } }, { namespace });
    await eventually(async () => {
      const d = await h.client.get<Deployment>(deploymentsResource, 'web', { namespace });
      return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
    });
    expect(await listIn(h.client, replicaSetsResource, namespace)).toHaveLength(1);
    await h.client.patch(deploymentsResource, 'web', { spec: { paused: false } }, { namespace });
    await eventually(async () => (await rolledOut(h, namespace, 'web'))?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2', 30_000);
  });

  it('treats a template annotation change (rollout restart) as a new rollout', async () => {
    const { namespace } = await setUp('deploy-restart');
    await h.client.create(deploymentsResource, deployment('web', 2), { namespace });
    await eventually(() => rolledOut(h, namespace, 'web'), 30_000);
    await h.client.patch(
      deploymentsResource,
      'web',
      { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } },
      { namespace },
    );
    await eventually(async () => (await rolledOut(h, namespace, 'web'))?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2', 30_000);
    const pods = await eventually(async () => {
      const p = await listIn<Pod>(h.client, podsResource, namespace);
      return p.length === 2 ? p : undefined;
    });
    expect(pods.every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] === '2026-01-01T00:00:00Z')).toBe(true);
  });

  it('Recreate scales the old ReplicaSet to zero before the new one gets pods', async () => {
    const { namespace } = await setUp('deploy-recreate');
    await h.client.create(deploymentsResource, deployment('web', 2, 'web:1', { strategy: { type: 'Recreate' } }), { namespace });
    await eventually(() => rolledOut(h, namespace, 'web'), 30_000);
    const watcher = new Informer<Pod>(h.client, podsResource, { namespace, logger: pino({ level: 'silent' }) });
    let mixed = false;
    const observe = (): void => {
      const images = new Set(watcher.list().map((p) => p.spec?.containers[0]?.image));
      if (images.size > 1) mixed = true;
    };
    watcher.addEventHandler({ onAdd: observe, onUpdate: observe, onDelete: observe });
    watcher.start();
    await watcher.waitForSync(10_000);
    try {
      await h.client.patch(deploymentsResource, 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } }, { namespace });
      await eventually(async () => (await rolledOut(h, namespace, 'web'))?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2', 30_000);
      expect(mixed).toBe(false);
    } finally {
      await watcher.stop();
    }
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    const { namespace } = await setUp('deploy-history');
    await h.client.create(deploymentsResource, deployment('web', 1, 'web:1', { revisionHistoryLimit: 1 }), { namespace });
    for (const image of ['web:2', 'web:3', 'web:4']) {
      await eventually(() => rolledOut(h, namespace, 'web'), 30_000);
      await h.client.patch(deploymentsResource, 'web', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, { namespace });
    }
    await eventually(async () => {
      const d = await rolledOut(h, namespace, 'web');
      if (d?.metadata.annotations?.['deployment.kubernetes.io/revision'] !== '4') return undefined;
      const rss = await listIn<ReplicaSet>(h.client, replicaSetsResource, namespace);
      return rss.length === 2 ? rss : undefined;
    }, 30_000, 'history pruned to one old ReplicaSet');
  });

  it('reports ProgressDeadlineExceeded when the new pods never become ready', async () => {
    const { namespace, kubelet } = await setUp('deploy-deadline');
    kubelet.hold();
    await h.client.create(deploymentsResource, deployment('web', 1, 'web:1', { progressDeadlineSeconds: 1 }), { namespace });
    await eventually(async () => {
      const d = await h.client.get<Deployment>(deploymentsResource, 'web', { namespace });
      const p = d.status?.conditions?.find((c) => c.type === 'Progressing');
      return p?.status === 'False' && p.reason === 'ProgressDeadlineExceeded';
    }, 30_000, 'progress deadline');
  });
});

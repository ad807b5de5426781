// The scheduler against a real `skiff server`: Node objects made through the API (no agents), pods
// created and watched, bindings, spreading, taints, the FailedScheduling event and PodScheduled condition.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import type { CoreEvent } from '../../api/types/event.js';
import type { Node, Taint } from '../../api/types/node.js';
import type { Pod } from '../../api/types/pod.js';
import { RestClient } from '../../client/rest-client.js';
import { ConflictError, InternalError } from '../../api/errors.js';
import { ApiBinder, Scheduler, type PodBinder } from '../../control-plane/scheduler/index.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

const namespaces = findResource('', 'v1', 'namespaces')!;
const nodes = findResource('', 'v1', 'nodes')!;
const pods = findResource('', 'v1', 'pods')!;
const events = findResource('', 'v1', 'events')!;
const replicasets = findResource('apps', 'v1', 'replicasets')!;
const silent = pino({ level: 'silent' });
const ns = `sched-it-${Date.now().toString(36)}`;

async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Binds through the API, except: `conflict-*` pods answer 409 always, `flaky-*` pods fail once with a 500. */
class TestBinder implements PodBinder {
  readonly attempts = new Map<string, number>();
  constructor(private readonly real: PodBinder) {}

  async bind(pod: Pod, nodeName: string): Promise<void> {
    const name = pod.metadata.name ?? '';
    const n = (this.attempts.get(name) ?? 0) + 1;
    this.attempts.set(name, n);
    if (name.startsWith('conflict-')) throw new ConflictError({ kind: 'pods/binding', name }, `pod ${name} is already assigned to node "elsewhere"`);
    if (name.startsWith('flaky-') && n === 1) throw new InternalError('storage hiccup');
    await this.real.bind(pod, nodeName);
  }
}

describe('scheduler against a real skiff server', () => {
  let server: SkiffServer | undefined;
  let client: RestClient;
  let scheduler: Scheduler | undefined;
  let binder: TestBinder;

  async function createNode(name: string, cpu: string, taints?: Taint[]): Promise<void> {
    const created = await client.create<Node>(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: { taints } });
    const allocatable = { cpu, memory: '8Gi', pods: '110' };
    await client.updateStatus<Node>(nodes, {
      ...created,
      status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test node' }] },
    });
  }

  async function createPod(name: string, cpu: string, extra: Partial<KubeObject['metadata']> = {}): Promise<void> {
    await client.create<Pod>(pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, ...extra },
      spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu, memory: '64Mi' } } }] },
    });
  }

  async function boundNode(name: string): Promise<string> {
    return eventually(async () => {
      const pod = await client.get<Pod>(pods, name, { namespace: ns });
      const node = pod.spec?.nodeName;
      if (!node) throw new Error(`pod ${name} not bound yet`);
      return node;
    });
  }

  beforeAll(async () => {
    server = await startSkiffServer();
    client = RestClient.fromKubeconfig(server.kubeconfigPath, { rateLimit: false, timeoutMs: 20_000 });
    await client.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const n of ['worker-1', 'worker-2', 'worker-3']) await createNode(n, '4');
    await createNode('control-plane', '8', [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    binder = new TestBinder(new ApiBinder(client));
    scheduler = new Scheduler({ client, logger: silent, binder });
    scheduler.start();
  });

  afterAll(async () => {
    await scheduler?.stop();
    client?.close();
    await server?.stop();
  });

  it('binds a pod to a fitting node and marks it PodScheduled', async () => {
    await createPod('single', '1');
    expect(await boundNode('single')).toMatch(/^worker-/);
    const pod = await client.get<Pod>(pods, 'single', { namespace: ns });
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
  });

  it('spreads the pods of a ReplicaSet over the nodes and keeps them off the tainted node', async () => {
    const rs: KubeObject = await client.create<KubeObject>(replicasets, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 6,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
    for (let i = 0; i < 6; i++) await createPod(`web-${i}`, '100m', { labels: { app: 'web' }, ownerReferences: [owner] });
    const placed = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => boundNode(`web-${i}`)));
    const perNode = new Map<string, number>();
    for (const n of placed) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    expect(perNode.has('control-plane')).toBe(false);
    expect([...perNode.values()].sort()).toEqual([2, 2, 2]);
  });

  it('leaves a pod no node fits Pending with upstream FailedScheduling text, then binds it once a fitting node appears', async () => {
    await createPod('huge', '100');
    const want =
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. ' +
      'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.';
    const event = await eventually(async () => {
      const list = await client.list<CoreEvent>(events, { namespace: ns });
      const found = list.items.find((e) => e.involvedObject.name === 'huge' && e.reason === 'FailedScheduling');
      if (!found) throw new Error('no FailedScheduling event yet');
      return found;
    });
    expect(event.message).toBe(want);
    expect(event.type).toBe('Warning');
    expect(event.source?.component).toBe('default-scheduler');
    expect(event.reportingComponent).toBe('default-scheduler');
    expect(event.involvedObject.kind).toBe('Pod');
    const condition = await eventually(async () => {
      const pod = await client.get<Pod>(pods, 'huge', { namespace: ns });
      const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
      if (!c) throw new Error('no PodScheduled condition yet');
      return c;
    });
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable', message: want });
    expect((await client.get<Pod>(pods, 'huge', { namespace: ns })).spec?.nodeName).toBeUndefined();

    await createNode('big', '200');
    expect(await boundNode('huge')).toBe('big');
  });

  it('aggregates repeated failures into one event with a count, and ignores heartbeats and its own status writes', async () => {
    await createPod('huge-2', '1000');
    const first = await eventually(async () => {
      const list = await client.list<CoreEvent>(events, { namespace: ns });
      const found = list.items.find((e) => e.involvedObject.name === 'huge-2');
      if (!found) throw new Error('no event yet');
      return found;
    });
    expect(first.count).toBe(1);
    // A heartbeat that changes nothing the filters read must not wake the parked pod (nor does the
    // scheduler's own PodScheduled write): after 2 s (past the 1 s back-off) still one attempt.
    const node = await client.get<Node>(nodes, 'worker-1');
    await client.updateStatus<Node>(nodes, { ...node, status: { ...node.status, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'heartbeat' }] } });
    await new Promise((r) => setTimeout(r, 2000));
    let list = await client.list<CoreEvent>(events, { namespace: ns });
    expect(list.items.filter((e) => e.involvedObject.name === 'huge-2').map((e) => e.count)).toEqual([1]);
    // A label change may make the pod fit: it is retried, fails the same way, and the event counts it.
    await client.patch(nodes, 'worker-1', { metadata: { labels: { touched: 'yes' } } });
    await eventually(async () => {
      list = await client.list<CoreEvent>(events, { namespace: ns });
      const mine = list.items.filter((e) => e.involvedObject.name === 'huge-2');
      expect(mine.map((e) => e.count)).toEqual([2]);
    });
  });

  it('drops a pod whose binding answers 409 and retries one whose binding failed otherwise', async () => {
    await createPod('conflict-1', '100m');
    await createPod('flaky-1', '100m');
    expect(await boundNode('flaky-1')).toMatch(/^worker-/);
    expect(binder.attempts.get('flaky-1')).toBe(2);
    const list = await client.list<CoreEvent>(events, { namespace: ns });
    expect(list.items.find((e) => e.involvedObject.name === 'flaky-1')?.message).toBe('Binding rejected: Internal error occurred: storage hiccup');
    // The 409 pod was tried once and left alone (already bound, as far as the scheduler knows).
    await new Promise((r) => setTimeout(r, 1500));
    expect(binder.attempts.get('conflict-1')).toBe(1);
    expect((await client.get<Pod>(pods, 'conflict-1', { namespace: ns })).spec?.nodeName).toBeUndefined();
  });
});

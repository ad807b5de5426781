// The node lifecycle controller (upstream's pkg/controller/nodelifecycle plus the taint-eviction
// controller): a node whose kubelet has not renewed its Lease in kube-node-lease (nor posted a Ready
// heartbeat) for the grace period (40 s) gets Ready=Unknown and the unreachable NoSchedule and NoExecute
// taints; a node the kubelet reports NotReady gets the not-ready ones; a Ready node loses them. Pods on
// an unreachable node are marked not ready, and pods on any NoExecute-tainted node are deleted when their
// toleration runs out. Heartbeats are judged by when this controller saw them change, never by comparing
// clocks with the node, as upstream does.
import { NotFoundError } from '../../../api/errors.js';
import type { Lease, Node, NodeCondition, Pod, Taint } from '../../../api/index.js';
import { type Informer, type Timer } from '../../../client/index.js';
import { byNodeName, ensureNodeNameIndex } from '../index-funcs.js';
import type { ControllerContext } from '../controller-context.js';
import { QueueController } from '../queue-controller.js';
import { leasesResource, nodesResource, podsResource } from '../resources.js';
import { writeStatus } from '../status-writer.js';
import { timestamp } from '../time.js';
import { evictionTimeMs, notReadyTaintKey, unreachableTaintKey } from './taint-eviction.js';

export const nodeLeaseNamespace = 'kube-node-lease';

export interface NodeLifecycleOptions {
  /** How long without a heartbeat before a node is Unknown (upstream --node-monitor-grace-period, 40 s). */
  gracePeriodMs?: number;
  /** How often every node is checked (upstream --node-monitor-period, 5 s). */
  monitorPeriodMs?: number;
}

interface Observed {
  heartbeat: string;
  observedAtMs: number;
}

export class NodeLifecycleController extends QueueController {
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<Lease>;
  private readonly pods: Informer<Pod>;
  private readonly observed = new Map<string, Observed>();
  private readonly gracePeriodMs: number;
  private readonly monitorPeriodMs: number;
  private monitorTimer: Timer | undefined;
  private stopped = false;

  constructor(ctx: ControllerContext, options: NodeLifecycleOptions = {}) {
    super('nodelifecycle', ctx);
    this.gracePeriodMs = options.gracePeriodMs ?? 40_000;
    this.monitorPeriodMs = options.monitorPeriodMs ?? 5_000;
    this.nodes = ctx.informers.forResource<Node>(nodesResource);
    this.leases = ctx.informers.forResource<Lease>(leasesResource, { namespace: nodeLeaseNamespace });
    this.pods = ctx.informers.forResource<Pod>(podsResource);
    ensureNodeNameIndex(this.pods);
    this.nodes.addEventHandler({
      onAdd: (n) => this.enqueue(n),
      onUpdate: (_o, n) => this.enqueue(n),
      onDelete: (n) => this.observed.delete(n.metadata.name ?? ''),
    });
    this.leases.addEventHandler({ onAdd: (l) => this.queue.add(l.metadata.name ?? ''), onUpdate: (_o, l) => this.queue.add(l.metadata.name ?? '') });
    // A pod landing on a tainted node may have to go.
    this.pods.addEventHandler({
      onAdd: (p) => {
        if (p.spec?.nodeName) this.queue.add(p.spec.nodeName);
      },
    });
  }

  override run(workers: number): Promise<void> {
    this.scheduleMonitor();
    return super.run(workers);
  }

  override stop(): void {
    this.stopped = true;
    this.monitorTimer?.cancel();
    super.stop();
  }

  private scheduleMonitor(): void {
    if (this.stopped) return;
    this.monitorTimer = this.ctx.clock.setTimer(() => {
      for (const n of this.nodes.list()) this.enqueue(n);
      this.scheduleMonitor();
    }, this.monitorPeriodMs);
  }

  /** The node's latest heartbeat as seen here, and when this controller first saw it. */
  private heartbeatAge(node: Node, nowMs: number): number {
    const name = node.metadata.name ?? '';
    const lease = this.leases.get(`${nodeLeaseNamespace}/${name}`);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const heartbeat = `${lease?.spec?.renewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}|${ready?.status ?? ''}`;
    const seen = this.observed.get(name);
    if (!seen || seen.heartbeat !== heartbeat) {
      this.observed.set(name, { heartbeat, observedAtMs: nowMs });
      return 0;
    }
    return nowMs - seen.observedAtMs;
  }

  async reconcile(name: string): Promise<void> {
    const cached = this.nodes.get(name);
    if (!cached) return;
    let node = cached;
    const nowMs = this.ctx.clock.now();
    const age = this.heartbeatAge(node, nowMs);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (age > this.gracePeriodMs && ready?.status !== 'Unknown') {
      node = await this.markUnknown(node, ready !== undefined);
      await this.markPodsNotReady(name);
    } else if (age <= this.gracePeriodMs) {
      // Look again just after the grace period would run out.
      this.queue.addAfter(name, this.gracePeriodMs - age + 1);
    }
    node = await this.syncTaints(node);
    await this.evictPods(node, nowMs);
  }

  private async markUnknown(node: Node, everPosted: boolean): Promise<Node> {
    const now = timestamp(this.ctx.clock);
    const posted = node.status?.conditions ?? [];
    const conditions: NodeCondition[] = posted.map((c) =>
      ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].includes(c.type)
        ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: c.status === 'Unknown' ? c.lastTransitionTime : now }
        : c,
    );
    if (!everPosted) conditions.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: now });
    this.log.warn({ node: node.metadata.name, gracePeriodMs: this.gracePeriodMs }, 'node stopped heartbeating; marking Ready=Unknown');
    this.ctx.recorder.event('node-controller', node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name ?? ''} status is now: NodeNotReady`);
    try {
      return await writeStatus(this.ctx.client, nodesResource, node, { ...(node.status ?? {}), conditions });
    } catch (err) {
      if (err instanceof NotFoundError) return node;
      throw err;
    }
  }

  /** Upstream's MarkPodsNotReady: endpoints stop sending traffic to pods on a node that cannot be reached. */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const now = timestamp(this.ctx.clock);
    for (const pod of this.pods.byIndex(byNodeName, nodeName)) {
      const conditions = pod.status?.conditions ?? [];
      const ready = conditions.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const, lastTransitionTime: now } : c));
      try {
        await writeStatus(this.ctx.client, podsResource, pod, { ...(pod.status ?? {}), conditions: next });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
  }

  /** The not-ready / unreachable taints the Ready condition calls for (NoSchedule and NoExecute). */
  private async syncTaints(node: Node): Promise<Node> {
    const status = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    const wantKey = status === 'Unknown' ? unreachableTaintKey : status === 'False' ? notReadyTaintKey : undefined;
    const current = node.spec?.taints ?? [];
    const others = current.filter((t) => t.key !== notReadyTaintKey && t.key !== unreachableTaintKey);
    const now = timestamp(this.ctx.clock);
    const wanted: Taint[] = wantKey
      ? (['NoSchedule', 'NoExecute'] as const).map((effect) => {
          const existing = current.find((t) => t.key === wantKey && t.effect === effect);
          return existing ?? { key: wantKey, effect, ...(effect === 'NoExecute' ? { timeAdded: now } : {}) };
        })
      : [];
    const next = [...others, ...wanted];
    if (JSON.stringify(next) === JSON.stringify(current)) return node;
    this.log.info({ node: node.metadata.name, taints: wanted.map((t) => `${t.key}:${t.effect}`) }, 'updating node condition taints');
    try {
      return await this.ctx.client.patch<Node>(nodesResource, node.metadata.name ?? '', { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: next } });
    } catch (err) {
      if (err instanceof NotFoundError) return node;
      throw err;
    }
  }

  /** Deletes pods whose NoExecute tolerations have run out; looks again when the next one will. */
  private async evictPods(node: Node, nowMs: number): Promise<void> {
    const taints = node.spec?.taints ?? [];
    if (!taints.some((t) => t.effect === 'NoExecute')) return;
    let next: number | undefined;
    for (const pod of this.pods.byIndex(byNodeName, node.metadata.name ?? '')) {
      if (pod.metadata.deletionTimestamp) continue;
      const at = evictionTimeMs(taints, pod.spec?.tolerations ?? [], nowMs);
      if (at === undefined) continue;
      if (at > nowMs) {
        next = next === undefined ? at : Math.min(next, at);
        continue;
      }
      this.log.info({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, node: node.metadata.name }, 'evicting pod from NoExecute-tainted node');
      this.ctx.recorder.event('taint-eviction-controller', pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
      try {
        await this.ctx.client.delete(podsResource, pod.metadata.name ?? '', { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    if (next !== undefined) this.queue.addAfter(node.metadata.name ?? '', next - nowMs + 1);
  }
}

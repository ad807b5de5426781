// The pod garbage collector (upstream's pkg/controller/podgc), run as a periodic sweep: pods bound to a
// node that no longer exists (confirmed with a live GET after two sweeps) and terminating pods that were
// never scheduled are force-deleted, since no kubelet will ever finish them; finished pods beyond a
// threshold (12 500 by default, as upstream) are deleted oldest first.
import { NotFoundError } from '../../api/errors.js';
import type { Node, Pod } from '../../api/index.js';
import { keyOf, type Informer, type Timer } from '../../client/index.js';
import type { ControllerContext } from './controller-context.js';
import { QueueController } from './queue-controller.js';
import { nodesResource, podsResource } from './resources.js';

export interface PodGCOptions {
  /** Sweep period (upstream's gcCheckPeriod, 20 s). */
  periodMs?: number;
  /** Finished pods kept before the oldest are deleted (upstream --terminated-pod-gc-threshold, 12 500). */
  terminatedPodThreshold?: number;
}

const sweepKey = 'sweep';

export class PodGCController extends QueueController {
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly periodMs: number;
  private readonly threshold: number;
  /** Node names seen missing on the previous sweep: upstream's quarantine against a lagging cache. */
  private suspectNodes = new Set<string>();
  private timer: Timer | undefined;
  private stopped = false;

  constructor(ctx: ControllerContext, options: PodGCOptions = {}) {
    super('podgc', ctx);
    this.periodMs = options.periodMs ?? 20_000;
    this.threshold = options.terminatedPodThreshold ?? 12_500;
    this.pods = ctx.informers.forResource<Pod>(podsResource);
    this.nodes = ctx.informers.forResource<Node>(nodesResource);
  }

  override run(workers: number): Promise<void> {
    this.schedule();
    return super.run(Math.min(1, workers));
  }

  override stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    super.stop();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.ctx.clock.setTimer(() => {
      this.queue.add(sweepKey);
      this.schedule();
    }, this.periodMs);
  }

  async reconcile(): Promise<void> {
    const pods = this.pods.list();
    await this.collectTerminated(pods);
    await this.collectOrphans(pods);
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp && !pod.spec?.nodeName) await this.forceDelete(pod, 'terminating pod that was never scheduled');
    }
  }

  private async collectTerminated(pods: Pod[]): Promise<void> {
    const finished = pods.filter((p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed');
    const excess = finished.length - this.threshold;
    if (excess <= 0) return;
    const oldest = [...finished].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '')).slice(0, excess);
    for (const pod of oldest) await this.forceDelete(pod, 'finished pods above the threshold');
  }

  private async collectOrphans(pods: Pod[]): Promise<void> {
    const missing = new Set<string>();
    for (const pod of pods) {
      const node = pod.spec?.nodeName;
      if (node && !this.nodes.get(node)) missing.add(node);
    }
    const confirmed = new Set<string>();
    for (const node of missing) {
      if (!this.suspectNodes.has(node)) continue;
      try {
        await this.ctx.client.get(nodesResource, node);
      } catch (err) {
        if (err instanceof NotFoundError) confirmed.add(node);
        else throw err;
      }
    }
    this.suspectNodes = missing;
    for (const pod of pods) {
      if (pod.spec?.nodeName && confirmed.has(pod.spec.nodeName)) await this.forceDelete(pod, 'pod bound to a node that no longer exists');
    }
  }

  private async forceDelete(pod: Pod, why: string): Promise<void> {
    this.log.info({ pod: keyOf(pod), node: pod.spec?.nodeName, why }, 'garbage-collecting pod');
    try {
      await this.ctx.client.delete(podsResource, pod.metadata.name ?? '', { namespace: pod.metadata.namespace, gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
}

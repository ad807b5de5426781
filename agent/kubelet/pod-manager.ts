// The kubelet's pod loop: knows the pods bound to this node (fed by the informer), runs one PodWorker per
// pod uid, and for each sync decides which path applies: a live pod is synced and its status written; a pod
// being deleted is killed gracefully (preStop, stop, sandbox), cleaned up and finally deleted from the API
// with gracePeriodSeconds=0 and a uid precondition; runtime objects of a pod the API no longer has (or not
// bound here) are stopped and removed, once the informer has synced (housekeeping, also after a restart).
import type { Pod } from '../../api/index.js';
import { ConflictError, NotFoundError } from '../../api/errors.js';
import type { RestClient } from '../../client/index.js';
import { podKey } from './labels.js';
import { killPod, removePod } from './pod-killer.js';
import { syncPod } from './pod-sync.js';
import { PodWorkers } from './pod-workers.js';
import { podsResource } from './resources.js';
import { computePodStatus, type StatusManager } from './status/index.js';
import type { SyncContext } from './sync-context.js';

/** How a deleted pod leaves the API: the real client, or a recorder in tests. */
export interface PodDeleter {
  deletePod(pod: Pod): Promise<void>;
}

/** Deletes with gracePeriodSeconds=0 and a uid precondition, as the kubelet's final delete. */
export class ApiPodDeleter implements PodDeleter {
  constructor(private readonly client: RestClient) {}

  async deletePod(pod: Pod): Promise<void> {
    try {
      await this.client.delete(podsResource, pod.metadata.name ?? '', { namespace: pod.metadata.namespace, gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof ConflictError) return;
      throw err;
    }
  }
}

export interface PodManagerOptions {
  resyncMs?: number;
  /** Grace period in seconds for pods whose API object is gone. */
  orphanGraceSeconds?: number;
}

export class PodManager {
  private readonly pods = new Map<string, Pod>();
  /** Last known object of pods removed from the API, for their preStop hooks. */
  private readonly departed = new Map<string, Pod>();
  private sourcesReady = false;
  readonly workers: PodWorkers;

  constructor(
    private readonly ctx: SyncContext,
    private readonly status: StatusManager,
    private readonly deleter: PodDeleter,
    private readonly opts: PodManagerOptions = {},
  ) {
    this.workers = new PodWorkers((uid) => this.sync(uid), ctx.clock, ctx.log, { resyncMs: opts.resyncMs });
  }

  /** A pod bound to this node was added or changed. */
  upsert(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    this.pods.set(uid, pod);
    this.workers.update(uid);
  }

  /** A pod left this node (deleted from the API). */
  remove(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    this.pods.delete(uid);
    this.departed.set(uid, pod);
    this.workers.update(uid);
  }

  /** The pod with this uid, if bound here. */
  get(uid: string): Pod | undefined {
    return this.pods.get(uid);
  }

  /** The pod bound here with this namespace and name. */
  findByName(namespace: string, name: string): Pod | undefined {
    for (const p of this.pods.values()) if (p.metadata.namespace === namespace && p.metadata.name === name) return p;
    return undefined;
  }

  /** The informer has synced: runtime objects of unknown pods may now be treated as orphans. */
  setSourcesReady(runtimeUids: string[]): void {
    this.sourcesReady = true;
    for (const uid of runtimeUids) if (!this.pods.has(uid)) this.workers.update(uid);
  }

  /** Something about this pod changed in the runtime (PLEG) or its probes. */
  wake(uid: string): void {
    if (this.pods.has(uid) || this.sourcesReady) this.workers.update(uid);
  }

  stop(): void {
    this.workers.stop();
  }

  private async sync(uid: string): Promise<number | undefined> {
    const pod = this.pods.get(uid);
    if (!pod) {
      if (!this.sourcesReady) return undefined;
      await this.cleanUpOrphan(uid);
      return undefined;
    }
    if (pod.metadata.deletionTimestamp) {
      await this.terminate(pod);
      return undefined;
    }
    const view: Pod = { ...pod, status: this.status.last(uid) ?? pod.status };
    const outcome = await syncPod(this.ctx, view);
    const status = computePodStatus({ pod: view, state: outcome.state, waiting: outcome.waiting, probes: this.ctx.probes, hostIP: this.ctx.hostIP, nowMs: this.ctx.clock.now() });
    await this.status.setStatus({ ...pod, status: this.status.last(uid) ?? pod.status }, status);
    return outcome.requeueAfterMs;
  }

  private async terminate(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    this.ctx.log.info({ pod: podKey(pod), grace }, 'terminating pod');
    const state = await killPod(this.ctx, uid, pod, grace);
    const view: Pod = { ...pod, status: this.status.last(uid) ?? pod.status };
    const status = computePodStatus({ pod: view, state, waiting: new Map(), probes: this.ctx.probes, hostIP: this.ctx.hostIP, nowMs: this.ctx.clock.now() });
    await this.status.setStatus(view, status);
    await removePod(this.ctx, uid);
    await this.deleter.deletePod(pod);
    this.ctx.log.info({ pod: podKey(pod) }, 'pod terminated and deleted');
    this.status.forget(uid);
    this.pods.delete(uid);
    this.workers.forget(uid);
  }

  private async cleanUpOrphan(uid: string): Promise<void> {
    const last = this.departed.get(uid);
    const grace = this.opts.orphanGraceSeconds ?? (last ? (last.metadata.deletionGracePeriodSeconds ?? 2) : 2);
    this.ctx.log.info({ uid, pod: last ? podKey(last) : undefined }, 'removing pod unknown to the API from the runtime');
    await killPod(this.ctx, uid, last, grace);
    await removePod(this.ctx, uid);
    this.departed.delete(uid);
    this.status.forget(uid);
    this.workers.forget(uid);
  }
}

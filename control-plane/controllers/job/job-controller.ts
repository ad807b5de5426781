// The Job controller (upstream's pkg/controller/job), NonIndexed completion mode: runs up to parallelism
// pods until `completions` of them succeed, counts failures against backoffLimit (re-creating failed pods
// after an exponential back-off), honours activeDeadlineSeconds and suspend, and reports status with
// startTime, completionTime and the Complete / Failed conditions (with SuccessCriteriaMet / FailureTarget
// before them, as upstream 1.31+ does). Finished pods are kept: their count is the job's record.
import { NotFoundError } from '../../../api/errors.js';
import type { Job, JobStatus, Pod } from '../../../api/index.js';
import { jobControllerUidLabel, jobNameLabel, labelSelectorFromSpec } from '../../../api/index.js';
import { keyOf, type Informer } from '../../../client/index.js';
import { claimObjects, ownerStillCurrent } from '../claim.js';
import type { ControllerContext } from '../controller-context.js';
import { Expectations } from '../expectations.js';
import { byNamespace, ensureNamespaceIndex } from '../index-funcs.js';
import { controllerOf, controllerRef } from '../owner-refs.js';
import { podFromTemplate, slowStartBatch } from '../pod-template.js';
import { QueueController } from '../queue-controller.js';
import { jobsResource, podsResource } from '../resources.js';
import { writeStatus } from '../status-writer.js';
import { canonicalJson } from '../canonical-json.js';
import { parseTime, timestamp } from '../time.js';
import { condition, countPods, jobComplete, jobFinished, wantActive, type JobCounts } from './job-status.js';

/** The Events' source, as upstream's. */
const component = 'job-controller';

export interface JobControllerOptions {
  /** First delay before re-creating after a pod failure, doubling per failure (upstream: 10 s, max 6 min). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export class JobController extends QueueController {
  private readonly jobs: Informer<Job>;
  private readonly pods: Informer<Pod>;
  private readonly expectations: Expectations;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;

  constructor(ctx: ControllerContext, options: JobControllerOptions = {}) {
    super('job', ctx);
    this.backoffBaseMs = options.backoffBaseMs ?? 10_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 360_000;
    this.expectations = new Expectations(ctx.clock);
    this.jobs = ctx.informers.forResource<Job>(jobsResource);
    this.pods = ctx.informers.forResource<Pod>(podsResource);
    ensureNamespaceIndex(this.jobs);
    ensureNamespaceIndex(this.pods);
    this.jobs.addEventHandler({
      onAdd: (j) => this.enqueue(j),
      onUpdate: (_o, j) => this.enqueue(j),
      onDelete: (j) => this.expectations.forget(keyOf(j)),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podChanged(p, 'add'),
      onUpdate: (old, p) => {
        if (old.metadata.resourceVersion !== p.metadata.resourceVersion) this.podChanged(p, p.metadata.deletionTimestamp ? 'delete' : 'update');
      },
      onDelete: (p) => this.podChanged(p, 'delete'),
    });
  }

  private podChanged(pod: Pod, what: 'add' | 'update' | 'delete'): void {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'Job') return;
    const job = this.jobs.get(`${pod.metadata.namespace}/${ref.name}`);
    if (!job || job.metadata.uid !== ref.uid) return;
    const key = keyOf(job);
    if (what === 'add' && !pod.metadata.deletionTimestamp) this.expectations.creationObserved(key);
    if (what === 'delete') this.expectations.deletionObserved(key, keyOf(pod));
    this.enqueue(job);
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.jobs.get(key);
    if (!cached || jobFinished(cached) || cached.metadata.deletionTimestamp) return;
    const job = structuredClone(cached);
    const pods = await this.ownedPods(job);
    const counts = countPods(job, pods);
    const now = timestamp(this.ctx.clock);
    const status: JobStatus = structuredClone(job.status ?? {});
    if (!status.startTime && !job.spec?.suspend) status.startTime = now;

    const failure = this.failureReason(job, counts, status);
    if (failure) {
      await this.deletePods(key, counts.active);
      status.conditions = [
        ...(status.conditions ?? []),
        condition('FailureTarget', failure.reason, failure.message, now),
        condition('Failed', failure.reason, failure.message, now),
      ];
      counts.active = [];
      this.ctx.recorder.event(component, job, 'Warning', failure.reason, failure.message);
    } else if (jobComplete(job, counts)) {
      await this.deletePods(key, counts.active);
      counts.active = [];
      status.completionTime = now;
      status.conditions = [
        ...(status.conditions ?? []),
        condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', now),
        condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', now),
      ];
      this.ctx.recorder.event(component, job, 'Normal', 'Completed', 'Job completed');
    } else if (this.expectations.satisfied(key)) {
      await this.manage(key, job, counts);
    }
    await this.writeStatus(job, status, counts);
  }

  /** The pods this job controls (adopting orphans its selector matches, as upstream). */
  private async ownedPods(job: Job): Promise<Pod[]> {
    const candidates = this.pods.byIndex(byNamespace, job.metadata.namespace ?? '');
    // Without a selector (the API server did not generate one) only pods we created are ours.
    if (!job.spec?.selector) return candidates.filter((p) => controllerOf(p)?.uid === job.metadata.uid);
    return claimObjects<Pod>({
      owner: job,
      ownerApiVersion: 'batch/v1',
      ownerKind: 'Job',
      selector: labelSelectorFromSpec(job.spec.selector),
      candidates,
      resource: podsResource,
      client: this.ctx.client,
      canAdopt: ownerStillCurrent(this.ctx.client, jobsResource, job),
    });
  }

  private failureReason(job: Job, counts: JobCounts, status: JobStatus): { reason: string; message: string } | undefined {
    if (counts.failed > (job.spec?.backoffLimit ?? 6)) return { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    const deadline = job.spec?.activeDeadlineSeconds;
    const started = parseTime(status.startTime);
    if (deadline !== undefined && started !== undefined) {
      const leftMs = started + deadline * 1000 - this.ctx.clock.now();
      if (leftMs <= 0) return { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
      this.enqueueAfter(job, leftMs + 10);
    }
    return undefined;
  }

  private async manage(key: string, job: Job, counts: JobCounts): Promise<void> {
    const want = wantActive(job, counts);
    const diff = counts.active.length - want;
    if (diff > 0) {
      // Not-ready pods first, newest first, as upstream's ActivePods ordering does.
      const victims = [...counts.active].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')).slice(0, diff);
      await this.deletePods(key, victims);
      return;
    }
    if (diff === 0) return;
    if (counts.failed > 0 && counts.lastFailureMs !== undefined) {
      const delayMs = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (counts.failed - 1));
      const waitMs = counts.lastFailureMs + delayMs - this.ctx.clock.now();
      if (waitMs > 0) {
        this.queue.addAfter(key, waitMs);
        return;
      }
    }
    await this.createPods(key, job, -diff);
  }

  private async createPods(key: string, job: Job, count: number): Promise<void> {
    const namespace = job.metadata.namespace ?? '';
    const pod = podFromTemplate(job.spec?.template, namespace, `${job.metadata.name ?? ''}-`, controllerRef(job, 'batch/v1', 'Job'));
    // The labels the Job registry adds to the template, in case it did not.
    pod.metadata.labels = { [jobControllerUidLabel]: job.metadata.uid ?? '', [jobNameLabel]: job.metadata.name ?? '', ...pod.metadata.labels };
    this.expectations.expectCreations(key, count);
    const { successes, error } = await slowStartBatch(count, async () => {
      try {
        const created = await this.ctx.client.create(podsResource, pod, { namespace });
        this.ctx.recorder.event(component, job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
      } catch (err) {
        this.expectations.lowerCreations(key, 1);
        this.ctx.recorder.event(component, job, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    });
    if (error !== undefined) {
      this.expectations.lowerCreations(key, Math.max(0, count - successes - 1));
      throw error;
    }
  }

  private async deletePods(key: string, pods: Pod[]): Promise<void> {
    if (pods.length === 0) return;
    this.expectations.expectDeletions(key, pods.map(keyOf));
    for (const p of pods) {
      try {
        await this.ctx.client.delete(podsResource, p.metadata.name ?? '', { namespace: p.metadata.namespace });
      } catch (err) {
        this.expectations.deletionObserved(key, keyOf(p));
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
  }

  private async writeStatus(job: Job, status: JobStatus, counts: JobCounts): Promise<void> {
    status.active = counts.active.length;
    status.ready = counts.ready;
    status.succeeded = counts.succeeded;
    status.failed = counts.failed;
    if (canonicalJson(status) === canonicalJson(job.status ?? {})) return;
    try {
      await writeStatus(this.ctx.client, jobsResource, job, status);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
}


// The Job's view of its pods and the conditions it ends with (upstream's job_controller.go, NonIndexed).
import type { Job, JobCondition, Pod } from '../../../api/index.js';
import { isPodActive, isPodReady } from '../pod-util.js';
import { parseTime } from '../time.js';

export interface JobCounts {
  active: Pod[];
  ready: number;
  succeeded: number;
  /** Failed pods, plus container restarts of OnFailure pods (they count toward backoffLimit upstream). */
  failed: number;
  /** When the most recent failure happened, in ms since the epoch (for the re-creation back-off). */
  lastFailureMs: number | undefined;
}

export function countPods(job: Job, pods: Pod[]): JobCounts {
  const active = pods.filter(isPodActive);
  let failed = 0;
  let lastFailureMs: number | undefined;
  const noteFailure = (t: string | undefined): void => {
    const ms = parseTime(t);
    if (ms !== undefined) lastFailureMs = Math.max(lastFailureMs ?? 0, ms);
  };
  for (const p of pods) {
    if (p.status?.phase === 'Failed') {
      failed++;
      const finished = (p.status.containerStatuses ?? []).map((c) => c.state?.terminated?.finishedAt).find((t) => t);
      noteFailure(finished ?? p.status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? p.metadata.creationTimestamp);
    } else if (job.spec?.template.spec?.restartPolicy === 'OnFailure' && isPodActive(p)) {
      for (const c of p.status?.containerStatuses ?? []) {
        failed += c.restartCount ?? 0;
        if ((c.restartCount ?? 0) > 0) noteFailure(c.lastState?.terminated?.finishedAt);
      }
    }
  }
  return {
    active,
    ready: active.filter(isPodReady).length,
    succeeded: pods.filter((p) => p.status?.phase === 'Succeeded').length,
    failed,
    lastFailureMs,
  };
}

export function jobFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function condition(type: string, reason: string, message: string, now: string): JobCondition {
  return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message };
}

/** Whether the job is done: `completions` successes, or (work-queue mode) any success and nothing running. */
export function jobComplete(job: Job, counts: JobCounts): boolean {
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return counts.succeeded >= completions;
  return counts.succeeded > 0 && counts.active.length === 0;
}

/** How many pods should run now (upstream's wantActive for NonIndexed jobs). */
export function wantActive(job: Job, counts: JobCounts): number {
  if (job.spec?.suspend) return 0;
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return counts.succeeded > 0 ? 0 : parallelism;
  return Math.max(0, Math.min(parallelism, completions - counts.succeeded));
}

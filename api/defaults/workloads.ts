// apps/v1 and batch/v1 defaults (upstream's pkg/apis/apps/v1 and batch/v1 defaults.go).
import type { KubeObject } from '../object.js';
import { defaultTemplate } from './pod.js';

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function unset(v: unknown): boolean {
  return v === undefined || v === null;
}

/** ReplicaSet: one replica, template defaults. */
export function defaultReplicaSet(obj: Record<string, unknown>): void {
  const spec = asObject(obj['spec']);
  if (!spec) return;
  if (unset(spec['replicas'])) spec['replicas'] = 1;
  defaultTemplate(spec);
}

/** Deployment: one replica, RollingUpdate 25%/25%, 10 old ReplicaSets kept, 600 s progress deadline. */
export function defaultDeployment(obj: Record<string, unknown>): void {
  const spec = asObject(obj['spec']);
  if (!spec) return;
  if (unset(spec['replicas'])) spec['replicas'] = 1;
  const strategy = asObject(spec['strategy']) ?? {};
  spec['strategy'] = strategy;
  if (!strategy['type']) strategy['type'] = 'RollingUpdate';
  if (strategy['type'] === 'RollingUpdate') {
    const ru = asObject(strategy['rollingUpdate']) ?? {};
    if (unset(ru['maxUnavailable'])) ru['maxUnavailable'] = '25%';
    if (unset(ru['maxSurge'])) ru['maxSurge'] = '25%';
    strategy['rollingUpdate'] = ru;
  }
  if (unset(spec['revisionHistoryLimit'])) spec['revisionHistoryLimit'] = 10;
  if (unset(spec['progressDeadlineSeconds'])) spec['progressDeadlineSeconds'] = 600;
  defaultTemplate(spec);
}

/** DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, 10 revisions kept. */
export function defaultDaemonSet(obj: Record<string, unknown>): void {
  const spec = asObject(obj['spec']);
  if (!spec) return;
  const strategy = asObject(spec['updateStrategy']) ?? {};
  spec['updateStrategy'] = strategy;
  if (!strategy['type']) strategy['type'] = 'RollingUpdate';
  if (strategy['type'] === 'RollingUpdate') {
    const ru = asObject(strategy['rollingUpdate']) ?? {};
    if (unset(ru['maxUnavailable'])) ru['maxUnavailable'] = 1;
    if (unset(ru['maxSurge'])) ru['maxSurge'] = 0;
    strategy['rollingUpdate'] = ru;
  }
  if (unset(spec['revisionHistoryLimit'])) spec['revisionHistoryLimit'] = 10;
  defaultTemplate(spec);
}

/**
 * Job: parallelism 1 (and completions 1 when both are unset), backoffLimit 6, NonIndexed, not
 * suspended; the job's labels default to its template's labels, as upstream's batch defaulter does.
 */
export function defaultJob(obj: KubeObject): void {
  const spec = asObject(obj['spec']);
  if (!spec) return;
  if (unset(spec['completions']) && unset(spec['parallelism'])) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  if (unset(spec['parallelism'])) spec['parallelism'] = 1;
  if (unset(spec['backoffLimit'])) spec['backoffLimit'] = unset(spec['backoffLimitPerIndex']) ? 6 : 2147483647;
  if (unset(spec['completionMode'])) spec['completionMode'] = 'NonIndexed';
  if (unset(spec['suspend'])) spec['suspend'] = false;
  if (unset(spec['podReplacementPolicy'])) spec['podReplacementPolicy'] = unset(spec['podFailurePolicy']) ? 'TerminatingOrFailed' : 'Failed';
  const templateLabels = asObject(asObject(asObject(spec['template'])?.['metadata'])?.['labels']) as Record<string, string> | undefined;
  if (templateLabels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...templateLabels };
  defaultTemplate(spec);
}

/** Labels upstream's Job registry puts on the pod template and selects by. */
export const jobControllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const jobNameLabel = 'batch.kubernetes.io/job-name';
const legacyControllerUidLabel = 'controller-uid';
const legacyJobNameLabel = 'job-name';

/**
 * What the Job registry does on create once the job has a uid: unless spec.manualSelector is true,
 * select `batch.kubernetes.io/controller-uid=<uid>` and add that label (plus the job-name labels and
 * their legacy forms) to the pod template. No-op without a uid.
 */
export function generateJobSelector(job: KubeObject): void {
  const spec = asObject(job['spec']);
  const uid = job.metadata.uid;
  const name = job.metadata.name ?? '';
  if (!spec || !uid || spec['manualSelector'] === true) return;
  const template = asObject(spec['template']) ?? {};
  spec['template'] = template;
  const meta = asObject(template['metadata']) ?? {};
  template['metadata'] = meta;
  const labels = (asObject(meta['labels']) ?? {}) as Record<string, string>;
  meta['labels'] = {
    ...labels,
    [legacyControllerUidLabel]: uid,
    [legacyJobNameLabel]: name,
    [jobControllerUidLabel]: uid,
    [jobNameLabel]: name,
  };
  if (unset(spec['selector'])) spec['selector'] = { matchLabels: { [jobControllerUidLabel]: uid } };
}

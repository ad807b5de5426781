// batch/v1 Job.
import type { Definition } from './field-schema.js';
import { bool, core, dateTime, def, enumOf, int32, int64, kind, list, listKind, mergeList, meta, ref, str } from './build.js';

const batch = 'io.k8s.api.batch.v1.';
const jobGvk = { group: 'batch', version: 'v1', kind: 'Job' };

export const batchDefinitions: Definition[] = [
  kind(`${batch}Job`, jobGvk, { spec: ref(`${batch}JobSpec`), status: ref(`${batch}JobStatus`) }),
  listKind(`${batch}Job`, jobGvk),
  def(
    `${batch}JobSpec`,
    {
      parallelism: int32,
      completions: int32,
      activeDeadlineSeconds: int64,
      podFailurePolicy: ref(`${batch}PodFailurePolicy`),
      successPolicy: ref(`${batch}SuccessPolicy`),
      backoffLimit: int32,
      backoffLimitPerIndex: int32,
      maxFailedIndexes: int32,
      selector: ref(`${meta}LabelSelector`),
      manualSelector: bool,
      template: ref(`${core}PodTemplateSpec`),
      ttlSecondsAfterFinished: int32,
      completionMode: enumOf('NonIndexed', 'Indexed'),
      suspend: bool,
      podReplacementPolicy: str,
      managedBy: str,
    },
    { required: ['template'] },
  ),
  def(`${batch}PodFailurePolicy`, { rules: list(ref(`${batch}PodFailurePolicyRule`)) }, { required: ['rules'] }),
  def(`${batch}PodFailurePolicyRule`, {
    action: str,
    onExitCodes: ref(`${batch}PodFailurePolicyOnExitCodesRequirement`),
    onPodConditions: list(ref(`${batch}PodFailurePolicyOnPodConditionsPattern`)),
  }, { required: ['action'] }),
  def(`${batch}PodFailurePolicyOnExitCodesRequirement`, { containerName: str, operator: str, values: list(int32, 'set') }),
  def(`${batch}PodFailurePolicyOnPodConditionsPattern`, { type: str, status: str }),
  def(`${batch}SuccessPolicy`, { rules: list(ref(`${batch}SuccessPolicyRule`)) }, { required: ['rules'] }),
  def(`${batch}SuccessPolicyRule`, { succeededIndexes: str, succeededCount: int32 }),
  def(`${batch}JobStatus`, {
    conditions: mergeList(ref(`${batch}JobCondition`), 'type', { listType: 'atomic' }),
    startTime: dateTime,
    completionTime: dateTime,
    active: int32,
    succeeded: int32,
    failed: int32,
    terminating: int32,
    completedIndexes: str,
    failedIndexes: str,
    uncountedTerminatedPods: ref(`${batch}UncountedTerminatedPods`),
    ready: int32,
  }),
  def(
    `${batch}JobCondition`,
    { type: str, status: str, lastProbeTime: dateTime, lastTransitionTime: dateTime, reason: str, message: str },
    { required: ['type', 'status'] },
  ),
  def(`${batch}UncountedTerminatedPods`, { succeeded: list(str, 'set'), failed: list(str, 'set') }),
];

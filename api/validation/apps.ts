// apps/v1: ReplicaSet, Deployment, DaemonSet, ControllerRevision (upstream's pkg/apis/apps/validation).
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../object.js';
import type { IntOrString, LabelSelector } from '../types/meta.js';
import { asRecord, child, forbidden, invalid, notSupported, required, validateImmutableField, validateNonnegativeField } from './field-error.js';
import { goLabelSelector, validateIntOrPercent, validateSelectorAndTemplate } from './workload.js';

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function activeDeadlineForbidden(spec: Record<string, unknown>, kind: string): FieldError[] {
  const tpl = asRecord(asRecord(spec['template'])?.['spec']);
  if (tpl?.['activeDeadlineSeconds'] === undefined || tpl['activeDeadlineSeconds'] === null) return [];
  return [forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`)];
}

/** ReplicaSet spec: replicas ≥0, selector/template, restartPolicy Always. */
export function validateReplicaSet(rs: KubeObject): FieldError[] {
  const spec = asRecord(rs['spec']) ?? {};
  return [
    ...validateNonnegativeField(num(spec['replicas']), 'spec.replicas'),
    ...validateNonnegativeField(num(spec['minReadySeconds']), 'spec.minReadySeconds'),
    ...validateSelectorAndTemplate(spec, 'deployment', 'spec', { requireSelector: true, allowedRestartPolicies: ['Always'] }),
    ...activeDeadlineForbidden(spec, 'ReplicaSet'),
    ...validateWorkloadStatus(rs, replicaSetStatusFields),
  ];
}

function validateRollingBounds(ru: Record<string, unknown>, path: string): FieldError[] {
  const unavailable = validateIntOrPercent(ru['maxUnavailable'] as IntOrString | undefined, child(path, 'maxUnavailable'));
  const surge = validateIntOrPercent(ru['maxSurge'] as IntOrString | undefined, child(path, 'maxSurge'));
  const errs = [...unavailable.errors, ...surge.errors];
  if (unavailable.zero && surge.zero) {
    errs.push(invalid(child(path, 'maxUnavailable'), ru['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

/** Deployment spec: replicas, selector/template, strategy, history and progress deadline. */
export function validateDeployment(d: KubeObject): FieldError[] {
  const spec = asRecord(d['spec']) ?? {};
  const errs: FieldError[] = [
    ...validateNonnegativeField(num(spec['replicas']), 'spec.replicas'),
    ...validateSelectorAndTemplate(spec, 'deployment', 'spec', { requireSelector: true, allowedRestartPolicies: ['Always'] }),
    ...activeDeadlineForbidden(spec, 'Deployment'),
    ...validateWorkloadStatus(d, deploymentStatusFields),
  ];
  const strategy = asRecord(spec['strategy']);
  if (strategy) {
    const type = strategy['type'];
    const ru = asRecord(strategy['rollingUpdate']);
    if (type === 'Recreate') {
      if (ru) errs.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    } else if (type === 'RollingUpdate' || type === undefined) {
      if (ru) errs.push(...validateRollingBounds(ru, 'spec.strategy.rollingUpdate'));
    } else {
      errs.push(notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
    }
  }
  errs.push(...validateNonnegativeField(num(spec['minReadySeconds']), 'spec.minReadySeconds'));
  errs.push(...validateNonnegativeField(num(spec['revisionHistoryLimit']), 'spec.revisionHistoryLimit'));
  const pds = num(spec['progressDeadlineSeconds']);
  if (pds !== undefined) {
    errs.push(...validateNonnegativeField(pds, 'spec.progressDeadlineSeconds'));
    if (pds <= (num(spec['minReadySeconds']) ?? 0)) {
      errs.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** DaemonSet spec: selector/template, update strategy, history. */
export function validateDaemonSet(ds: KubeObject): FieldError[] {
  const spec = asRecord(ds['spec']) ?? {};
  const errs: FieldError[] = [
    ...validateSelectorAndTemplate(spec, 'daemonset', 'spec', { requireSelector: true, allowedRestartPolicies: ['Always'] }),
    ...activeDeadlineForbidden(spec, 'DaemonSet'),
    ...validateNonnegativeField(num(spec['minReadySeconds']), 'spec.minReadySeconds'),
    ...validateNonnegativeField(num(spec['revisionHistoryLimit']), 'spec.revisionHistoryLimit'),
    ...validateWorkloadStatus(ds, daemonSetStatusFields),
  ];
  const strategy = asRecord(spec['updateStrategy']);
  if (strategy) {
    const type = strategy['type'];
    const ru = asRecord(strategy['rollingUpdate']);
    if (type === 'RollingUpdate' || type === undefined) {
      if (ru) errs.push(...validateRollingBounds(ru, 'spec.updateStrategy.rollingUpdate'));
    } else if (type !== 'OnDelete') {
      errs.push(notSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']));
    }
  }
  return errs;
}

/** ControllerRevision: data is mandatory, revision ≥0. */
export function validateControllerRevision(cr: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (cr['data'] === undefined || cr['data'] === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...validateNonnegativeField(num(cr['revision']), 'revision'));
  return errs;
}

/** apps/v1 workloads keep their selector for life; ControllerRevision data never changes. */
export function validateAppsUpdate(kind: string, obj: KubeObject, old: KubeObject): FieldError[] {
  if (kind === 'ControllerRevision') return validateImmutableField(obj['data'], old['data'], 'data', '...');
  const next = asRecord(obj['spec'])?.['selector'] as LabelSelector | undefined;
  const prev = asRecord(old['spec'])?.['selector'] as LabelSelector | undefined;
  return validateImmutableField(next, prev, 'spec.selector', goLabelSelector(next));
}

/** Status counters the controllers write must never go negative (upstream's Validate*Status). */
export function validateWorkloadStatus(obj: KubeObject, fields: readonly string[]): FieldError[] {
  const status = asRecord(obj['status']);
  if (!status) return [];
  return fields.flatMap((f) => validateNonnegativeField(num(status[f]), `status.${f}`));
}

export const replicaSetStatusFields = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];
export const deploymentStatusFields = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'observedGeneration', 'collisionCount'];
export const daemonSetStatusFields = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'observedGeneration', 'collisionCount'];
export const jobStatusFields = ['active', 'succeeded', 'failed', 'ready', 'terminating'];

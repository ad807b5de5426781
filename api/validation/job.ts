// batch/v1 Job (upstream's pkg/apis/batch/validation).
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../object.js';
import type { LabelSelector } from '../types/meta.js';
import { asRecord, invalid, notSupported, required, validateImmutableField, validateNonnegativeField } from './field-error.js';
import { goLabelSelector, validateSelectorAndTemplate } from './workload.js';
import { jobStatusFields, validateWorkloadStatus } from './apps.js';

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/**
 * Job spec on create. The selector is required only with manualSelector: otherwise the apiserver
 * generates it from the job's uid (see generateJobSelector in api/defaults).
 */
export function validateJob(job: KubeObject): FieldError[] {
  const spec = asRecord(job['spec']) ?? {};
  const errs: FieldError[] = [
    ...validateNonnegativeField(num(spec['parallelism']), 'spec.parallelism'),
    ...validateNonnegativeField(num(spec['completions']), 'spec.completions'),
    ...validateNonnegativeField(num(spec['backoffLimit']), 'spec.backoffLimit'),
    ...validateNonnegativeField(num(spec['ttlSecondsAfterFinished']), 'spec.ttlSecondsAfterFinished'),
  ];
  const ads = num(spec['activeDeadlineSeconds']);
  if (ads !== undefined && ads <= 0) errs.push(invalid('spec.activeDeadlineSeconds', ads, 'must be greater than 0'));
  const mode = spec['completionMode'];
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
    errs.push(notSupported('spec.completionMode', mode, ['NonIndexed', 'Indexed']));
  }
  if (mode === 'Indexed' && num(spec['completions']) === undefined) {
    errs.push(required('spec.completions', 'when completion mode is Indexed'));
  }
  errs.push(...validateSelectorAndTemplate(spec, 'job', 'spec', { requireSelector: spec['manualSelector'] === true }));
  // The pod defaulter sets Always when unset, which a Job may not use.
  const tplSpec = asRecord(asRecord(spec['template'])?.['spec']);
  const rp = tplSpec?.['restartPolicy'] ?? 'Always';
  if (tplSpec && rp !== 'OnFailure' && rp !== 'Never') {
    errs.push(notSupported('spec.template.spec.restartPolicy', rp, ['OnFailure', 'Never']));
  }
  errs.push(...validateWorkloadStatus(job, jobStatusFields));
  return errs;
}

/** A Job's selector, template, completionMode (and completions, unless Indexed) never change. */
export function validateJobUpdate(job: KubeObject, old: KubeObject): FieldError[] {
  const next = asRecord(job['spec']) ?? {};
  const prev = asRecord(old['spec']) ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateImmutableField(next['selector'], prev['selector'], 'spec.selector', goLabelSelector(next['selector'] as LabelSelector | undefined)));
  errs.push(...validateImmutableField(next['template'], prev['template'], 'spec.template', { rendered: 'core.PodTemplateSpec{...}' }));
  errs.push(...validateImmutableField(next['completionMode'], prev['completionMode'], 'spec.completionMode'));
  if (next['completionMode'] !== 'Indexed') errs.push(...validateImmutableField(next['completions'], prev['completions'], 'spec.completions'));
  return errs;
}

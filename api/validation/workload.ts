// Pieces every workload shares: a required, non-empty selector that matches the template's labels,
// the template validated as a pod spec, and int-or-percent rolling-update fields.
import type { FieldError } from '../errors.js';
import { labelSelectorFromSpec } from '../labels/selector.js';
import { isValidPercent } from '../names.js';
import type { IntOrString, LabelSelector } from '../types/meta.js';
import type { PodTemplateSpec } from '../types/pod.js';
import { asArray, asRecord, child, goStringMap, invalid, isNegativeErrorMsg, rendered, required, type RenderedValue } from './field-error.js';
import { validateLabelSelector } from './label-selector.js';
import { validateTemplateMeta } from './meta.js';
import { validatePodSpec } from './pod.js';

/** Go's `%#v` of a LabelSelector, as upstream prints it in selector errors. */
export function goLabelSelector(sel: LabelSelector | undefined): RenderedValue {
  if (!sel) return rendered('null');
  const exprs = asArray<{ key?: string; operator?: string; values?: string[] }>(sel.matchExpressions);
  const exprText =
    exprs.length === 0
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key ?? '')}, Operator:${JSON.stringify(e.operator ?? '')}, Values:[]string{${asArray<string>(e.values).map((v) => JSON.stringify(v)).join(', ')}}}`)
          .join(', ')}}`;
  return rendered(`v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels).rendered}, MatchExpressions:${exprText}}`);
}

/**
 * spec.selector (required, non-empty, valid) and spec.template (labels matching the selector, pod
 * spec valid, restartPolicy among `allowedRestartPolicies` when given).
 */
export function validateSelectorAndTemplate(
  spec: Record<string, unknown>,
  kindWord: string,
  path: string,
  opts: { requireSelector: boolean; allowedRestartPolicies?: readonly string[] },
): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = child(path, 'selector');
  const selector = asRecord(spec['selector']) as LabelSelector | undefined;
  let matches: ((labels: Record<string, string> | undefined) => boolean) | undefined;
  if (!selector) {
    if (opts.requireSelector) errs.push(required(selPath, ''));
  } else {
    const selErrs = validateLabelSelector(selector, selPath);
    errs.push(...selErrs);
    const empty = Object.keys(selector.matchLabels ?? {}).length + asArray(selector.matchExpressions).length === 0;
    if (empty) errs.push(invalid(selPath, goLabelSelector(selector), `empty selector is invalid for ${kindWord}`));
    else if (selErrs.length === 0) {
      try {
        const parsed = labelSelectorFromSpec(selector);
        matches = (labels) => parsed.matches(labels);
      } catch {
        errs.push(invalid(selPath, goLabelSelector(selector), 'invalid label selector'));
      }
    }
  }
  const tplPath = child(path, 'template');
  const template = asRecord(spec['template']) as PodTemplateSpec | undefined;
  if (!template) {
    errs.push(required(tplPath, ''));
    return errs;
  }
  const labels = template.metadata?.labels;
  if (matches && !matches(labels)) {
    errs.push(invalid(child(tplPath, 'metadata', 'labels'), goStringMap(labels ?? {}), '`selector` does not match template `labels`'));
  }
  errs.push(...validateTemplateMeta(template.metadata, child(tplPath, 'metadata')));
  errs.push(...validatePodSpec(template.spec, child(tplPath, 'spec')));
  const rp = template.spec?.restartPolicy;
  if (opts.allowedRestartPolicies && rp !== undefined && !opts.allowedRestartPolicies.includes(rp)) {
    errs.push({
      field: child(tplPath, 'spec', 'restartPolicy'),
      type: 'FieldValueNotSupported',
      detail: `Unsupported value: ${JSON.stringify(rp)}: supported values: ${opts.allowedRestartPolicies.map((v) => JSON.stringify(v)).join(', ')}`,
    });
  }
  return errs;
}

/**
 * A rolling-update bound: a non-negative integer or a percentage ≤100%. Returns the errors and
 * whether the value is zero (for the "both zero" rule).
 */
export function validateIntOrPercent(value: IntOrString | undefined, path: string): { errors: FieldError[]; zero: boolean } {
  if (value === undefined) return { errors: [], zero: false };
  if (typeof value === 'number') {
    return { errors: value < 0 ? [invalid(path, value, isNegativeErrorMsg)] : [], zero: value === 0 };
  }
  const msgs = isValidPercent(value);
  if (msgs.length > 0) return { errors: msgs.map((m) => invalid(path, value, m)), zero: false };
  const pct = Number(value.slice(0, -1));
  const errors = pct > 100 ? [invalid(path, value, 'must not be greater than 100%')] : [];
  return { errors, zero: pct === 0 };
}

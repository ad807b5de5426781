// Scheduling fields of a pod spec: tolerations, node affinity, pod (anti-)affinity; and taint effects,
// which Nodes share.
import type { FieldError } from '../errors.js';
import { validateLabelName } from '../labels/validation.js';
import { isQualifiedName, isValidLabelValue } from '../names.js';
import type { Affinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, Toleration } from '../types/pod.js';
import { asArray, asRecord, child, forbidden, index, invalid, notSupported, required } from './field-error.js';
import { validateLabelSelector } from './label-selector.js';

export const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A taint or toleration effect; empty is allowed only where `allowEmpty` (tolerations). */
export function validateTaintEffect(effect: unknown, allowEmpty: boolean, path: string): FieldError[] {
  if (!allowEmpty && (effect === undefined || effect === '')) return [required(path, '')];
  if (effect === undefined || effect === '') return [];
  return taintEffects.includes(String(effect)) ? [] : [notSupported(path, effect, taintEffects)];
}

/** spec.tolerations, as upstream's ValidateTolerations. */
export function validateTolerations(tolerations: Toleration[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const p = index(path, i);
    const key = t.key ?? '';
    const operator = t.operator ?? '';
    if (key !== '') errs.push(...validateLabelName(key, child(p, 'key')));
    if (key === '' && operator !== 'Exists') {
      errs.push(invalid(child(p, 'operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(invalid(child(p, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(t.value ?? '');
      if (msgs.length > 0) errs.push(invalid(child(p, 'operator'), t.value ?? '', msgs.join(';')));
    } else if (operator === 'Exists') {
      if (t.value) errs.push(invalid(child(p, 'operator'), { rendered: `core.Toleration{Key:${JSON.stringify(key)}, Operator:"Exists", Value:${JSON.stringify(t.value)}}` }, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(child(p, 'operator'), operator, ['Equal', 'Exists']));
    }
    if (t.effect) errs.push(...validateTaintEffect(t.effect, true, child(p, 'effect')));
  });
  return errs;
}

function validateNodeSelectorRequirement(rq: NodeSelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArray<string>(rq.values);
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(required(child(path, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(child(path, 'operator'), rq.operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(rq.key ?? '', child(path, 'key')));
  values.forEach((v, i) => isValidLabelValue(v).forEach((msg) => errs.push(invalid(index(child(path, 'values'), i), v, msg))));
  return errs;
}

function validateNodeFieldSelectorRequirement(rq: NodeSelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if (asArray(rq.values).length !== 1) {
      errs.push(required(child(path, 'values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    }
  } else {
    errs.push(invalid(child(path, 'operator'), rq.operator, 'not a valid selector operator'));
  }
  if (rq.key !== 'metadata.name') errs.push(notSupported(child(path, 'key'), rq.key, ['metadata.name']));
  return errs;
}

/** One node selector term: its matchExpressions and matchFields. */
export function validateNodeSelectorTerm(term: NodeSelectorTerm, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray<NodeSelectorRequirement>(term.matchExpressions).forEach((rq, j) =>
    errs.push(...validateNodeSelectorRequirement(rq, index(child(path, 'matchExpressions'), j))),
  );
  asArray<NodeSelectorRequirement>(term.matchFields).forEach((rq, j) =>
    errs.push(...validateNodeFieldSelectorRequirement(rq, index(child(path, 'matchFields'), j))),
  );
  return errs;
}

function validateNodeSelector(sel: NodeSelector, path: string): FieldError[] {
  const terms = asArray<NodeSelectorTerm>(sel.nodeSelectorTerms);
  const termsPath = child(path, 'nodeSelectorTerms');
  if (terms.length === 0) return [required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, index(termsPath, i)));
}

function validateWeight(weight: unknown, path: string): FieldError[] {
  return typeof weight === 'number' && weight >= 1 && weight <= 100 ? [] : [invalid(path, weight, 'must be in the range 1-100')];
}

function validatePodAffinityTerm(term: PodAffinityTerm, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (term.labelSelector) errs.push(...validateLabelSelector(term.labelSelector, child(path, 'labelSelector')));
  if (term.namespaceSelector) errs.push(...validateLabelSelector(term.namespaceSelector, child(path, 'namespaceSelector')));
  if (!term.topologyKey) errs.push(required(child(path, 'topologyKey'), 'can not be empty'));
  else isQualifiedName(term.topologyKey).forEach((msg) => errs.push(invalid(child(path, 'topologyKey'), term.topologyKey, msg)));
  return errs;
}

/** spec.affinity: node affinity terms and weights, pod (anti-)affinity terms. */
export function validateAffinity(affinity: Affinity | undefined, path: string): FieldError[] {
  if (!affinity) return [];
  const errs: FieldError[] = [];
  const na = asRecord(affinity.nodeAffinity);
  if (na) {
    const napath = child(path, 'nodeAffinity');
    const req = asRecord(na['requiredDuringSchedulingIgnoredDuringExecution']);
    if (req) errs.push(...validateNodeSelector(req as unknown as NodeSelector, child(napath, 'requiredDuringSchedulingIgnoredDuringExecution')));
    asArray<Record<string, unknown>>(na['preferredDuringSchedulingIgnoredDuringExecution']).forEach((term, i) => {
      const p = index(child(napath, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
      errs.push(...validateWeight(term['weight'], child(p, 'weight')));
      errs.push(...validateNodeSelectorTerm((asRecord(term['preference']) ?? {}) as NodeSelectorTerm, child(p, 'preference')));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = asRecord(affinity[kind]);
    if (!pa) continue;
    const pp = child(path, kind);
    asArray<PodAffinityTerm>(pa['requiredDuringSchedulingIgnoredDuringExecution']).forEach((t, i) =>
      errs.push(...validatePodAffinityTerm(t, index(child(pp, 'requiredDuringSchedulingIgnoredDuringExecution'), i))),
    );
    asArray<Record<string, unknown>>(pa['preferredDuringSchedulingIgnoredDuringExecution']).forEach((t, i) => {
      const p = index(child(pp, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
      errs.push(...validateWeight(t['weight'], child(p, 'weight')));
      errs.push(...validatePodAffinityTerm((asRecord(t['podAffinityTerm']) ?? {}) as unknown as PodAffinityTerm, child(p, 'podAffinityTerm')));
    });
  }
  return errs;
}

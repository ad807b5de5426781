// rbac.authorization.k8s.io/v1 checks, worded as upstream's pkg/apis/rbac/validation.
import type { FieldError } from '../errors.js';
import { isDNS1123Subdomain } from '../names.js';
import type { KubeObject } from '../object.js';
import type { ClusterRole, PolicyRule, RoleBinding, RoleRef, Subject } from '../types/rbac.js';
import { asArray, asRecord, child, index, invalid, notSupported, required } from './field-error.js';
import { validateLabelSelector } from './label-selector.js';
import type { NameValidator } from './meta.js';

export const rbacGroup = 'rbac.authorization.k8s.io';

/** Upstream's ValidateRBACName (path.IsValidPathSegmentName): names only have to fit in a URL path. */
export const nameIsPathSegment: NameValidator = (name) => {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((bad) => name.includes(bad)).map((bad) => `may not contain '${bad}'`);
};

function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (asArray(rule.verbs).length === 0) errs.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  const urls = asArray<string>(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced) errs.push(invalid(child(path, 'nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (asArray(rule.apiGroups).length > 0 || asArray(rule.resources).length > 0 || asArray(rule.resourceNames).length > 0) {
      errs.push(invalid(child(path, 'nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (asArray(rule.apiGroups).length === 0) errs.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (asArray(rule.resources).length === 0) errs.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  return asArray<unknown>(obj['rules']).flatMap((rule, i) => validatePolicyRule((asRecord(rule) ?? {}) as unknown as PolicyRule, namespaced, index('rules', i)));
}

export function validateRole(obj: KubeObject): FieldError[] {
  return validateRules(obj, true);
}

export function validateClusterRole(obj: KubeObject): FieldError[] {
  const errs = validateRules(obj, false);
  const aggregation = asRecord((obj as ClusterRole).aggregationRule);
  if (aggregation) {
    const path = 'aggregationRule.clusterRoleSelectors';
    const selectors = asArray(aggregation['clusterRoleSelectors']);
    if (selectors.length === 0) errs.push(required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(asRecord(s) ?? {}, index(path, i))));
  }
  return errs;
}

/** Upstream's ValidateRoleBindingSubject; `namespaced` is false for ClusterRoleBindings. */
function validateSubject(subject: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof subject.name === 'string' ? subject.name : '';
  const apiGroup = subject.apiGroup ?? '';
  if (name === '') errs.push(required(child(path, 'name')));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (name !== '') for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(child(path, 'name'), name, msg));
      if (apiGroup !== '') errs.push(notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== rbacGroup) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, [rbacGroup]));
      break;
    default:
      errs.push(notSupported(child(path, 'kind'), subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const roleRef = (asRecord((obj as RoleBinding).roleRef) ?? {}) as Partial<RoleRef>;
  const apiGroup = roleRef.apiGroup ?? '';
  if (apiGroup !== rbacGroup) errs.push(notSupported('roleRef.apiGroup', apiGroup, [rbacGroup]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(roleRef.kind ?? '')) errs.push(notSupported('roleRef.kind', roleRef.kind ?? '', kinds));
  const name = roleRef.name ?? '';
  if (name === '') errs.push(required('roleRef.name'));
  else for (const msg of nameIsPathSegment(name, false)) errs.push(invalid('roleRef.name', name, msg));
  asArray<Subject>((obj as RoleBinding).subjects).forEach((s, i) => {
    errs.push(...validateSubject((asRecord(s) ?? {}) as unknown as Subject, namespaced, index('subjects', i)));
  });
  return errs;
}

export function validateRoleBinding(obj: KubeObject): FieldError[] {
  return validateBinding(obj, true);
}

export function validateClusterRoleBinding(obj: KubeObject): FieldError[] {
  return validateBinding(obj, false);
}

/** Go's `%#v` of a RoleRef, as upstream prints the value of a refused roleRef change. */
function renderRoleRef(r: Partial<RoleRef>): { rendered: string } {
  return { rendered: `rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}}` };
}

/** A binding's roleRef never changes: to point at another role, delete the binding and create a new one. */
export function validateBindingUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const next = (asRecord((obj as RoleBinding).roleRef) ?? {}) as Partial<RoleRef>;
  const prev = (asRecord((old as RoleBinding).roleRef) ?? {}) as Partial<RoleRef>;
  const same = next.apiGroup === prev.apiGroup && next.kind === prev.kind && next.name === prev.name;
  return same ? [] : [invalid('roleRef', renderRoleRef(next), 'cannot change roleRef')];
}

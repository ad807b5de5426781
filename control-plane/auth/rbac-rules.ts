// Rule matching exactly as upstream's RBAC (pkg/apis/rbac/v1/evaluation_helpers.go): `*` matches anything,
// a resource rule may name `res/sub` or `*\/sub`, empty resourceNames match every name, and a
// nonResourceURL ending in `*` is a prefix.
import type { AuthorizationAttributes, UserInfo } from '../apiserver/security.js';
import { isResourceRequest } from './authorization-decision.js';
import type { PolicyRule, Subject } from './rbac-types.js';

const all = '*';

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === all || v === verb);
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === all || g === group);
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some(
    (r) => r === all || r === combined || (subresource !== '' && r === `${all}/${subresource}`),
  );
}

function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === all || u === path || (u.endsWith(all) && path.startsWith(u.slice(0, -1))),
  );
}

/** Whether one rule allows the request. */
export function ruleAllows(a: AuthorizationAttributes, rule: PolicyRule): boolean {
  if (!isResourceRequest(a)) return verbMatches(rule, a.verb) && nonResourceUrlMatches(rule, a.path ?? '');
  const sub = a.subresource ?? '';
  const combined = sub ? `${a.resource}/${sub}` : a.resource;
  return (
    verbMatches(rule, a.verb) &&
    apiGroupMatches(rule, a.apiGroup) &&
    resourceMatches(rule, combined, sub) &&
    resourceNameMatches(rule, a.name ?? '')
  );
}

/** Whether any of `rules` allows the request. */
export function rulesAllow(a: AuthorizationAttributes, rules: readonly PolicyRule[]): boolean {
  return rules.some((r) => ruleAllows(a, r));
}

/** Whether `subject` names `user`; ServiceAccount subjects without a namespace take the binding's. */
export function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns !== '' && user.name === `system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

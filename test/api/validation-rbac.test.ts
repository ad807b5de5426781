// RBAC kinds: upstream's validation texts and field paths, and the defaults a binding gets.
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../api/defaults/index.js';
import type { KubeObject } from '../../api/object.js';
import { validate } from '../../api/validation/index.js';
import { resource, summary } from './fixtures.js';

const rolesR = resource('rbac.authorization.k8s.io/v1', 'Role');
const clusterRolesR = resource('rbac.authorization.k8s.io/v1', 'ClusterRole');
const roleBindingsR = resource('rbac.authorization.k8s.io/v1', 'RoleBinding');
const clusterRoleBindingsR = resource('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding');

const group = 'rbac.authorization.k8s.io';

function role(rules: unknown[] = [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]): KubeObject {
  return { metadata: { name: 'reader', namespace: 'default' }, rules } as KubeObject;
}

function clusterRole(extra: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 'system:reader' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }], ...extra } as KubeObject;
}

function binding(namespaced: boolean, extra: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: namespaced ? { name: 'b', namespace: 'default' } : { name: 'b' },
    roleRef: { apiGroup: group, kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', apiGroup: group, name: 'bob' }],
    ...extra,
  } as KubeObject;
}

describe('validate Roles and ClusterRoles', () => {
  it('accepts valid roles, including names with colons', () => {
    expect(validate(rolesR, role())).toEqual([]);
    expect(validate(clusterRolesR, clusterRole())).toEqual([]);
  });

  it.each<[string, KubeObject, string]>([
    ['a rule without verbs', role([{ verbs: [], apiGroups: [''], resources: ['pods'] }]), 'rules[0].verbs: Required value: verbs must contain at least one value'],
    ['a rule without apiGroups', role([{ verbs: ['get'], resources: ['pods'] }]), 'rules[0].apiGroups: Required value: resource rules must supply at least one api group'],
    ['a rule without resources', role([{ verbs: ['get'], apiGroups: [''] }]), 'rules[0].resources: Required value: resource rules must supply at least one resource'],
    ['non-resource URLs in a namespaced role', role([{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]), 'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs'],
    ['a name with a slash', { ...role(), metadata: { name: 'a/b', namespace: 'default' } } as KubeObject, "metadata.name: Invalid value: \"a/b\": may not contain '/'"],
  ])('refuses a Role with %s', (_name, obj, want) => {
    expect(summary(validate(rolesR, obj))).toContain(want);
  });

  it.each<[string, KubeObject, string]>([
    ['rules mixing resources and URLs', clusterRole({ rules: [{ verbs: ['get'], resources: ['pods'], nonResourceURLs: ['/x'] }] }), 'rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs'],
    ['an empty aggregation rule', clusterRole({ aggregationRule: {} }), 'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil'],
  ])('refuses a ClusterRole with %s', (_name, obj, want) => {
    expect(summary(validate(clusterRolesR, obj))).toContain(want);
  });
});

describe('validate RoleBindings and ClusterRoleBindings', () => {
  it('accepts valid bindings', () => {
    expect(validate(roleBindingsR, binding(true))).toEqual([]);
    expect(validate(clusterRoleBindingsR, binding(false, { subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'kube-system' }] }))).toEqual([]);
  });

  it.each<[string, KubeObject, string]>([
    ['no roleRef name', binding(true, { roleRef: { apiGroup: group, kind: 'Role', name: '' } }), 'roleRef.name: Required value'],
    ['a roleRef of another group', binding(true, { roleRef: { apiGroup: 'example.com', kind: 'Role', name: 'r' } }), 'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"'],
    ['a roleRef kind that is not a role', binding(true, { roleRef: { apiGroup: group, kind: 'Pod', name: 'r' } }), 'roleRef.kind: Unsupported value: "Pod": supported values: "Role", "ClusterRole"'],
    ['an unknown subject kind', binding(true, { subjects: [{ kind: 'Robot', name: 'r2' }] }), 'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
    ['a subject without a name', binding(true, { subjects: [{ kind: 'Group', apiGroup: group, name: '' }] }), 'subjects[0].name: Required value'],
    ['a ServiceAccount subject with an apiGroup', binding(true, { subjects: [{ kind: 'ServiceAccount', apiGroup: group, name: 'sa' }] }), 'subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""'],
  ])('refuses a RoleBinding with %s', (_name, obj, want) => {
    expect(summary(validate(roleBindingsR, obj))).toContain(want);
  });

  it.each<[string, KubeObject, string]>([
    ['a Role as roleRef', binding(false, { roleRef: { apiGroup: group, kind: 'Role', name: 'r' } }), 'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
    ['a ServiceAccount without a namespace', binding(false, { subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }), 'subjects[0].namespace: Required value'],
  ])('refuses a ClusterRoleBinding with %s', (_name, obj, want) => {
    expect(summary(validate(clusterRoleBindingsR, obj))).toContain(want);
  });

  it('refuses to change the roleRef of a binding, and allows changing its subjects', () => {
    const old = binding(false);
    const changed = binding(false, { roleRef: { apiGroup: group, kind: 'ClusterRole', name: 'edit' } });
    expect(summary(validate(clusterRoleBindingsR, changed, old))).toContain(
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
    );
    expect(validate(clusterRoleBindingsR, binding(false, { subjects: [] }), old)).toEqual([]);
  });
});

describe('RBAC defaults', () => {
  it('fills the RBAC group into roleRef and User/Group subjects, not ServiceAccounts', () => {
    const b = binding(true, {
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [{ kind: 'User', name: 'u' }, { kind: 'Group', name: 'g' }, { kind: 'ServiceAccount', name: 'sa' }],
    });
    applyDefaults(roleBindingsR, b);
    expect(b['roleRef']).toEqual({ apiGroup: group, kind: 'Role', name: 'r' });
    expect(b['subjects']).toEqual([
      { kind: 'User', apiGroup: group, name: 'u' },
      { kind: 'Group', apiGroup: group, name: 'g' },
      { kind: 'ServiceAccount', name: 'sa' },
    ]);
  });
});

// rbac.authorization.k8s.io/v1 defaults (SetDefaults_RoleBinding, SetDefaults_ClusterRoleBinding,
// SetDefaults_Subject): a binding's roleRef and its User/Group subjects name the RBAC group when empty.
import type { KubeObject } from '../object.js';

const rbacGroup = 'rbac.authorization.k8s.io';

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** For RoleBindings and ClusterRoleBindings alike. */
export function defaultBinding(binding: KubeObject): void {
  const roleRef = asObject(binding['roleRef']);
  if (roleRef && !roleRef['apiGroup']) roleRef['apiGroup'] = rbacGroup;
  const subjects = Array.isArray(binding['subjects']) ? (binding['subjects'] as unknown[]) : [];
  for (const s of subjects) {
    const subject = asObject(s);
    if (!subject || subject['apiGroup']) continue;
    // ServiceAccounts live in the core group: their apiGroup stays empty.
    if (subject['kind'] === 'User' || subject['kind'] === 'Group') subject['apiGroup'] = rbacGroup;
  }
}

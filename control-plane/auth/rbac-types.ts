// The rbac.authorization.k8s.io/v1 kinds are api/'s; the authorizer reads them through RbacSource.
export type { PolicyRule, Subject, RoleRef, Role, ClusterRole, RoleBinding, ClusterRoleBinding } from '../../api/types/rbac.js';

export const rbacApiVersion = 'rbac.authorization.k8s.io/v1';

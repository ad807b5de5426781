// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
import type { KubeObject } from '../object.js';
import type { LabelSelector } from './meta.js';

/** The API group every RBAC kind and every User/Group subject names. */
export type RbacApiGroup = 'rbac.authorization.k8s.io';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  /** Plurals, `resource/subresource` (`pods/status`), `*`, or `*\/subresource`. */
  resources?: string[];
  resourceNames?: string[];
  /** ClusterRoles only: paths such as `/healthz`, or prefixes ending in `*`. */
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount' | (string & {});
  /** `rbac.authorization.k8s.io` for User and Group (defaulted), '' for ServiceAccount. */
  apiGroup?: string;
  name: string;
  /** ServiceAccount only; required in ClusterRoleBindings. */
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole' | (string & {});
  name: string;
}

export interface AggregationRule {
  clusterRoleSelectors?: LabelSelector[];
}

export interface Role extends KubeObject {
  rules?: PolicyRule[];
}

export interface ClusterRole extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: AggregationRule;
}

export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

export interface ClusterRoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

// rbac.authorization.k8s.io/v1 shapes, with upstream's JSON names. They live here until the lead registers
// the four kinds in api/resources.ts; the authorizer reads them through RbacSource, not the registry.
import type { KubeObject } from '../../api/object.js';

export const rbacApiVersion = 'rbac.authorization.k8s.io/v1';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  /** Plurals, `resource/subresource` (`pods/status`), `*`, or `*\/subresource`. */
  resources?: string[];
  resourceNames?: string[];
  /** Only in ClusterRoles: paths such as `/healthz`, or prefixes ending in `*` (`/openapi/*`). */
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  /** ServiceAccount only; defaults to the binding's namespace. */
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface Role extends KubeObject {
  rules?: PolicyRule[];
}

export interface ClusterRole extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors?: Array<{ matchLabels?: Record<string, string> }> };
}

export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

export interface ClusterRoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

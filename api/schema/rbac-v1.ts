// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
import type { Definition } from './field-schema.js';
import { def, kind, list, listKind, meta, ref, str } from './build.js';

const rbac = 'io.k8s.api.rbac.v1.';
const group = 'rbac.authorization.k8s.io';
const gvk = (k: string) => ({ group, version: 'v1', kind: k });

const rules = list(ref(`${rbac}PolicyRule`));
const subjects = list(ref(`${rbac}Subject`));

export const rbacDefinitions: Definition[] = [
  kind(`${rbac}Role`, gvk('Role'), { rules }),
  listKind(`${rbac}Role`, gvk('Role')),
  kind(`${rbac}ClusterRole`, gvk('ClusterRole'), { rules, aggregationRule: ref(`${rbac}AggregationRule`) }),
  listKind(`${rbac}ClusterRole`, gvk('ClusterRole')),
  kind(`${rbac}RoleBinding`, gvk('RoleBinding'), { subjects, roleRef: ref(`${rbac}RoleRef`) }, { required: ['roleRef'] }),
  listKind(`${rbac}RoleBinding`, gvk('RoleBinding')),
  kind(`${rbac}ClusterRoleBinding`, gvk('ClusterRoleBinding'), { subjects, roleRef: ref(`${rbac}RoleRef`) }, { required: ['roleRef'] }),
  listKind(`${rbac}ClusterRoleBinding`, gvk('ClusterRoleBinding')),
  def(
    `${rbac}PolicyRule`,
    { verbs: list(str), apiGroups: list(str), resources: list(str), resourceNames: list(str), nonResourceURLs: list(str) },
    { required: ['verbs'] },
  ),
  def(`${rbac}AggregationRule`, { clusterRoleSelectors: list(ref(`${meta}LabelSelector`)) }),
  def(`${rbac}Subject`, { kind: str, apiGroup: str, name: str, namespace: str }, { required: ['kind', 'name'] }),
  def(`${rbac}RoleRef`, { apiGroup: str, kind: str, name: str }, { required: ['apiGroup', 'kind', 'name'] }),
];

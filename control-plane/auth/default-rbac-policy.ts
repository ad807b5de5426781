// The bootstrap policy the server writes on first start, a subset of upstream's
// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy) plus kubeadm's bootstrap-token binding.
// Objects carry the label and annotation upstream uses for its reconciled defaults.
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Subject } from './rbac-types.js';
import { rbacApiVersion } from './rbac-types.js';
import { systemAuthenticated, systemBootstrappers, systemMasters } from '../../pki/well-known.js';

export interface RbacPolicy {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
}

const bootstrapMeta = (name: string) => ({
  name,
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
});

function clusterRole(name: string, rules: PolicyRule[]): ClusterRole {
  return { apiVersion: rbacApiVersion, kind: 'ClusterRole', metadata: bootstrapMeta(name), rules };
}

function binding(name: string, role: string, subjects: Subject[]): ClusterRoleBinding {
  return {
    apiVersion: rbacApiVersion,
    kind: 'ClusterRoleBinding',
    metadata: bootstrapMeta(name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  };
}

const group = (name: string): Subject => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
const user = (name: string): Subject => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });

const everything: PolicyRule[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
  { nonResourceURLs: ['*'], verbs: ['*'] },
];
const readOnly = ['get', 'list', 'watch'];

/**
 * The ClusterRoles and ClusterRoleBindings Skiff needs:
 * - cluster-admin (everything) bound to group system:masters;
 * - system:node-bootstrapper (create/get/list/watch certificatesigningrequests) bound to system:bootstrappers;
 * - system:discovery, system:basic-user and system:public-info-viewer bound to system:authenticated
 *   (GET /api, /apis, /version, /openapi/*, /healthz, /livez, /readyz);
 * - system:kube-scheduler and system:kube-controller-manager: for now the same rights as cluster-admin,
 *   bound to the users of those names (upstream's roles are long lists; Skiff's components run in-process
 *   today, so these matter only once they run with their own certificates).
 */
export function defaultRbacPolicy(): RbacPolicy {
  const clusterRoles = [
    clusterRole('cluster-admin', everything),
    clusterRole('system:node-bootstrapper', [
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', ...readOnly] },
    ]),
    clusterRole('system:discovery', [
      {
        nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/readyz', '/openapi', '/openapi/*', '/version', '/version/'],
        verbs: ['get'],
      },
    ]),
    clusterRole('system:basic-user', [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]),
    clusterRole('system:public-info-viewer', [
      { nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] },
    ]),
    clusterRole('system:kube-scheduler', everything),
    clusterRole('system:kube-controller-manager', everything),
  ];
  const clusterRoleBindings = [
    binding('cluster-admin', 'cluster-admin', [group(systemMasters)]),
    binding('system:node-bootstrapper', 'system:node-bootstrapper', [group(systemBootstrappers)]),
    binding('system:discovery', 'system:discovery', [group(systemAuthenticated)]),
    binding('system:basic-user', 'system:basic-user', [group(systemAuthenticated)]),
    binding('system:public-info-viewer', 'system:public-info-viewer', [group(systemAuthenticated)]),
    binding('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
    binding('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')]),
  ];
  return { clusterRoles, clusterRoleBindings };
}

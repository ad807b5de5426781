import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../api/errors.js';
import type { AuthorizationAttributes, UserInfo } from '../../control-plane/apiserver/security.js';
import {
  NodeAuthorizer,
  RbacAuthorizer,
  UnionAuthorizer,
  defaultRbacPolicy,
  forbiddenMessage,
  staticRbacSource,
  type ClusterRole,
  type ClusterRoleBinding,
  type Role,
  type RoleBinding,
} from '../../control-plane/auth/index.js';

const user = (name: string, ...groups: string[]): UserInfo => ({ name, groups: [...groups, 'system:authenticated'] });
const alice = user('alice');
const bob = user('bob', 'devs');
const sa = user('system:serviceaccount:team:builder', 'system:serviceaccounts');

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}) });
const clusterRoles: ClusterRole[] = [
  { metadata: meta('pod-reader'), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] },
  { metadata: meta('status-writer'), rules: [{ apiGroups: [''], resources: ['pods/status'], verbs: ['patch'] }] },
  { metadata: meta('any-status'), rules: [{ apiGroups: ['*'], resources: ['*/status'], verbs: ['get'] }] },
  { metadata: meta('one-cm'), rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['app-config'], verbs: ['get', 'update'] }] },
  { metadata: meta('apps-all'), rules: [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }] },
  { metadata: meta('metrics'), rules: [{ nonResourceURLs: ['/metrics', '/logs/*'], verbs: ['get'] }] },
];
const clusterRoleBindings: ClusterRoleBinding[] = [
  { metadata: meta('alice-reads-pods'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pod-reader' }, subjects: [{ kind: 'User', name: 'alice' }] },
  { metadata: meta('alice-metrics'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metrics' }, subjects: [{ kind: 'User', name: 'alice' }] },
  { metadata: meta('devs-status'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'any-status' }, subjects: [{ kind: 'Group', name: 'devs' }] },
  { metadata: meta('alice-missing-role'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'does-not-exist' }, subjects: [{ kind: 'User', name: 'alice' }] },
];
const roles: Role[] = [{ metadata: meta('deployer', 'team'), rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'update'] }] }];
const roleBindings: RoleBinding[] = [
  { metadata: meta('bob-status', 'team'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'status-writer' }, subjects: [{ kind: 'User', name: 'bob' }] },
  { metadata: meta('bob-config', 'team'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'one-cm' }, subjects: [{ kind: 'Group', name: 'devs' }] },
  { metadata: meta('builder-deploys', 'team'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' }, subjects: [{ kind: 'ServiceAccount', name: 'builder' }] },
  { metadata: meta('bob-apps', 'team'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'apps-all' }, subjects: [{ kind: 'User', name: 'bob' }] },
];
const rbac = new RbacAuthorizer(staticRbacSource({ clusterRoles, clusterRoleBindings, roles, roleBindings }));

type Req = Partial<AuthorizationAttributes> & { verb: string };
const attrs = (u: UserInfo, r: Req): AuthorizationAttributes => ({ resource: '', apiGroup: '', user: u, ...r });

describe('RbacAuthorizer', () => {
  it.each<[string, UserInfo, Req, 'allow' | 'noOpinion']>([
    ['cluster binding: alice lists pods anywhere', alice, { verb: 'list', resource: 'pods', namespace: 'x' }, 'allow'],
    ['cluster binding: alice lists pods cluster-wide', alice, { verb: 'list', resource: 'pods' }, 'allow'],
    ['verb not in rule: alice deletes a pod', alice, { verb: 'delete', resource: 'pods', namespace: 'x', name: 'p' }, 'noOpinion'],
    ['resource rule does not cover subresource: alice gets pods/status', alice, { verb: 'get', resource: 'pods', subresource: 'status', namespace: 'x', name: 'p' }, 'noOpinion'],
    ['wrong group: alice lists apps pods', alice, { verb: 'list', resource: 'pods', apiGroup: 'apps' }, 'noOpinion'],
    ['subresource rule: bob patches pods/status in team', bob, { verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'team', name: 'p' }, 'allow'],
    ['subresource rule does not cover the parent: bob patches a pod', bob, { verb: 'patch', resource: 'pods', namespace: 'team', name: 'p' }, 'noOpinion'],
    ['role binding only in its namespace: bob patches pods/status in other', bob, { verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'other', name: 'p' }, 'noOpinion'],
    ['*/status via group: bob gets deployments/status', bob, { verb: 'get', resource: 'deployments', apiGroup: 'apps', subresource: 'status', namespace: 'x', name: 'd' }, 'allow'],
    ['*/status does not cover scale', bob, { verb: 'get', resource: 'deployments', apiGroup: 'apps', subresource: 'scale', namespace: 'x', name: 'd' }, 'noOpinion'],
    ['resourceNames: bob gets app-config', bob, { verb: 'get', resource: 'configmaps', namespace: 'team', name: 'app-config' }, 'allow'],
    ['resourceNames: bob gets another configmap', bob, { verb: 'get', resource: 'configmaps', namespace: 'team', name: 'other' }, 'noOpinion'],
    ['resourceNames: bob lists configmaps (no name)', bob, { verb: 'list', resource: 'configmaps', namespace: 'team' }, 'noOpinion'],
    ['wildcard resources and verbs: bob deletes a replicaset', bob, { verb: 'delete', resource: 'replicasets', apiGroup: 'apps', namespace: 'team', name: 'r' }, 'allow'],
    ['wildcard resources include subresources: bob updates deployments/scale', bob, { verb: 'update', resource: 'deployments', apiGroup: 'apps', subresource: 'scale', namespace: 'team', name: 'd' }, 'allow'],
    ['role binding never grants cluster scope: bob lists replicasets everywhere', bob, { verb: 'list', resource: 'replicasets', apiGroup: 'apps' }, 'noOpinion'],
    ['service account subject defaults to the binding namespace', sa, { verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'team' }, 'allow'],
    ['service account in a different namespace does not match', user('system:serviceaccount:other:builder'), { verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'team' }, 'noOpinion'],
    ['Role rules stay in the role: service account deletes a deployment', sa, { verb: 'delete', resource: 'deployments', apiGroup: 'apps', namespace: 'team', name: 'd' }, 'noOpinion'],
    ['nonResourceURL exact: alice gets /metrics', alice, { verb: 'get', path: '/metrics' }, 'allow'],
    ['nonResourceURL prefix: alice gets /logs/kube.log', alice, { verb: 'get', path: '/logs/kube.log' }, 'allow'],
    ['nonResourceURL prefix needs the slash: alice gets /logsx', alice, { verb: 'get', path: '/logsx' }, 'noOpinion'],
    ['nonResourceURL verb: alice posts /metrics', alice, { verb: 'post', path: '/metrics' }, 'noOpinion'],
    ['nonResourceURL rules do not grant resources: alice gets nodes', alice, { verb: 'get', resource: 'nodes', name: 'metrics' }, 'noOpinion'],
    ['unbound user', user('carol'), { verb: 'get', resource: 'pods', namespace: 'x', name: 'p' }, 'noOpinion'],
    ['system:masters is always allowed', user('root', 'system:masters'), { verb: 'delete', resource: 'namespaces', name: 'kube-system' }, 'allow'],
  ])('%s → %s', async (_name, u, req, want) => {
    expect((await rbac.decide(attrs(u, req))).decision).toBe(want);
  });
});

describe('defaultRbacPolicy', () => {
  const policy = defaultRbacPolicy();
  const source = staticRbacSource(policy);
  const withDefaults = new RbacAuthorizer(source);
  const bootstrapper = user('system:bootstrap:abcdef', 'system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token');
  const csr = { resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' };

  it('binds every ClusterRoleBinding to a ClusterRole it defines', () => {
    const names = new Set(policy.clusterRoles.map((r) => r.metadata.name));
    for (const b of policy.clusterRoleBindings) expect(names.has(b.roleRef.name), b.metadata.name).toBe(true);
  });

  it.each<[string, UserInfo, Req, 'allow' | 'noOpinion']>([
    ['a bootstrapper creates a CSR', bootstrapper, { verb: 'create', ...csr }, 'allow'],
    ['a bootstrapper watches its CSR', bootstrapper, { verb: 'watch', ...csr, name: 'node-csr-x' }, 'allow'],
    ['a bootstrapper approves a CSR', bootstrapper, { verb: 'update', ...csr, name: 'x', subresource: 'approval' }, 'noOpinion'],
    ['a bootstrapper lists pods', bootstrapper, { verb: 'list', resource: 'pods' }, 'noOpinion'],
    ['any authenticated user reads /api', user('carol'), { verb: 'get', path: '/api' }, 'allow'],
    ['any authenticated user reads /apis/apps/v1', user('carol'), { verb: 'get', path: '/apis/apps/v1' }, 'allow'],
    ['any authenticated user reads /version', user('carol'), { verb: 'get', path: '/version' }, 'allow'],
    ['any authenticated user reads /openapi/v2', user('carol'), { verb: 'get', path: '/openapi/v2' }, 'allow'],
    ['any authenticated user reads /healthz', user('carol'), { verb: 'get', path: '/healthz' }, 'allow'],
    ['an authenticated user reads /metrics', user('carol'), { verb: 'get', path: '/metrics' }, 'noOpinion'],
    ['the scheduler binds pods', user('system:kube-scheduler'), { verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'x', name: 'p' }, 'allow'],
    ['the controller manager writes replicasets', user('system:kube-controller-manager'), { verb: 'create', resource: 'replicasets', apiGroup: 'apps', namespace: 'x' }, 'allow'],
    ['the admin (via the cluster-admin binding) deletes nodes', { name: 'kubernetes-admin', groups: ['system:masters'] }, { verb: 'delete', resource: 'nodes', name: 'n' }, 'allow'],
  ])('%s → %s', async (_name, u, req, want) => {
    expect((await withDefaults.decide(attrs(u, req))).decision).toBe(want);
  });
});

describe('forbidden messages', () => {
  it.each<[string, AuthorizationAttributes, string]>([
    [
      'a named namespaced object',
      attrs(user('x'), { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }),
      'pods "web" is forbidden: User "x" cannot get resource "pods" in API group "" in the namespace "default"',
    ],
    [
      'a namespaced collection',
      attrs(user('x'), { verb: 'list', resource: 'pods', namespace: 'default' }),
      'pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "default"',
    ],
    [
      'a cluster-scoped object',
      attrs(user('system:node:a'), { verb: 'update', resource: 'nodes', name: 'n1' }),
      'nodes "n1" is forbidden: User "system:node:a" cannot update resource "nodes" in API group "" at the cluster scope',
    ],
    [
      'a subresource',
      attrs(user('x'), { verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'default', name: 'web' }),
      'pods "web" is forbidden: User "x" cannot patch resource "pods/status" in API group "" in the namespace "default"',
    ],
    [
      'a non-core group',
      attrs(user('x'), { verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'ns' }),
      'deployments.apps is forbidden: User "x" cannot create resource "deployments" in API group "apps" in the namespace "ns"',
    ],
    ['a non-resource path', attrs(user('x'), { verb: 'get', path: '/metrics' }), 'forbidden: User "x" cannot get path "/metrics"'],
  ])('%s', (_name, a, want) => {
    expect(forbiddenMessage(a)).toBe(want);
  });
});

describe('UnionAuthorizer (node, then RBAC)', () => {
  const graph = { podNodeName: () => Promise.resolve('a'), nodeReferences: () => Promise.resolve(false) };
  const union = new UnionAuthorizer(new NodeAuthorizer(graph), new RbacAuthorizer(staticRbacSource(defaultRbacPolicy())));
  const node = { name: 'system:node:a', groups: ['system:nodes', 'system:authenticated'] };

  it('allows what the node authorizer allows', async () => {
    await expect(union.authorize(attrs(node, { verb: 'update', resource: 'nodes', name: 'a' }))).resolves.toBeUndefined();
  });

  it('lets RBAC answer a node’s discovery request', async () => {
    await expect(union.authorize(attrs(node, { verb: 'get', path: '/api' }))).resolves.toBeUndefined();
  });

  it('makes the node authorizer’s deny final even when RBAC would allow (a node in system:masters)', async () => {
    const masterNode = { ...node, groups: [...node.groups, 'system:masters'] };
    await expect(union.authorize(attrs(masterNode, { verb: 'delete', resource: 'namespaces', name: 'x' }))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('answers a node writing another Node with 403 and upstream’s message', async () => {
    const err = await union.authorize(attrs(node, { verb: 'update', resource: 'nodes', name: 'n1' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as ForbiddenError).toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'nodes "n1" is forbidden: User "system:node:a" cannot update resource "nodes" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { kind: 'nodes', name: 'n1' },
      code: 403,
    });
  });

  it('appends the node authorizer’s reason for a secret it has no edge to', async () => {
    await expect(union.authorize(attrs(node, { verb: 'get', resource: 'secrets', namespace: 'default', name: 's' }))).rejects.toThrow(
      `secrets "s" is forbidden: User "system:node:a" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'a' and this object`,
    );
  });

  it('forbids what neither allows, with upstream’s message', async () => {
    await expect(union.authorize(attrs(user('carol'), { verb: 'list', resource: 'pods', namespace: 'default' }))).rejects.toThrow(
      /^pods is forbidden: User "carol" cannot list resource "pods" in API group "" in the namespace "default"$/,
    );
  });

  it('allows the admin through RBAC’s superuser group', async () => {
    await expect(union.authorize(attrs({ name: 'kubernetes-admin', groups: ['system:masters'] }, { verb: 'delete', resource: 'nodes', name: 'n1' }))).resolves.toBeUndefined();
  });
});

// The store-backed lookups the server will use, over the in-memory Store from the apiserver tests.
import { describe, expect, it } from 'vitest';
import type { ResourceInfo } from '../../api/resources.js';
import type { Pod } from '../../api/types/pod.js';
import { BearerTokenAuthenticator, RbacAuthorizer, defaultRbacPolicy, storeNodeGraph, serverRbacSource, storeRbacSource, storeSecretGetter } from '../../control-plane/auth/index.js';
import { bootstrapTokenSecret } from '../../pki/index.js';
import { MemoryStore } from '../apiserver/memory-store.js';

const rbacRow = (kind: string, plural: string, namespaced: boolean): ResourceInfo => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  shortNames: [],
  categories: [],
  subresources: [],
  verbs: [],
});
// The rows the lead adds to api/resources.ts; synthetic here so this test does not depend on the registry.
const rows = [
  rbacRow('Role', 'roles', true),
  rbacRow('ClusterRole', 'clusterroles', false),
  rbacRow('RoleBinding', 'rolebindings', true),
  rbacRow('ClusterRoleBinding', 'clusterrolebindings', false),
];

describe('storeSecretGetter', () => {
  it('lets the bearer authenticator find a token Secret stored under the registry key', async () => {
    const store = new MemoryStore();
    await store.create('/registry/secrets/kube-system/bootstrap-token-abcdef', bootstrapTokenSecret('abcdef.0123456789abcdef', 3600, ''));
    const auth = new BearerTokenAuthenticator(storeSecretGetter(store));
    await expect(auth.authenticate({ headers: { authorization: 'Bearer abcdef.0123456789abcdef' } })).resolves.toMatchObject({
      name: 'system:bootstrap:abcdef',
    });
    await expect(auth.authenticate({ headers: { authorization: 'Bearer zzzzzz.0123456789abcdef' } })).rejects.toThrow(/no token/);
  });
});

describe('storeNodeGraph', () => {
  it('answers pod binding and secret references from stored pods', async () => {
    const store = new MemoryStore();
    const pod: Pod = {
      metadata: { namespace: 'default', name: 'web' },
      spec: { nodeName: 'a', containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'v', secret: { secretName: 'tls' } }] },
    };
    await store.create('/registry/pods/default/web', pod);
    await store.create('/registry/pods/default/pending', { metadata: { namespace: 'default', name: 'pending' }, spec: { containers: [] } });
    const graph = storeNodeGraph(store);
    expect(await graph.podNodeName('default', 'web')).toBe('a');
    expect(await graph.podNodeName('default', 'pending')).toBe('');
    expect(await graph.podNodeName('default', 'gone')).toBeUndefined();
    expect(await graph.nodeReferences('a', 'secrets', 'default', 'tls')).toBe(true);
    expect(await graph.nodeReferences('b', 'secrets', 'default', 'tls')).toBe(false);
    expect(await graph.nodeReferences('a', 'configmaps', 'default', 'tls')).toBe(false);
  });
});

describe('storeRbacSource', () => {
  it('reads the default policy and a RoleBinding from the store', async () => {
    const store = new MemoryStore();
    const policy = defaultRbacPolicy();
    for (const r of policy.clusterRoles) await store.create(`/registry/clusterroles.rbac.authorization.k8s.io/${r.metadata.name ?? ''}`, r);
    for (const b of policy.clusterRoleBindings) await store.create(`/registry/clusterrolebindings.rbac.authorization.k8s.io/${b.metadata.name ?? ''}`, b);
    await store.create('/registry/roles.rbac.authorization.k8s.io/team/reader', {
      metadata: { namespace: 'team', name: 'reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
    });
    await store.create('/registry/rolebindings.rbac.authorization.k8s.io/team/carol', {
      metadata: { namespace: 'team', name: 'carol' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'User', name: 'carol' }],
    });
    const rbac = new RbacAuthorizer(storeRbacSource(store, (plural) => rows.find((r) => r.plural === plural)));
    const carol = { name: 'carol', groups: ['system:authenticated'] };
    expect((await rbac.decide({ user: carol, verb: 'list', resource: 'pods', apiGroup: '', namespace: 'team' })).decision).toBe('allow');
    expect((await rbac.decide({ user: carol, verb: 'list', resource: 'pods', apiGroup: '', namespace: 'other' })).decision).toBe('noOpinion');
    expect((await rbac.decide({ user: carol, verb: 'get', resource: '', apiGroup: '', path: '/version' })).decision).toBe('allow');
  });

  it('says the kinds must be registered when a row is missing', async () => {
    const rbac = new RbacAuthorizer(storeRbacSource(new MemoryStore(), () => undefined));
    await expect(rbac.decide({ user: { name: 'x', groups: [] }, verb: 'get', resource: 'pods', apiGroup: '' })).rejects.toThrow(/register the RBAC kinds first/);
  });
});

describe('serverRbacSource', () => {
  const bootstrapUser = { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] };
  const createCsr = { user: bootstrapUser, verb: 'create', resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' };

  it('falls back to the default policy in memory while the RBAC kinds are not registered', async () => {
    const rbac = new RbacAuthorizer(serverRbacSource(new MemoryStore(), () => undefined));
    expect((await rbac.decide(createCsr)).decision).toBe('allow');
    expect((await rbac.decide({ ...createCsr, verb: 'list', resource: 'secrets', apiGroup: '' })).decision).toBe('noOpinion');
  });

  it('reads the store once the kinds are registered (an empty store grants nothing)', async () => {
    const lookup = (plural: string): ResourceInfo | undefined => rows.find((r) => r.plural === plural);
    const rbac = new RbacAuthorizer(serverRbacSource(new MemoryStore(), lookup));
    expect((await rbac.decide(createCsr)).decision).toBe('noOpinion');
  });
});

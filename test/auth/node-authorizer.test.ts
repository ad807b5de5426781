import { describe, expect, it } from 'vitest';
import type { AuthorizationAttributes, UserInfo } from '../../control-plane/apiserver/security.js';
import type { Pod } from '../../api/types/pod.js';
import { NodeAuthorizer, nodeNameOf, podReferences, type NodeGraph } from '../../control-plane/auth/index.js';

const nodeA: UserInfo = { name: 'system:node:a', groups: ['system:nodes', 'system:authenticated'] };

// Pods: default/on-a bound to a (uses secret s1 via a volume, configmap c1 via envFrom), default/on-b bound to b,
// default/pending not scheduled.
const pods: Pod[] = [
  {
    metadata: { namespace: 'default', name: 'on-a' },
    spec: {
      nodeName: 'a',
      volumes: [{ name: 'v', secret: { secretName: 's1' } }],
      containers: [{ name: 'c', image: 'i', envFrom: [{ configMapRef: { name: 'c1' } }] }],
    },
  },
  { metadata: { namespace: 'default', name: 'on-b' }, spec: { nodeName: 'b', containers: [{ name: 'c', image: 'i', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's2', key: 'k' } } }] }] } },
  { metadata: { namespace: 'default', name: 'pending' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
];

const graph: NodeGraph = {
  podNodeName: (ns, name) => {
    const p = pods.find((x) => x.metadata.namespace === ns && x.metadata.name === name);
    return Promise.resolve(p ? (p.spec?.nodeName ?? '') : undefined);
  },
  nodeReferences: (node, kind, ns, name) =>
    Promise.resolve(pods.some((p) => p.metadata.namespace === ns && p.spec?.nodeName === node && podReferences(p, kind).has(name))),
};
const authorizer = new NodeAuthorizer(graph);

type Req = Partial<AuthorizationAttributes> & { verb: string; resource: string };
const attrs = (r: Req, user: UserInfo = nodeA): AuthorizationAttributes => ({ apiGroup: '', user, ...r });

describe('nodeNameOf', () => {
  it.each([
    [{ name: 'system:node:a', groups: ['system:nodes'] }, 'a'],
    [{ name: 'system:node:a', groups: [] }, undefined],
    [{ name: 'alice', groups: ['system:nodes'] }, undefined],
    [{ name: 'system:node:', groups: ['system:nodes'] }, undefined],
  ])('%j → %s', (user, want) => {
    expect(nodeNameOf(user)).toBe(want);
  });
});

describe('NodeAuthorizer', () => {
  it.each<[string, Req, 'allow' | 'deny']>([
    ['reads nodes', { verb: 'list', resource: 'nodes' }, 'allow'],
    ['watches pods in all namespaces', { verb: 'watch', resource: 'pods' }, 'allow'],
    ['gets a service', { verb: 'get', resource: 'services', namespace: 'default', name: 'x' }, 'allow'],
    ['lists endpoints', { verb: 'list', resource: 'endpoints' }, 'allow'],
    ['watches endpointslices', { verb: 'watch', resource: 'endpointslices', apiGroup: 'discovery.k8s.io' }, 'allow'],
    ['creates its Node', { verb: 'create', resource: 'nodes' }, 'allow'],
    ['creates its Node (name given)', { verb: 'create', resource: 'nodes', name: 'a' }, 'allow'],
    ['creates another Node (name given)', { verb: 'create', resource: 'nodes', name: 'b' }, 'deny'],
    ['updates its Node', { verb: 'update', resource: 'nodes', name: 'a' }, 'allow'],
    ['patches its Node status', { verb: 'patch', resource: 'nodes', name: 'a', subresource: 'status' }, 'allow'],
    ['updates another Node', { verb: 'update', resource: 'nodes', name: 'b' }, 'deny'],
    ['patches another Node status', { verb: 'patch', resource: 'nodes', name: 'b', subresource: 'status' }, 'deny'],
    ['deletes its Node', { verb: 'delete', resource: 'nodes', name: 'a' }, 'deny'],
    ['proxies to a node', { verb: 'get', resource: 'nodes', name: 'a', subresource: 'proxy' }, 'deny'],
    ['gets its Lease', { verb: 'get', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'a' }, 'allow'],
    ['creates its Lease', { verb: 'create', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease' }, 'allow'],
    ['updates its Lease', { verb: 'update', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'a' }, 'allow'],
    ['updates another Lease', { verb: 'update', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'b' }, 'deny'],
    ['updates a Lease elsewhere', { verb: 'update', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-system', name: 'a' }, 'deny'],
    ['deletes its Lease', { verb: 'delete', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'a' }, 'deny'],
    ['updates the status of a pod bound to it', { verb: 'update', resource: 'pods', subresource: 'status', namespace: 'default', name: 'on-a' }, 'allow'],
    ['patches the status of a pod bound to it', { verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'default', name: 'on-a' }, 'allow'],
    ['patches the status of a pod on another node', { verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'default', name: 'on-b' }, 'deny'],
    ['patches the status of an unscheduled pod', { verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'default', name: 'pending' }, 'deny'],
    ['patches the status of a missing pod', { verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'default', name: 'gone' }, 'deny'],
    ['deletes a pod bound to it', { verb: 'delete', resource: 'pods', namespace: 'default', name: 'on-a' }, 'allow'],
    ['deletes a pod on another node', { verb: 'delete', resource: 'pods', namespace: 'default', name: 'on-b' }, 'deny'],
    ['updates a pod spec', { verb: 'update', resource: 'pods', namespace: 'default', name: 'on-a' }, 'deny'],
    ['creates a pod', { verb: 'create', resource: 'pods', namespace: 'default' }, 'deny'],
    ['deletes pods collectively', { verb: 'deletecollection', resource: 'pods', namespace: 'default' }, 'deny'],
    ['creates a core event', { verb: 'create', resource: 'events', namespace: 'default' }, 'allow'],
    ['patches an events.k8s.io event', { verb: 'patch', resource: 'events', apiGroup: 'events.k8s.io', namespace: 'default', name: 'e' }, 'allow'],
    ['deletes an event', { verb: 'delete', resource: 'events', namespace: 'default', name: 'e' }, 'deny'],
    ['gets a secret its pod mounts', { verb: 'get', resource: 'secrets', namespace: 'default', name: 's1' }, 'allow'],
    ['gets a configmap its pod uses', { verb: 'get', resource: 'configmaps', namespace: 'default', name: 'c1' }, 'allow'],
    ['gets a secret only another node’s pod uses', { verb: 'get', resource: 'secrets', namespace: 'default', name: 's2' }, 'deny'],
    ['gets the same secret name in another namespace', { verb: 'get', resource: 'secrets', namespace: 'other', name: 's1' }, 'deny'],
    ['lists secrets', { verb: 'list', resource: 'secrets', namespace: 'default' }, 'deny'],
    ['creates a CSR', { verb: 'create', resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' }, 'allow'],
    ['watches CSRs', { verb: 'watch', resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' }, 'allow'],
    ['approves a CSR', { verb: 'update', resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io', name: 'x', subresource: 'approval' }, 'deny'],
    ['lists deployments', { verb: 'list', resource: 'deployments', apiGroup: 'apps' }, 'deny'],
    ['creates a namespace', { verb: 'create', resource: 'namespaces' }, 'deny'],
  ])('a node %s → %s', async (_name, req, want) => {
    expect((await authorizer.decide(attrs(req))).decision).toBe(want);
  });

  it('explains a secret denial with upstream’s graph wording', async () => {
    await expect(authorizer.decide(attrs({ verb: 'get', resource: 'secrets', namespace: 'default', name: 's2' }))).resolves.toEqual({
      decision: 'deny',
      reason: "no relationship found between node 'a' and this object",
    });
  });

  it.each<[string, UserInfo, Req]>([
    ['an ordinary user', { name: 'alice', groups: ['system:authenticated'] }, { verb: 'delete', resource: 'nodes', name: 'a' }],
    ['a node name without the system:nodes group', { name: 'system:node:a', groups: [] }, { verb: 'list', resource: 'pods' }],
    ['a node asking a non-resource path', nodeA, { verb: 'get', resource: '', path: '/api' }],
  ])('has no opinion on %s', async (_name, user, req) => {
    expect((await authorizer.decide(attrs(req, user))).decision).toBe('noOpinion');
  });
});

describe('podReferences', () => {
  it('collects secrets from volumes, projected volumes, env, envFrom, init containers and imagePullSecrets', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: {
        volumes: [
          { name: 'a', secret: { secretName: 'vol' } },
          { name: 'b', projected: { sources: [{ secret: { name: 'proj' } }, { configMap: { name: 'cm-proj' } }] } },
        ],
        initContainers: [{ name: 'i', image: 'x', envFrom: [{ secretRef: { name: 'init-from' } }] }],
        containers: [{ name: 'c', image: 'x', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'env', key: 'k' } } }] }],
        imagePullSecrets: [{ name: 'pull' }],
      },
    };
    expect([...podReferences(pod, 'secrets')].sort()).toEqual(['env', 'init-from', 'proj', 'pull', 'vol']);
    expect([...podReferences(pod, 'configmaps')]).toEqual(['cm-proj']);
  });
});

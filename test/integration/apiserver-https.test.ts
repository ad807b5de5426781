// `skiff server` over HTTPS as a client sees it: who gets 401, who gets 403 (with upstream's message), what a
// node's certificate may touch, what RBAC bindings and bootstrap tokens grant, the admin kubeconfig with the
// real kubectl, and that no secret reaches the server's log. The server runs as a real process (the built
// skiff, see test/support/skiff-server.ts); identities are certificates issued from its own CA in the test.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import type * as http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ConnectionConfig } from '../../client/index.js';
import { bootstrapTokenSecret, createCsr, generateBootstrapToken, generateRsaKeyPair, issueCertificate } from '../../pki/index.js';
import { agentFor, sendRequest, type RawRequestInit, type RawResponse } from '../support/api-request.js';
import { eventually } from '../support/eventually.js';
import { kubectlAvailable, kubectlFor, type Kubectl } from '../support/kubectl.js';
import { skiffEntry, startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

const hour = 3600 * 1000;

interface Identity {
  request(path: string, init?: RawRequestInit): Promise<RawResponse>;
  close(): void;
}

function clientFor(connection: ConnectionConfig): Identity {
  const agent: http.Agent = agentFor(connection, { keepAlive: false });
  return { request: (path, init) => sendRequest(connection, agent, path, init), close: () => agent.destroy() };
}

/** A client certificate for CN/O issued by `ca` (the cluster's, or a stranger's). */
function certificateFor(ca: { certPem: string; keyPem: string }, commonName: string, organizations: string[]): { cert: Buffer; key: Buffer } {
  const keys = generateRsaKeyPair();
  const certPem = issueCertificate(
    { commonName, organizations, usage: 'client', validityMs: hour, publicKeyPem: keys.publicKeyPem },
    { issuerCertPem: ca.certPem, signingKeyPem: ca.keyPem },
  );
  return { cert: Buffer.from(certPem), key: Buffer.from(keys.privateKeyPem) };
}

function json(body: unknown): RawRequestInit {
  return { method: 'POST', jsonBody: body };
}

function patch(body: unknown): RawRequestInit {
  return { method: 'PATCH', body: JSON.stringify(body), headers: { 'content-type': 'application/merge-patch+json' } };
}

const node = (name: string): object => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const lease = (name: string): object => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: 'kube-node-lease' },
  spec: { holderIdentity: name, leaseDurationSeconds: 40 },
});
const pod = (name: string, nodeName: string, secret?: string): object => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: {
    nodeName,
    containers: [{ name: 'c', image: 'busybox' }],
    ...(secret ? { volumes: [{ name: 's', secret: { secretName: secret } }] } : {}),
  },
});

describe('skiff server over HTTPS', () => {
  let server: SkiffServer;
  let ca: { certPem: string; keyPem: string };
  const clients: Identity[] = [];
  let admin: Identity;
  let anonymous: Identity;
  let nodeA: Identity;
  let jane: Identity;
  const tokenUsed = generateBootstrapToken();

  const identity = (connection: ConnectionConfig): Identity => {
    const c = clientFor(connection);
    clients.push(c);
    return c;
  };
  const withCert = (commonName: string, organizations: string[]): Identity =>
    identity({ server: server.url, ca: Buffer.from(ca.certPem), ...certificateFor(ca, commonName, organizations) });

  beforeAll(async () => {
    // Debug logging: every request is logged, so the secrets test below looks at the most the server prints.
    server = await startSkiffServer({ args: ['--log-level', 'debug'] });
    const pki = join(server.dataDir, 'pki');
    ca = { certPem: readFileSync(join(pki, 'ca.crt'), 'utf8'), keyPem: readFileSync(join(pki, 'ca.key'), 'utf8') };
    admin = identity(server.connection());
    anonymous = identity({ server: server.url, ca: Buffer.from(ca.certPem) });
    nodeA = withCert('system:node:a', ['system:nodes']);
    jane = withCert('jane', ['developers']);
    for (const [path, body] of [
      ['/api/v1/nodes', node('b')],
      ['/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'for-a' }, stringData: { k: 'v' } }],
      ['/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'for-b' }, stringData: { k: 'v' } }],
      ['/api/v1/namespaces/default/pods', pod('on-a', 'a', 'for-a')],
      ['/api/v1/namespaces/default/pods', pod('on-b', 'b', 'for-b')],
    ] as const) {
      const res = await admin.request(path, json(body));
      expect(res.status, res.body).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
  });

  it('serves HTTPS with a serving certificate for 127.0.0.1 signed by the cluster CA', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('writes admin.kubeconfig mode 0600 with the CA and the admin client certificate inline', () => {
    const doc = parse(readFileSync(server.kubeconfigPath, 'utf8')) as {
      clusters: Array<{ cluster: Record<string, string> }>;
      users: Array<{ user: Record<string, string> }>;
    };
    expect(statSync(server.kubeconfigPath).mode & 0o777).toBe(0o600);
    expect(doc.clusters[0]?.cluster['server']).toBe(server.url);
    expect(Buffer.from(doc.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString()).toBe(ca.certPem);
    expect(doc.users[0]?.user['client-certificate-data']).toBeTruthy();
    expect(doc.users[0]?.user['client-key-data']).toBeTruthy();
  });

  it('`skiff kubeconfig --data-dir` prints the admin kubeconfig', () => {
    const out = spawnSync(process.execPath, [skiffEntry, 'kubeconfig', '--data-dir', server.dataDir], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toBe(readFileSync(server.kubeconfigPath, 'utf8'));
  });

  it.each(['/api/v1/namespaces', '/api', '/version', '/apis/rbac.authorization.k8s.io/v1/clusterroles'])(
    'answers a request without credentials to %s with a 401 Unauthorized Status',
    async (path) => {
      const res = await anonymous.request(path);
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 });
    },
  );

  it.each(['/healthz', '/livez', '/readyz'])('leaves %s open without credentials, for probes', async (path) => {
    const res = await anonymous.request(path);
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok');
  });

  it('treats a certificate from another CA as no credential (401)', async () => {
    const strangerKeys = generateRsaKeyPair();
    const strangerCa = {
      certPem: issueCertificate({ commonName: 'evil', usage: 'ca', validityMs: hour, publicKeyPem: strangerKeys.publicKeyPem }, { signingKeyPem: strangerKeys.privateKeyPem }),
      keyPem: strangerKeys.privateKeyPem,
    };
    const forged = identity({ server: server.url, ca: Buffer.from(ca.certPem), ...certificateFor(strangerCa, 'kubernetes-admin', ['system:masters']) });
    expect((await forged.request('/api/v1/namespaces')).status).toBe(401);
  });

  it('allows the admin certificate everything', async () => {
    expect((await admin.request('/api/v1/namespaces')).status).toBe(200);
    expect((await admin.request('/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin')).status).toBe(200);
  });

  it('wrote the default RBAC policy as ClusterRoles and ClusterRoleBindings', async () => {
    const res = await admin.request('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings');
    expect(res.status).toBe(200);
    const names = (res.json<{ items: Array<{ metadata: { name: string } }> }>().items ?? []).map((i) => i.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['cluster-admin', 'system:node-bootstrapper', 'system:discovery', 'system:public-info-viewer']));
  });

  describe('a node certificate (system:node:a in system:nodes)', () => {
    it('registers its own Node and updates its status', async () => {
      expect((await nodeA.request('/api/v1/nodes', json(node('a')))).status).toBe(201);
      const res = await nodeA.request('/api/v1/nodes/a/status', patch({ status: { conditions: [{ type: 'Ready', status: 'True' }] } }));
      expect(res.status, res.body).toBe(200);
    });

    it('cannot register another Node', async () => {
      const res = await nodeA.request('/api/v1/nodes', json(node('c')));
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({
        kind: 'Status',
        reason: 'Forbidden',
        code: 403,
        message: 'nodes "c" is forbidden: User "system:node:a" cannot create resource "nodes" in API group "" at the cluster scope',
      });
    });

    it('cannot register a Node by generateName', async () => {
      const res = await nodeA.request('/api/v1/nodes', json({ apiVersion: 'v1', kind: 'Node', metadata: { generateName: 'a' } }));
      expect(res.status).toBe(403);
    });

    it('cannot modify another Node', async () => {
      const res = await nodeA.request('/api/v1/nodes/b/status', patch({ status: { conditions: [{ type: 'Ready', status: 'False' }] } }));
      expect(res.status).toBe(403);
      expect(res.json<{ message: string }>().message).toBe(
        'nodes "b" is forbidden: User "system:node:a" cannot patch resource "nodes/status" in API group "" at the cluster scope',
      );
      expect((await nodeA.request('/api/v1/nodes/b', { method: 'DELETE' })).status).toBe(403);
    });

    it('creates and renews its own Lease but not another node\'s', async () => {
      expect((await nodeA.request('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', json(lease('a')))).status).toBe(201);
      const current = (await nodeA.request('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/a')).json<Record<string, unknown>>();
      const renewed = await nodeA.request('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/a', {
        method: 'PUT',
        jsonBody: { ...current, spec: { holderIdentity: 'a', leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace(/\.\d+Z$/, '.000000Z') } },
      });
      expect(renewed.status, renewed.body).toBe(200);
      const other = await nodeA.request('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', json(lease('b')));
      expect(other.status).toBe(403);
      expect(other.json<{ message: string }>().message).toContain('User "system:node:a" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease"');
    });

    it('lists and watches its pods by field selector, and reads services, endpoint slices and nodes', async () => {
      for (const path of [
        '/api/v1/pods?fieldSelector=spec.nodeName%3Da',
        '/api/v1/services',
        '/apis/discovery.k8s.io/v1/endpointslices',
        '/api/v1/nodes?fieldSelector=metadata.name%3Da',
      ]) {
        const res = await nodeA.request(path);
        expect(res.status, `${path}: ${res.body}`).toBe(200);
      }
      const watch = await nodeA.request('/api/v1/pods?fieldSelector=spec.nodeName%3Da&watch=true&timeoutSeconds=1');
      expect(watch.status).toBe(200);
    });

    it('writes the status of a pod bound to it, not of a pod bound elsewhere', async () => {
      const own = await nodeA.request('/api/v1/namespaces/default/pods/on-a/status', patch({ status: { phase: 'Running' } }));
      expect(own.status, own.body).toBe(200);
      const other = await nodeA.request('/api/v1/namespaces/default/pods/on-b/status', patch({ status: { phase: 'Failed' } }));
      expect(other.status).toBe(403);
      expect(other.json<{ message: string }>().message).toBe(
        'pods "on-b" is forbidden: User "system:node:a" cannot patch resource "pods/status" in API group "" in the namespace "default"',
      );
      expect((await nodeA.request('/api/v1/namespaces/default/pods/on-b', { method: 'DELETE' })).status).toBe(403);
    });

    it('reads a Secret its pod references, not one only another node\'s pod references', async () => {
      expect((await nodeA.request('/api/v1/namespaces/default/secrets/for-a')).status).toBe(200);
      const other = await nodeA.request('/api/v1/namespaces/default/secrets/for-b');
      expect(other.status).toBe(403);
      expect(other.json<{ message: string }>().message).toBe(
        'secrets "for-b" is forbidden: User "system:node:a" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node \'a\' and this object',
      );
      expect((await nodeA.request('/api/v1/namespaces/default/secrets')).status).toBe(403);
    });

    it('may not create pods', async () => {
      expect((await nodeA.request('/api/v1/namespaces/default/pods', json(pod('sneaky', 'a')))).status).toBe(403);
    });
  });

  describe('RBAC', () => {
    it('forbids a user without bindings with upstream\'s message, but lets it use discovery', async () => {
      const res = await jane.request('/api/v1/namespaces/default/pods');
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({
        kind: 'Status',
        reason: 'Forbidden',
        code: 403,
        details: { kind: 'pods' },
        message: 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
      });
      expect((await jane.request('/api')).status).toBe(200);
      expect((await jane.request('/version')).status).toBe(200);
    });

    it('grants what a RoleBinding binds, in its namespace only', async () => {
      const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';
      const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] };
      const binding = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'jane-reads-pods' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }],
      };
      expect((await admin.request(`${rbac}/roles`, json(role))).status).toBe(201);
      expect((await admin.request(`${rbac}/rolebindings`, json(binding))).status).toBe(201);
      expect((await jane.request('/api/v1/namespaces/default/pods')).status).toBe(200);
      expect((await jane.request('/api/v1/namespaces/kube-system/pods')).status).toBe(403);
      expect((await jane.request('/api/v1/namespaces/default/pods/on-a', { method: 'DELETE' })).status).toBe(403);
    });

    it('grants what a ClusterRoleBinding to a group binds', async () => {
      const crb = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'developers-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'developers' }],
      };
      expect((await jane.request('/api/v1/nodes')).status).toBe(403);
      expect((await admin.request('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', json(crb))).status).toBe(201);
      expect((await jane.request('/api/v1/nodes')).status).toBe(200);
      expect((await admin.request('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/developers-admin', { method: 'DELETE' })).status).toBe(200);
      // The server's RBAC cache follows the delete through a watch: revocation takes effect shortly, as upstream's.
      await eventually('the revoked binding to stop granting', async () => (await jane.request('/api/v1/nodes')).status === 403, 30_000);
    });
  });

  describe('a bootstrap token', () => {
    let bootstrap: Identity;
    beforeAll(async () => {
      const secret = bootstrapTokenSecret(tokenUsed, 3600, 'apiserver-https test');
      const res = await admin.request('/api/v1/namespaces/kube-system/secrets', json(secret));
      expect(res.status, res.body).toBe(201);
      bootstrap = identity({ server: server.url, ca: Buffer.from(ca.certPem), token: tokenUsed });
    });

    it('may create a CertificateSigningRequest', async () => {
      const keys = generateRsaKeyPair();
      const csr = {
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        metadata: { name: 'node-csr-a' },
        spec: {
          request: Buffer.from(createCsr(keys.privateKeyPem, { commonName: 'system:node:a', organizations: ['system:nodes'] })).toString('base64'),
          signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
          usages: ['digital signature', 'client auth'],
        },
      };
      const res = await bootstrap.request('/apis/certificates.k8s.io/v1/certificatesigningrequests', json(csr));
      expect(res.status, res.body).toBe(201);
    });

    it('may not list secrets', async () => {
      const res = await bootstrap.request('/api/v1/namespaces/kube-system/secrets');
      expect(res.status).toBe(403);
      expect(res.json<{ message: string }>().message).toMatch(/^secrets is forbidden: User "system:bootstrap:[a-z0-9]{6}" cannot list resource "secrets"/);
    });

    it('with a wrong secret is refused with a 401 that does not echo the token', async () => {
      const id = tokenUsed.split('.')[0] ?? '';
      const forgedToken = `${id}.${'0'.repeat(16)}`;
      const forged = identity({ server: server.url, ca: Buffer.from(ca.certPem), token: forgedToken });
      const res = await forged.request('/apis/certificates.k8s.io/v1/certificatesigningrequests');
      expect(res.status).toBe(401);
      expect(res.body).not.toContain(forgedToken.split('.')[1]);
    });
  });

  describe('kubectl with the admin kubeconfig', () => {
    let kubectl: Kubectl | undefined;
    afterAll(async () => {
      await kubectl?.cleanup();
    });

    it.runIf(kubectlAvailable())('lists namespaces and reads /version over HTTPS', async () => {
      kubectl = kubectlFor(server.kubeconfigPath);
      expect(await kubectl.ok(['get', 'namespaces', '-o', 'name'])).toContain('namespace/kube-node-lease');
      expect(await kubectl.ok(['get', '--raw', '/version'])).toContain('gitVersion');
    });
  });

  it('restarts on its data dir with the same CA: the admin certificate still works', async () => {
    const caBefore = readFileSync(join(server.dataDir, 'pki', 'ca.crt'), 'utf8');
    const adminBefore = readFileSync(join(server.dataDir, 'pki', 'admin.crt'), 'utf8');
    await server.restart();
    expect(readFileSync(join(server.dataDir, 'pki', 'ca.crt'), 'utf8')).toBe(caBefore);
    expect(readFileSync(join(server.dataDir, 'pki', 'admin.crt'), 'utf8')).toBe(adminBefore);
    expect((await server.request('/api/v1/namespaces')).status).toBe(200);
    const res = await server.request('/apis/rbac.authorization.k8s.io/v1/clusterroles/system:node-bootstrapper');
    expect(res.status, res.body).toBe(200);
  }, 120_000);

  it('never writes a token secret or a private key to its log', async () => {
    expect((await server.request('/readyz')).status).toBe(200);
    const log = server.output();
    expect(log).toContain('"msg":"listening"');
    const tokenSecret = tokenUsed.split('.')[1] ?? '';
    expect(tokenSecret).toHaveLength(16);
    expect(log).not.toContain(tokenSecret);
    expect(log).not.toContain(Buffer.from(tokenSecret).toString('base64'));
    for (const key of ['ca.key', 'apiserver.key', 'admin.key', 'apiserver-kubelet-client.key']) {
      const pem = readFileSync(join(server.dataDir, 'pki', key), 'utf8');
      const body = pem.split('\n').slice(1, 3).join('');
      expect(body.length).toBeGreaterThan(40);
      expect(log).not.toContain(body);
    }
    expect(log).not.toMatch(/PRIVATE KEY/);
  });
});

describe('skiff server --insecure-http', () => {
  let server: SkiffServer;
  beforeAll(async () => {
    server = await startSkiffServer({ args: ['--insecure-http'] });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('serves plain HTTP where every client is the admin, and writes an http kubeconfig without credentials', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const anyone = clientFor({ server: server.url });
    try {
      expect((await anyone.request('/api/v1/namespaces')).status).toBe(200);
    } finally {
      anyone.close();
    }
    const doc = parse(readFileSync(server.kubeconfigPath, 'utf8')) as { users: Array<{ user: Record<string, string> }> };
    expect(doc.users[0]?.user['client-key-data']).toBeUndefined();
  });
});

// A node joins a real `skiff server` with a token from `skiff token create`, using the very join command it
// prints: the CSR is approved and signed in-process, the agent registers its Node as system:node:<name>
// and it goes Ready; a restart after the token is gone reuses the stored certificate; the token's secret
// appears in no output of the server, the token command or the agent.
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../api/errors.js';
import type { Node } from '../../api/index.js';
import type { Secret } from '../../api/types/config.js';
import { RestClient, loadKubeconfig } from '../../client/index.js';
import type { CertificateSigningRequest } from '../../control-plane/auth/index.js';
import { csrResource } from '../../control-plane/controllers/certificates/index.js';
import { caCertHash } from '../../pki/index.js';
import { nodesResource, secretsResource } from '../kubelet/support/agent-e2e.js';
import { eventually } from '../support/eventually.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';
import { TestNodes, createToken, type AgentProcess, type CreatedToken } from './join-support.js';

describe('joining a node with a bootstrap token', () => {
  let server: SkiffServer;
  let admin: RestClient;
  let nodes: TestNodes;
  let created: CreatedToken;
  const outputs: string[] = [];
  let agent: AgentProcess | undefined;

  beforeAll(async () => {
    // The CSR controller runs with the in-process controllers (`--controllers *`).
    server = await startSkiffServer({ controlLoops: true });
    admin = RestClient.fromKubeconfig(server.kubeconfigPath);
    nodes = new TestNodes();
    created = await createToken(server.dataDir);
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    await nodes?.cleanup();
    admin?.close();
    await server?.stop();
  }, 120_000);

  const ready = (name: string): Promise<Node> =>
    eventually(`Node ${name} Ready`, async () => {
      const node = await admin.get<Node>(nodesResource, name);
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? node : undefined;
    }, 90_000, 500);

  it('prints the token and the join command for this server and CA', () => {
    expect(created.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const ca = readFileSync(`${server.dataDir}/pki/ca.crt`, 'utf8');
    expect(created.joinArgs).toEqual(['--server', server.url, '--token', created.token, '--ca-cert-hash', caCertHash(ca)]);
  });

  it('stores the token as kubeadm does: a kube-system Secret bootstrap-token-<id>', async () => {
    const [id, secret] = created.token.split('.');
    const stored = await admin.get<Secret>(secretsResource, `bootstrap-token-${id}`, { namespace: 'kube-system' });
    const data = Object.fromEntries(Object.entries(stored.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    expect(stored.type).toBe('bootstrap.kubernetes.io/token');
    expect(data).toMatchObject({
      'token-id': id,
      'token-secret': secret,
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
      'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
    });
    // The default --ttl: 24 hours from now, in RFC 3339.
    const leftMs = Date.parse(data['expiration'] ?? '') - Date.now();
    expect(leftMs).toBeGreaterThan(23 * 3_600_000);
    expect(leftMs).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it('runs the join command to a Ready node that authenticates as system:node:<name>', async () => {
    const n1 = nodes.node('join-n1');
    agent = nodes.start([...created.joinArgs, ...n1.flags]);
    await ready(n1.name);

    const csrs = (await admin.list<CertificateSigningRequest>(csrResource)).items;
    expect(csrs).toHaveLength(1);
    expect(csrs[0]?.spec.username).toBe(`system:bootstrap:${created.token.split('.')[0]}`);
    expect(csrs[0]?.status?.conditions?.[0]).toMatchObject({ type: 'Approved', reason: 'AutoApproved' });

    const kubeconfig = `${n1.dataDir}/kubelet.kubeconfig`;
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    expect(statSync(`${n1.dataDir}/pki/kubelet-client.key`).mode & 0o777).toBe(0o600);
    const conn = loadKubeconfig(kubeconfig);
    expect(conn.token).toBeUndefined();
    expect(new X509Certificate(conn.cert ?? '').subject).toBe('O=system:nodes\nCN=system:node:join-n1');

    // It is that node, and only that node: its own Node reads, another node's write is forbidden by name.
    const asNode = new RestClient(conn, { rateLimit: false });
    try {
      expect((await asNode.get<Node>(nodesResource, n1.name)).metadata.name).toBe(n1.name);
      const err = await asNode.create(nodesResource, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'someone-else' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ForbiddenError);
      expect((err as Error).message).toContain('system:node:join-n1');
    } finally {
      asNode.close();
    }
    outputs.push(agent.output());
  }, 180_000);

  it('restarts on the stored certificate after the token is gone', async () => {
    await agent?.stop();
    outputs.push(agent?.output() ?? '');
    await admin.delete(secretsResource, `bootstrap-token-${created.token.split('.')[0]}`, { namespace: 'kube-system' });
    const n1 = nodes.node('join-n1');
    const before = (await admin.list(csrResource)).items.length;
    agent = nodes.start([...created.joinArgs, ...n1.flags]);
    await eventually('agent running again', () => agent?.output().includes('kubelet running'), 90_000, 250);
    expect(agent.output()).toContain('using the credentials of an earlier join');
    await ready(n1.name);
    expect((await admin.list(csrResource)).items).toHaveLength(before);
    outputs.push(agent.output());
  }, 180_000);

  it('never prints the token secret outside the token command itself', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(2);
    for (const text of [...outputs, server.output()]) expect(text).not.toContain(created.secret);
  });
});

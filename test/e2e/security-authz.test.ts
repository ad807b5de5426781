// A real agent that authenticates as its node (system:node:<name> in system:nodes, a certificate from the
// cluster CA) against a secure `skiff server` can do everything a kubelet does — register its Node, renew its
// Lease, read the Secret and ConfigMap its pod references, report the pod's status, delete it at the end —
// while the same identity is refused anything outside its node. Logs come back through the API server,
// which dials the kubelet over HTTPS with its own client certificate. Runs on real Docker.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/index.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { RestClient, loadKubeconfig } from '../../client/index.js';
import { generateRsaKeyPair, issueCertificate, kubeconfigWithCerts } from '../../pki/index.js';
import { removeNodeContainers } from '../kubelet/support/agent-e2e.js';
import { eventually } from '../support/eventually.js';
import { kubectlAvailable, kubectlFor, type Kubectl } from '../support/kubectl.js';
import { skiffEntry, startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

const podsResource = findResource('', 'v1', 'pods')!;
const nodesResource = findResource('', 'v1', 'nodes')!;
const leasesResource = findResource('coordination.k8s.io', 'v1', 'leases')!;
const repoRoot = resolve(import.meta.dirname, '..', '..');

describe('an agent running as its node identity', () => {
  const nodeName = `authz-${randomBytes(3).toString('hex')}`;
  const ns = 'default';
  let dir: string;
  let server: SkiffServer;
  let admin: RestClient;
  let asNode: RestClient;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let kubectl: Kubectl | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-authz-'));
    server = await startSkiffServer();
    admin = RestClient.fromKubeconfig(server.kubeconfigPath);
    const pki = join(server.dataDir, 'pki');
    const caPem = readFileSync(join(pki, 'ca.crt'), 'utf8');
    const keys = generateRsaKeyPair();
    const certPem = issueCertificate(
      { commonName: `system:node:${nodeName}`, organizations: ['system:nodes'], usage: 'client', validityMs: 3600_000, publicKeyPem: keys.publicKeyPem },
      { issuerCertPem: caPem, signingKeyPem: readFileSync(join(pki, 'ca.key'), 'utf8') },
    );
    const kubeconfig = join(dir, 'kubelet.kubeconfig');
    writeFileSync(kubeconfig, kubeconfigWithCerts({ server: server.url, caPem, certPem, keyPem: keys.privateKeyPem, user: `system:node:${nodeName}` }), { mode: 0o600 });
    asNode = new RestClient(loadKubeconfig(kubeconfig));

    const args = [
      skiffEntry, 'agent', '--kubeconfig', kubeconfig, '--node-name', nodeName, '--node-ip', '127.0.0.1',
      '--data-dir', join(dir, 'agent'), '--pod-logs-dir', join(dir, 'pod-logs'),
      '--kubelet-address', '127.0.0.1', '--kubelet-port', '0', '--disable-proxy',
    ];
    const started = Date.now();
    const proc = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    agent = proc;
    proc.stdout?.on('data', (d: Buffer) => (agentLog += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (agentLog += d.toString()));
    await eventually('the agent to run', () => {
      if (proc.exitCode !== null) throw new Error(`agent exited:\n${agentLog.slice(-4000)}`);
      return agentLog.includes('kubelet running') || (Date.now() > started + 85_000 ? Promise.reject(new Error(agentLog.slice(-4000))) : false);
    }, 90_000);
  }, 180_000);

  afterAll(async () => {
    await kubectl?.cleanup();
    const proc = agent;
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await Promise.race([new Promise((r) => proc.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    await removeNodeContainers(nodeName).catch(() => undefined);
    admin?.close();
    asNode?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('registers its Node, reports it Ready and renews its Lease', async () => {
    const node = await eventually('the Node Ready', async () => {
      const n = await admin.get<Node>(nodesResource, nodeName).catch(() => undefined);
      return n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? n : undefined;
    }, 90_000);
    expect(node.metadata.name).toBe(nodeName);
    const lease = await eventually('the node Lease', () => admin.get<KubeObject & { spec?: { holderIdentity?: string } }>(leasesResource, nodeName, { namespace: 'kube-node-lease' }).catch(() => undefined));
    expect(lease.spec?.holderIdentity).toBe(nodeName);
  }, 120_000);

  it('runs a pod that mounts a Secret and reads a ConfigMap, and serves its log through the API server', async () => {
    await admin.create(findResource('', 'v1', 'secrets')!, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'authz-secret', namespace: ns }, stringData: { word: 'swordfish' } });
    await admin.create(findResource('', 'v1', 'configmaps')!, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'authz-config', namespace: ns }, data: { greeting: 'hello' } });
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'authz-pod', namespace: ns },
      spec: {
        nodeName,
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 's', secret: { secretName: 'authz-secret' } }],
        containers: [{
          name: 'app',
          image: 'skiff/busybox:v1',
          command: ['sh', '-c', 'echo "$GREETING $(cat /s/word)"; exec sleep 3600'],
          env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'authz-config', key: 'greeting' } } }],
          volumeMounts: [{ name: 's', mountPath: '/s' }],
        }],
      },
    };
    await admin.create(podsResource, pod);
    await eventually('the pod Running', async () => (await admin.get<Pod>(podsResource, 'authz-pod', { namespace: ns })).status?.phase === 'Running', 120_000);
    kubectl = kubectlAvailable() ? kubectlFor(server.kubeconfigPath) : undefined;
    const log = await eventually('the pod log through the API server', async () => {
      const body = kubectl
        ? await kubectl.ok(['logs', '-n', ns, 'authz-pod'])
        : (await server.request(`/api/v1/namespaces/${ns}/pods/authz-pod/log`)).body;
      return body.includes('hello swordfish') ? body : undefined;
    }, 60_000);
    expect(log).toBe('hello swordfish\n');
  }, 180_000);

  it('refuses the node identity anything outside its node', async () => {
    const forbidden = (p: Promise<unknown>): Promise<number | undefined> => p.then(() => undefined, (e: { code?: number }) => e.code);
    expect(await forbidden(asNode.get(findResource('', 'v1', 'secrets')!, 'authz-secret', { namespace: 'kube-system' }))).toBe(403);
    expect(await forbidden(asNode.create(nodesResource, { apiVersion: 'v1', kind: 'Node', metadata: { name: `${nodeName}-other` } }))).toBe(403);
    expect(await forbidden(asNode.list(findResource('', 'v1', 'secrets')!, { namespace: ns }))).toBe(403);
  });

  it('deletes the pod at the end of graceful deletion, with its node identity', async () => {
    await admin.delete(podsResource, 'authz-pod', { namespace: ns });
    await eventually('the pod gone', async () => admin.get(podsResource, 'authz-pod', { namespace: ns }).then(() => false, () => true), 120_000);
  }, 180_000);

  it('was never refused anything it needs (no 403 in the agent log)', () => {
    expect(agentLog).not.toMatch(/forbidden|Forbidden|"code":403/);
  });
});

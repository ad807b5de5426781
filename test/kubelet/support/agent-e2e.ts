// For the agent's end-to-end tests: a real `skiff server`, the agent as a child process (so it can be
// killed with SIGKILL and restarted on the same data dir), a REST client, a CRI client on the agent's
// socket, and cleanup of every container the agent made for this test's node (by the node label).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import type { KubeObject } from '../../../api/object.js';
import type { Pod } from '../../../api/index.js';
import { findResource } from '../../../api/resources.js';
import { RestClient, type ConnectionConfig } from '../../../client/index.js';
import { CriClient } from '../../../agent/cri/index.js';
import { skiffEntry, startSkiffServer, type SkiffServer } from '../../support/skiff-server.js';
import { eventually } from '../../support/eventually.js';

export { eventually };

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

export const podsResource = findResource('', 'v1', 'pods')!;
export const namespacesResource = findResource('', 'v1', 'namespaces')!;
export const configMapsResource = findResource('', 'v1', 'configmaps')!;
export const secretsResource = findResource('', 'v1', 'secrets')!;
export const nodesResource = findResource('', 'v1', 'nodes')!;
export const leasesResource = findResource('coordination.k8s.io', 'v1', 'leases')!;

export interface AgentEnv {
  server: SkiffServer;
  client: RestClient;
  nodeName: string;
  dir: string;
  dataDir: string;
  logsDir: string;
  cri(): CriClient;
  /** Starts (or restarts) the agent child process. */
  startAgent(): Promise<void>;
  /** SIGKILLs the agent. */
  kill9(): Promise<void>;
  agentOutput(): string;
  cleanup(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** Removes every Docker container the agent made for `nodeName`. */
export async function removeNodeContainers(nodeName: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`io.skiff.label/io.skiff.node=${nodeName}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
}

export interface AgentEnvOptions {
  /** Run the server's in-process scheduler and controllers (off by default: most agent tests bind pods themselves). */
  controlLoops?: boolean;
}

export async function startAgentEnv(prefix: string, options: AgentEnvOptions = {}): Promise<AgentEnv> {
  const nodeName = `${prefix}-${randomBytes(3).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `skiff-${prefix}-`));
  const dataDir = path.join(dir, 'agent');
  const logsDir = path.join(dir, 'pod-logs');
  const server = await startSkiffServer({ controlLoops: options.controlLoops ?? false });
  const client = RestClient.fromKubeconfig(server.kubeconfigPath);
  let child: ChildProcess | undefined;
  let output = '';
  let criClient: CriClient | undefined;
  const env: AgentEnv = {
    server,
    client,
    nodeName,
    dir,
    dataDir,
    logsDir,
    cri() {
      criClient ??= new CriClient(path.join(dataDir, 'cri.sock'), { timeoutMs: 30_000 });
      return criClient;
    },
    async startAgent() {
      const args = [skiffEntry, 'agent', '--kubeconfig', server.kubeconfigPath, '--node-name', nodeName, '--node-ip', '127.0.0.1', '--data-dir', dataDir, '--pod-logs-dir', logsDir, '--kubelet-address', '127.0.0.1', '--kubelet-port', '0', '--disable-proxy', '--log-level', process.env.SKIFF_TEST_LOG ?? 'info'];
      const proc = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        if (proc.exitCode !== null) throw new Error(`agent exited early:\n${output.slice(-4000)}`);
        if (output.includes('kubelet running')) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`agent not running within 90 s:\n${output.slice(-4000)}`);
    },
    async kill9() {
      const proc = child;
      child = undefined;
      criClient?.close();
      criClient = undefined;
      if (!proc) return;
      proc.kill('SIGKILL');
      await exited(proc);
    },
    agentOutput: () => output,
    async cleanup() {
      criClient?.close();
      const proc = child;
      child = undefined;
      if (proc && proc.exitCode === null) {
        proc.kill('SIGTERM');
        await Promise.race([exited(proc), new Promise((r) => setTimeout(r, 10_000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      try {
        await removeNodeContainers(nodeName);
      } finally {
        client.close();
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return env;
}

/**
 * How a test reaches the agent's kubelet endpoint (logs, exec) on `port` directly, as the API server does:
 * HTTPS with a client certificate signed by the cluster CA (the admin's; the endpoint requires one), not
 * verifying the kubelet's self-signed serving certificate (upstream's default without
 * --kubelet-certificate-authority). Plain HTTP when the server runs --insecure-http (no CA in its kubeconfig).
 */
export function kubeletConnection(server: SkiffServer, port: number): ConnectionConfig {
  const admin = server.connection();
  if (!admin.ca) return { server: `http://127.0.0.1:${port}` };
  return {
    server: `https://127.0.0.1:${port}`,
    insecureSkipTLSVerify: true,
    ...(admin.cert ? { cert: admin.cert } : {}),
    ...(admin.key ? { key: admin.key } : {}),
  };
}

export async function createNamespace(client: RestClient, name: string): Promise<void> {
  await client.create(namespacesResource, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
}

export async function getPod(client: RestClient, ns: string, name: string): Promise<Pod> {
  return client.get<Pod>(podsResource, name, { namespace: ns });
}

/** Waits for a pod to be Running with Ready=True; answers it. */
export async function waitReady(client: RestClient, ns: string, name: string, timeoutMs = 120_000): Promise<Pod> {
  return eventually(`pod ${ns}/${name} Running and Ready`, async () => {
    const p = await getPod(client, ns, name);
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    return p.status?.phase === 'Running' && ready ? p : undefined;
  }, timeoutMs);
}

/** Container ids in the runtime carrying this pod uid. */
export async function runtimeContainersOf(cri: CriClient, uid: string): Promise<string[]> {
  const r = await cri.listContainers({ filter: { label_selector: { 'io.kubernetes.pod.uid': uid } } });
  return r.containers.map((c) => c.id);
}

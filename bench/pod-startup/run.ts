// Pod startup latency through Skiff's agent vs. raw Docker, in one run on one engine.
//
//   npx tsx bench/pod-startup/run.ts [pods=50]
//
// Skiff: from creating a pod already bound to the agent's node (one skiff/busybox:v1 `sleep 3600`
// container) to the watch showing it Running; pods are created one after another. Raw: dockerode creates
// and starts the same pause container and one container joined to it. Both report p50/p99. Everything made
// here is removed at the end, even on failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import type { Pod } from '../../api/index.js';
import { findResource } from '../../api/resources.js';
import type { KubeObject } from '../../api/object.js';
import { RestClient, watch } from '../../client/index.js';
import { parseAgentFlags, startAgent, type RunningAgent } from '../../agent/cmd/agent.js';
import { startSkiffServer, type SkiffServer } from '../../test/support/skiff-server.js';
import { formatMs, printTable, quantile } from '../support/stats.js';

const pods = Number(process.argv[2] ?? 50);
const runId = randomBytes(3).toString('hex');
const nodeName = `bench-node-${runId}`;
const ns = `bench-startup-${runId}`;
const rawLabel = 'skiff-bench-startup';
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const podsResource = findResource('', 'v1', 'pods')!;
const namespacesResource = findResource('', 'v1', 'namespaces')!;

async function rawPod(i: number): Promise<number> {
  const t0 = performance.now();
  const labels = { [rawLabel]: runId };
  const pause = await docker.createContainer({
    name: `raw_POD_startup-${i}_${runId}`,
    Image: 'skiff/pause:v1',
    Labels: labels,
    HostConfig: { NetworkMode: 'bridge', IpcMode: 'shareable', RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } },
  });
  await pause.start();
  const joined = `container:${pause.id}`;
  const app = await docker.createContainer({
    name: `raw_app_startup-${i}_${runId}`,
    Image: 'skiff/busybox:v1',
    Entrypoint: ['sleep', '3600'],
    Labels: labels,
    HostConfig: { NetworkMode: joined, IpcMode: joined, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } },
  });
  await app.start();
  return performance.now() - t0;
}

async function removeLabelled(label: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

async function skiffPods(client: RestClient): Promise<number[]> {
  const running = new Map<string, (t: number) => void>();
  const stream = await watch<Pod>(client, podsResource, { namespace: ns });
  const reader = (async () => {
    for await (const ev of stream) {
      const p = ev.object as Pod;
      if (ev.type !== 'ERROR' && p.status?.phase === 'Running') running.get(p.metadata.name ?? '')?.(performance.now());
    }
  })();
  const latencies: number[] = [];
  try {
    for (let i = 0; i < pods; i++) {
      const name = `p${i}`;
      const seen = new Promise<number>((resolve) => running.set(name, resolve));
      const t0 = performance.now();
      await client.create<Pod>(podsResource, {
        apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
        spec: { nodeName, terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'skiff/busybox:v1', command: ['sleep', '3600'] }] },
      });
      const t1 = await Promise.race([seen, new Promise<number>((_r, reject) => setTimeout(() => reject(new Error(`pod ${name} not Running within 120 s`)), 120_000))]);
      running.delete(name);
      latencies.push(t1 - t0);
    }
  } finally {
    stream.stop();
    await reader.catch(() => undefined);
  }
  return latencies;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-startup-'));
  let server: SkiffServer | undefined;
  let agent: RunningAgent | undefined;
  let client: RestClient | undefined;
  try {
    server = await startSkiffServer({ startTimeoutMs: 120_000 });
    client = RestClient.fromKubeconfig(server.kubeconfigPath);
    await client.create(namespacesResource, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
    const flags = parseAgentFlags([
      '--kubeconfig', server.kubeconfigPath, '--node-name', nodeName, '--node-ip', '127.0.0.1',
      '--data-dir', path.join(dir, 'agent'), '--pod-logs-dir', path.join(dir, 'logs'),
      '--log-level', 'warn', '--kubelet-address', '127.0.0.1', '--kubelet-port', '0', '--disable-proxy', '--pod-network', 'none',
    ]);
    if (flags === 'help') throw new Error('unreachable: no --help given');
    agent = await startAgent(flags);
    const skiff = await skiffPods(client);
    const raw: number[] = [];
    for (let i = 0; i < pods; i++) raw.push(await rawPod(i));
    console.log(`pod startup, ${pods} pods one at a time (pause + 1 container)`);
    printTable(['path', 'p50', 'p99', 'max'], [
      ['skiff agent (create → Running via watch)', formatMs(quantile(skiff, 0.5)), formatMs(quantile(skiff, 0.99)), formatMs(Math.max(...skiff))],
      ['raw docker create+start', formatMs(quantile(raw, 0.5)), formatMs(quantile(raw, 0.99)), formatMs(Math.max(...raw))],
    ]);
    const ratio = (q: number): string => (quantile(skiff, q) / quantile(raw, q)).toFixed(2);
    console.log(`skiff/raw: p50 ${ratio(0.5)}×, p99 ${ratio(0.99)}× (aim: p99 within 1.5×)`);
  } finally {
    await agent?.stop().catch(() => undefined);
    await removeLabelled(`io.skiff.label/io.skiff.node=${nodeName}`);
    await removeLabelled(`${rawLabel}=${runId}`);
    client?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

// Pod start latency through Skiff's CRI vs. raw Docker, in one run on one engine.
//
//   npx tsx bench/cri/run.ts [pods=50]
//
// A "pod start" is: sandbox (pause container) created and started, then one skiff/busybox:v1 `sleep 3600`
// container joined to its namespaces, created and started. The CRI path goes through the gRPC socket
// (RunPodSandbox, CreateContainer, StartContainer); the raw path asks dockerode for the same containers
// with the same settings. The two are interleaved pod by pod so that engine load (containers already
// running) weighs on both alike. Everything is removed at the end, even on failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import pino from 'pino';
import { startCriServer, CriClient } from '../../agent/cri/index.js';

const pods = Number(process.argv[2] ?? 50);
const runId = `bench-${randomBytes(4).toString('hex')}`;
const labelKey = 'skiff-bench';
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-cri-'));
const socketPath = path.join(dir, 'cri.sock');

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

async function rawPod(i: number): Promise<number> {
  const t0 = performance.now();
  const labels = { [labelKey]: runId };
  const pause = await docker.createContainer({
    name: `raw_POD_bench-${i}_${runId}`,
    Image: 'skiff/pause:v1',
    Hostname: `bench-${i}`,
    Labels: labels,
    HostConfig: { NetworkMode: 'bridge', IpcMode: 'shareable', RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } },
  });
  await pause.start();
  const joined = `container:${pause.id}`;
  const app = await docker.createContainer({
    name: `raw_app_bench-${i}_${runId}`,
    Image: 'skiff/busybox:v1',
    Entrypoint: ['sleep', '3600'],
    Labels: labels,
    HostConfig: { NetworkMode: joined, IpcMode: joined, PidMode: joined, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } },
  });
  await app.start();
  return performance.now() - t0;
}

async function criPod(client: CriClient, i: number): Promise<number> {
  const t0 = performance.now();
  const sandbox_config = {
    metadata: { name: `bench-${i}`, namespace: 'bench', uid: `${runId}-${i}`, attempt: 0 },
    hostname: `bench-${i}`,
    log_directory: path.join(dir, 'pods', `bench_bench-${i}_${runId}-${i}`),
    labels: { [labelKey]: runId },
  };
  const { pod_sandbox_id } = await client.runPodSandbox({ config: sandbox_config });
  const { container_id } = await client.createContainer({
    pod_sandbox_id,
    sandbox_config,
    config: { metadata: { name: 'app' }, image: { image: 'skiff/busybox:v1' }, command: ['sleep', '3600'], log_path: 'app/0.log', labels: { [labelKey]: runId } },
  });
  await client.startContainer({ container_id });
  return performance.now() - t0;
}

async function cleanup(): Promise<void> {
  const ids = new Set<string>();
  for (const key of [labelKey, `io.skiff.label/${labelKey}`]) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [`${key}=${runId}`] } })) ids.add(c.Id);
  }
  // Remove a few at a time: 200 concurrent removals make the engine (and this 2-core box) crawl.
  const list = [...ids];
  for (let i = 0; i < list.length; i += 8) {
    await Promise.all(list.slice(i, i + 8).map((id) => docker.getContainer(id).remove({ force: true, v: true }).catch(() => undefined)));
  }
  console.log(`removed ${ids.size} containers`);
}

function summary(name: string, ms: number[]): { p50: number; p99: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  console.log(`${name.padEnd(12)} n=${ms.length}  p50=${p50.toFixed(1)} ms  p99=${p99.toFixed(1)} ms  mean=${mean.toFixed(1)} ms`);
  return { p50, p99 };
}

async function main(): Promise<void> {
  const server = await startCriServer({ socketPath, logger: pino({ level: 'warn' }) });
  const client = new CriClient(socketPath);
  const raw: number[] = [];
  const cri: number[] = [];
  try {
    // One warm-up pod each (image metadata and code paths cached), not counted.
    await rawPod(-1);
    await criPod(client, -1);
    for (let i = 0; i < pods; i++) {
      // Alternate which goes first so neither always follows the other's clean-up of engine state.
      if (i % 2 === 0) {
        raw.push(await rawPod(i));
        cri.push(await criPod(client, i));
      } else {
        cri.push(await criPod(client, i));
        raw.push(await rawPod(i));
      }
    }
    console.log(`pod start latency, ${pods} pods each (sandbox + 1 container), interleaved:`);
    const r = summary('raw docker', raw);
    const c = summary('skiff cri', cri);
    console.log(`ratio cri/raw: p50 ${(c.p50 / r.p50).toFixed(2)}x  p99 ${(c.p99 / r.p99).toFixed(2)}x`);
  } finally {
    client.close();
    await server.close();
    await cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

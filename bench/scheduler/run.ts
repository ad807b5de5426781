// bench/scheduler: pods/s from creation to bound, with 1,000 and 5,000 Node objects (no agents) and
// 10,000 pods, filters and scores on, against a real `skiff server` child process (SQLite). The baseline,
// measured in the same run against the same server, creates the same pods and binds them directly
// (round-robin, no decisions): the ratio is the scheduler's own cost.
//
//   npx tsx bench/scheduler/run.ts [--pods 10000] [--nodes 1000,5000] [--quick]
//
// Build first (npx tsc -p tsconfig.build.json): the server runs from dist/. The scheduler runs in its
// own child process (`node --import tsx bench/scheduler/scheduler-process.ts`), this one only creates
// pods and counts bindings on a watch. Traffic goes to 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSkiffServer, type SkiffServer } from '../../test/support/skiff-server.js';
import { HttpJson } from '../support/http-json.js';
import { formatRate, printTable, runConcurrently } from '../support/stats.js';
import type http from 'node:http';

const { values: flags } = parseArgs({
  options: {
    pods: { type: 'string' },
    nodes: { type: 'string', default: '1000,5000' },
    quick: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '64' },
  },
});
const podCount = Number(flags.pods ?? (flags.quick ? '2000' : '10000'));
const nodeCounts = (flags.nodes ?? '1000,5000').split(',').map(Number);
const concurrency = Number(flags.concurrency);

function node(name: string): object {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } };
}

const nodeStatus = {
  status: {
    capacity: { cpu: '64', memory: '256Gi', pods: '110' },
    allocatable: { cpu: '64', memory: '256Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'bench node' }],
  },
};

function pod(ns: string, name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: 'bench' } },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
  };
}

async function createNodes(client: HttpJson, count: number): Promise<void> {
  await runConcurrently(count, concurrency, async (i) => {
    const created = JSON.parse(await client.expect('POST', '/api/v1/nodes', 201, node(`node-${i}`))) as object;
    await client.expect('PUT', `/api/v1/nodes/node-${i}/status`, 200, { ...created, ...nodeStatus });
  });
}

async function createNamespace(client: HttpJson, ns: string): Promise<void> {
  await client.expect('POST', '/api/v1/namespaces', 201, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
}

/** Baseline: create each pod and bind it straight away to node i mod N. */
async function baseline(client: HttpJson, nodes: number): Promise<number> {
  const ns = 'baseline';
  await createNamespace(client, ns);
  const ms = await runConcurrently(podCount, concurrency, async (i) => {
    const name = `p-${i}`;
    await client.expect('POST', `/api/v1/namespaces/${ns}/pods`, 201, pod(ns, name));
    await client.expect('POST', `/api/v1/namespaces/${ns}/pods/${name}/binding`, 201, {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name },
      target: { apiVersion: 'v1', kind: 'Node', name: `node-${i % nodes}` },
    });
  });
  return (podCount * 1000) / ms;
}

/** Starts the scheduler child and resolves once it logs that its caches synced. */
function startScheduler(kubeconfig: string): Promise<ChildProcess> {
  const entry = join(import.meta.dirname, 'scheduler-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, '--kubeconfig', kubeconfig, '--kube-api-qps', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`scheduler did not sync within 120 s:\n${log}`)), 120_000);
    const onData = (d: Buffer): void => {
      log += d.toString('utf8');
      if (log.includes('caches synced')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (log += d.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`scheduler exited (${code}):\n${log}`)));
  });
}

/** Counts pods of `ns` that a watch reports bound; resolves when `want` are, with the time it happened. */
function countBound(server: SkiffServer, ns: string, want: number): { done: Promise<number>; stop: () => void } {
  const bound = new Set<string>();
  let buffer = '';
  let response: http.IncomingMessage | undefined;
  let stopped = false;
  const done = new Promise<number>((resolve, reject) => {
    server.stream(`/api/v1/namespaces/${ns}/pods?watch=1&timeoutSeconds=3600`, { timeoutMs: 120_000 }).then((res) => {
      response = res;
      if (stopped) res.destroy();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!line.trim()) continue;
          const ev = JSON.parse(line) as { object?: { metadata?: { name?: string }; spec?: { nodeName?: string } } };
          if (ev.object?.spec?.nodeName) bound.add(ev.object.metadata?.name ?? '');
          if (bound.size >= want) resolve(performance.now());
        }
      });
      res.on('error', reject);
    }, reject);
  });
  return {
    done,
    stop: () => {
      stopped = true;
      response?.destroy();
    },
  };
}

async function scheduled(server: SkiffServer, client: HttpJson): Promise<number> {
  const ns = 'scheduled';
  await createNamespace(client, ns);
  const scheduler = await startScheduler(server.kubeconfigPath);
  try {
    const counter = countBound(server, ns, podCount);
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    await runConcurrently(podCount, concurrency, async (i) => {
      await client.expect('POST', `/api/v1/namespaces/${ns}/pods`, 201, pod(ns, `p-${i}`));
    });
    const finished = await counter.done;
    counter.stop();
    return (podCount * 1000) / (finished - started);
  } finally {
    scheduler.kill('SIGTERM');
    await new Promise((r) => (scheduler.exitCode !== null ? r(undefined) : scheduler.once('exit', r)));
  }
}

const rows: string[][] = [];
for (const nodes of nodeCounts) {
  const server = await startSkiffServer({ startTimeoutMs: 120_000 });
  const client = new HttpJson(server.connection(), concurrency * 2);
  try {
    const t0 = performance.now();
    await createNodes(client, nodes);
    console.log(`${nodes} nodes created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const base = await baseline(client, nodes);
    console.log(`baseline (create + bind, no decisions): ${formatRate(base)}`);
    const sched = await scheduled(server, client);
    console.log(`scheduler (create → bound): ${formatRate(sched)}`);
    rows.push([String(nodes), String(podCount), formatRate(sched), formatRate(base), `${((sched / base) * 100).toFixed(0)}%`]);
  } finally {
    client.close();
    await server.stop();
  }
}
console.log();
printTable(['nodes', 'pods', 'scheduled pods/s', 'baseline create+bind/s', 'ratio'], rows);

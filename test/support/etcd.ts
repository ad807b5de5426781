// Starts a throwaway etcd on loopback for integration tests: random free client and peer ports, a temp
// data dir, none of the caller's ETCD_* environment. Several test files may run this at once, so a port
// that another process grabbed between our probe and etcd's bind just means another attempt.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestEtcd {
  endpoints: string[];
  /** Kills etcd and removes its data dir; idempotent. */
  stop(): Promise<void>;
}

const etcdCandidates = ['/usr/bin/etcd', '/usr/local/bin/etcd'];
const startAttempts = 5;
const healthyTimeoutMs = 30_000;

export function findEtcdBinary(): string {
  const found = etcdCandidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`etcd binary not found (looked in ${etcdCandidates.join(', ')}); hack/test.sh installs it (Debian package etcd-server)`);
  }
  return found;
}

export async function startEtcd(): Promise<TestEtcd> {
  const binary = findEtcdBinary();
  let lastError: unknown;
  for (let attempt = 0; attempt < startAttempts; attempt++) {
    try {
      return await startOnce(binary);
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`etcd did not start after ${startAttempts} attempts: ${String(lastError)}`);
}

async function startOnce(binary: string): Promise<TestEtcd> {
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD_')));
  const child = spawn(
    binary,
    [
      '--name', 'default',
      '--data-dir', dataDir,
      '--listen-client-urls', client,
      '--advertise-client-urls', client,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `default=${peer}`,
      '--initial-cluster-state', 'new',
      '--log-level', 'error',
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await kill(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(client, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoints: [client], stop };
}

async function waitHealthy(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + healthyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`etcd exited (${child.exitCode ?? child.signalCode}): ${stderr()}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json()) as { health?: string };
      if (body.health === 'true') return;
    } catch {
      // Not listening yet; poll again.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`etcd at ${url} not healthy within ${healthyTimeoutMs}ms: ${stderr()}`);
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// Starts a real `skiff server` (the built dist/, which hack/test.sh builds first) as a child process on a
// free port with a fresh data dir, and waits until it answers /readyz. For integration and e2e tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface SkiffServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  kubeconfigPath: string;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, wait for exit, remove the data dir (unless keepDataDir). Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit; keeps the data dir so `restart()` can reuse it. */
  kill9(): Promise<void>;
  /** Stops (gracefully if still running) and starts again on the same data dir; `url` may change. */
  restart(): Promise<void>;
}

export interface SkiffServerOptions {
  /** Reuse this data dir instead of a fresh temp dir (then it is not removed on stop). */
  dataDir?: string;
  /** Extra flags for `skiff server`, e.g. ['--etcd', 'http://127.0.0.1:2379']. */
  args?: string[];
  /**
   * Run the in-process scheduler and controllers, as a user's `skiff server` does. Off by default: most
   * tests drive one loop themselves (or none) and must not race a second copy of it.
   */
  controlLoops?: boolean;
  /** How long to wait for readiness, in ms (default 60 s: the machine may be busy). */
  startTimeoutMs?: number;
}

const repoRoot = resolve(import.meta.dirname, '..', '..');
const entry = join(repoRoot, 'dist', 'skiff.js');

function serverUrlFromKubeconfig(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const match = /server:\s*(\S+)/.exec(readFileSync(path, 'utf8'));
  return match?.[1];
}

async function ready(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
  });
}

export async function startSkiffServer(options: SkiffServerOptions = {}): Promise<SkiffServer> {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npx tsc -p tsconfig.build.json)`);
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-server-'));
  const kubeconfigPath = join(dataDir, 'admin.kubeconfig');
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let child: ChildProcess | undefined;
  let log = '';
  let url = '';

  async function launch(): Promise<void> {
    rmSync(kubeconfigPath, { force: true });
    const loops = options.controlLoops ? [] : ['--controllers', 'none', '--disable-scheduler'];
    const args = [entry, 'server', '--data-dir', dataDir, '--port', '0', '--address', '127.0.0.1', ...loops, ...(options.args ?? [])];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (log += d.toString('utf8')));
    proc.stderr?.on('data', (d: Buffer) => (log += d.toString('utf8')));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`skiff server exited early (${proc.exitCode ?? proc.signalCode}):\n${log}`);
      }
      const found = serverUrlFromKubeconfig(kubeconfigPath);
      if (found && (await ready(found))) {
        url = found;
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    proc.kill('SIGKILL');
    await waitForExit(proc, 5000);
    throw new Error(`skiff server not ready within ${timeoutMs} ms:\n${log}`);
  }

  async function terminate(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc) return;
    child = undefined;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await waitForExit(proc, 15_000);
  }

  await launch();
  return {
    get url() {
      return url;
    },
    kubeconfigPath,
    dataDir,
    output: () => log,
    async stop() {
      await terminate('SIGTERM');
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill9: () => terminate('SIGKILL'),
    async restart() {
      await terminate('SIGTERM');
      await launch();
    },
  };
}

// Starts a real `skiff server` (the built dist/, which hack/test.sh builds first) as a child process on a
// free port with a fresh data dir, and waits until it answers /readyz. For integration and e2e tests.
// The server serves HTTPS with client certificates (plain HTTP only with --insecure-http); everything here
// goes through its admin kubeconfig (CA + admin client certificate), so it works for both.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadKubeconfig, type ConnectionConfig } from '../../client/index.js';
import { agentFor, openStream, sendRequest, type RawRequestInit, type RawResponse } from './api-request.js';

export type { RawRequestInit, RawResponse } from './api-request.js';

export interface SkiffServer {
  /** Base URL from the admin kubeconfig, e.g. `https://127.0.0.1:41234`. */
  url: string;
  /** `<dataDir>/admin.kubeconfig`: the server URL, its CA and the admin client certificate. */
  kubeconfigPath: string;
  dataDir: string;
  /** The admin kubeconfig, resolved (URL, CA, client certificate); re-read on each (re)start. */
  connection(): ConnectionConfig;
  /**
   * One raw request as the admin (`path` like `/api/v1/namespaces`), whole answer whatever the status: for
   * tests that check the wire (status codes, headers, odd bodies). Objects are easier through RestClient.
   */
  request(path: string, init?: RawRequestInit): Promise<RawResponse>;
  /** Like `request` but resolves when the headers arrive, for watches and followed logs; destroy the response to stop. */
  stream(path: string, init?: RawRequestInit): Promise<http.IncomingMessage>;
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
  /**
   * Extra flags for `skiff server`, e.g. ['--etcd', 'http://127.0.0.1:2379']. Not '--insecure-http' except
   * in a test of that flag: tests run the server as users do, over HTTPS.
   */
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
/**
 * The built `skiff` entry the tests run: dist/skiff.js, or $SKIFF_TEST_ENTRY (a build elsewhere, e.g. made
 * with `npx tsc -p tsconfig.build.json --outDir DIR` so a shared dist/ is left alone).
 */
export const skiffEntry = process.env.SKIFF_TEST_ENTRY ?? join(repoRoot, 'dist', 'skiff.js');
const entry = skiffEntry;

/** The kubeconfig once the server has written it (it writes it atomically, after it serves). */
function readKubeconfig(path: string): ConnectionConfig | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return loadKubeconfig(path);
  } catch {
    return undefined;
  }
}

async function ready(connection: ConnectionConfig): Promise<boolean> {
  const agent = agentFor(connection, { keepAlive: false });
  try {
    const res = await sendRequest(connection, agent, '/readyz', { timeoutMs: 2000 });
    return res.status === 200;
  } catch {
    return false;
  } finally {
    agent.destroy();
  }
}

/**
 * Waits for the child to exit; SIGKILLs it after `timeoutMs`, then gives up waiting after 10 s more (a process
 * stuck in uninterruptible I/O on a loaded machine must not hang a test hook: its failure must be reported).
 */
function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const killTimer = setTimeout(() => {
      child.kill('SIGKILL');
      giveUpTimer = setTimeout(resolvePromise, 10_000);
    }, timeoutMs);
    let giveUpTimer: NodeJS.Timeout | undefined;
    child.once('exit', () => {
      clearTimeout(killTimer);
      clearTimeout(giveUpTimer);
      resolvePromise();
    });
  });
}

// Servers still running when the test process exits (a hook timed out before `stop()` could be called)
// are killed with it rather than left behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startSkiffServer(options: SkiffServerOptions = {}): Promise<SkiffServer> {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npx tsc -p tsconfig.build.json)`);
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-server-'));
  const kubeconfigPath = join(dataDir, 'admin.kubeconfig');
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let child: ChildProcess | undefined;
  let log = '';
  let connection: ConnectionConfig | undefined;
  let agent: http.Agent | undefined;

  async function launch(): Promise<void> {
    rmSync(kubeconfigPath, { force: true });
    const loops = options.controlLoops ? [] : ['--controllers', 'none', '--disable-scheduler'];
    const args = [entry, 'server', '--data-dir', dataDir, '--port', '0', '--address', '127.0.0.1', ...loops, ...(options.args ?? [])];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    proc.stdout?.on('data', (d: Buffer) => (log += d.toString('utf8')));
    proc.stderr?.on('data', (d: Buffer) => (log += d.toString('utf8')));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`skiff server exited early (${proc.exitCode ?? proc.signalCode}):\n${log}`);
      }
      const found = readKubeconfig(kubeconfigPath);
      if (found && (await ready(found))) {
        connection = found;
        agent = agentFor(found);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    proc.kill('SIGKILL');
    await waitForExit(proc, 0);
    throw new Error(`skiff server not ready within ${timeoutMs} ms:\n${log}`);
  }

  // After a stop or kill the last connection stays, so requests fail as a client's would (connection refused).
  function current(): { connection: ConnectionConfig; agent: http.Agent } {
    if (!connection) throw new Error('skiff server never became ready');
    agent ??= agentFor(connection);
    return { connection, agent };
  }

  async function terminate(signal: NodeJS.Signals): Promise<void> {
    // Drop kept-alive sockets: a restarted server may listen elsewhere, and must not see stale sockets.
    agent?.destroy();
    agent = undefined;
    const proc = child;
    if (!proc) return;
    child = undefined;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await waitForExit(proc, 15_000);
  }

  await launch();
  return {
    get url() {
      return current().connection.server;
    },
    kubeconfigPath,
    dataDir,
    connection: () => current().connection,
    request(path, init) {
      const c = current();
      return sendRequest(c.connection, c.agent, path, init);
    },
    stream(path, init) {
      const c = current();
      return openStream(c.connection, c.agent, path, init);
    },
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

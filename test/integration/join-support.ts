// For the join tests: `skiff token create` and `skiff agent` as child processes of the built entry (as a
// user runs them), their whole output kept for the "secrets never appear" checks, and cleanup that
// stops every agent started and removes the containers it may have made.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCa, makeLeaf } from '../join/pki-fixtures.js';
import { removeNodeContainers } from '../kubelet/support/agent-e2e.js';
import { eventually } from '../support/eventually.js';
import { skiffEntry } from '../support/skiff-server.js';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `skiff <args>` to completion (or kills it after `timeoutMs`). */
export function runSkiff(args: string[], timeoutMs = 120_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [skiffEntry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.once('error', reject);
    proc.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The token and the join command's flags from `skiff token create`'s two lines. */
export interface CreatedToken {
  token: string;
  secret: string;
  joinArgs: string[];
}

export async function createToken(dataDir: string, ttl?: string): Promise<CreatedToken> {
  const r = await runSkiff(['token', 'create', '--data-dir', dataDir, ...(ttl ? ['--ttl', ttl] : [])]);
  if (r.code !== 0) throw new Error(`skiff token create failed (${r.code}): ${r.stderr}`);
  const [token = '', command = ''] = r.stdout.split('\n');
  const words = command.split(' ');
  if (words[0] !== 'skiff' || words[1] !== 'agent') throw new Error(`unexpected join command: ${command}`);
  return { token, secret: token.split('.')[1] ?? '', joinArgs: words.slice(2) };
}

export interface AgentProcess {
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A fresh node: its name, its data dir and the agent flags every test agent runs with. */
export class TestNodes {
  private readonly dir = mkdtempSync(join(tmpdir(), 'skiff-join-nodes-'));
  private readonly agents = new Map<ChildProcess, Promise<number | null>>();
  private readonly names = new Set<string>();

  node(name: string): { name: string; dataDir: string; flags: string[] } {
    this.names.add(name);
    const dataDir = join(this.dir, name);
    return {
      name,
      dataDir,
      flags: ['--node-name', name, '--node-ip', '127.0.0.1', '--data-dir', dataDir, '--pod-logs-dir', join(dataDir, 'logs'),
        '--kubelet-address', '127.0.0.1', '--kubelet-port', '0', '--disable-proxy'],
    };
  }

  /** Starts `skiff agent <args>`; resolves once it runs the kubelet, or with its exit when it ends first. */
  start(args: string[]): AgentProcess {
    const proc = spawn(process.execPath, [skiffEntry, 'agent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => {
      this.agents.delete(proc);
      resolve(code);
    }));
    this.agents.set(proc, exited);
    return {
      output: () => output,
      exited,
      stop: async () => {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      },
    };
  }

  /** Stops every agent still running, removes their containers and the nodes' directories. */
  async cleanup(): Promise<void> {
    const exits = [...this.agents.entries()].map(([proc, exited]) => (proc.kill('SIGKILL'), exited));
    await Promise.all(exits);
    for (const name of this.names) await removeNodeContainers(name).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A TLS "API server" that records every byte a client sends after the handshake and answers any HTTP
 * request with 401. Its chain carries its CA, as skiff server's does, so a join can discover and pin it.
 */
export interface RecordingServer {
  url: string;
  port: number;
  /** The CA's PEM (pin it with caCertHash). */
  caPem: string;
  /** Everything received since the last reset. */
  received(): string;
  /** TCP connections accepted since the last reset (counted before the handshake finishes). */
  connections(): number;
  /** Resolves once every connection is closed: whatever a client sent has arrived by then. */
  drained(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const ca = makeCa('recorder-ca');
  const serving = makeLeaf(ca, 'server', 'kube-apiserver', [], ['127.0.0.1', 'localhost']);
  let received = '';
  let connections = 0;
  let open = 0;
  const server = tls.createServer({ cert: serving.certPem + ca.certPem, key: serving.keyPem }, (socket) => {
    let request = '';
    socket.on('data', (d: Buffer) => {
      received += d.toString('utf8');
      request += d.toString('utf8');
      const end = request.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(request)?.[1] ?? 0);
      if (request.length < end + 4 + length) return;
      const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      socket.end(`HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
    });
    socket.on('error', () => undefined);
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    open++;
    socket.once('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    caPem: ca.certPem,
    received: () => received,
    connections: () => connections,
    drained: () => eventually('recorder connections closed', () => open === 0, 10_000, 20).then(() => undefined),
    reset: () => {
      received = '';
      connections = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

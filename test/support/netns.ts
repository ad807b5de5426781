// Network namespaces for tests that need real iptables and real traffic without touching the machine's
// own network: `skiff-t-<random>` namespaces, veth pairs between them, processes started inside them,
// and a teardown that kills those processes and deletes the namespaces (which deletes their interfaces,
// routes and iptables rules with them), also after a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { runCommand } from '../../agent/proxy/run-command.js';

export interface Netns {
  name: string;
  /** /var/run/netns/<name>, for `nsenter --net=`. */
  path: string;
  /** Runs a command inside and resolves with stdout; rejects on a non-zero exit. */
  exec(argv: readonly string[], stdin?: string): Promise<string>;
  /** Starts a long-running process inside; it is killed at teardown. */
  spawn(argv: readonly string[]): ChildProcess;
}

const made: Array<{ ns: Netns; children: ChildProcess[] }> = [];

/** Whether this machine can make network namespaces (root with `ip` and `nsenter`). */
export async function netnsSupported(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  try {
    await runCommand({}, ['ip', 'netns', 'list']);
    await runCommand({}, ['nsenter', '--version']);
    return true;
  } catch {
    return false;
  }
}

/** A fresh namespace with loopback up. */
export async function createNetns(prefix = 'skiff-t'): Promise<Netns> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  await runCommand({}, ['ip', 'netns', 'add', name]);
  const path = `/var/run/netns/${name}`;
  const children: ChildProcess[] = [];
  const ns: Netns = {
    name,
    path,
    exec: (argv, stdin) => runCommand({ netnsPath: path }, argv, stdin),
    spawn: (argv) => {
      const child = spawn('nsenter', [`--net=${path}`, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return child;
    },
  };
  made.push({ ns, children });
  await ns.exec(['ip', 'link', 'set', 'lo', 'up']);
  return ns;
}

/**
 * A veth pair from `a` (named `aName`, address `aAddr` in CIDR form) to `b` (`bName`, `bAddrs`, the first
 * with its prefix length, the rest added as /32 secondaries), both up.
 */
export async function connectVeth(a: Netns, aName: string, aAddr: string, b: Netns, bName: string, bAddrs: string[]): Promise<void> {
  await a.exec(['ip', 'link', 'add', aName, 'type', 'veth', 'peer', 'name', bName]);
  await a.exec(['ip', 'link', 'set', bName, 'netns', b.name]);
  await a.exec(['ip', 'addr', 'add', aAddr, 'dev', aName]);
  await a.exec(['ip', 'link', 'set', aName, 'up']);
  for (const [i, addr] of bAddrs.entries()) await b.exec(['ip', 'addr', 'add', i === 0 ? addr : `${addr.split('/')[0]}/32`, 'dev', bName]);
  await b.exec(['ip', 'link', 'set', bName, 'up']);
}

/** Kills what runs in `ns` and deletes it. Safe to call twice. */
export async function deleteNetns(ns: Netns): Promise<void> {
  const i = made.findIndex((m) => m.ns === ns);
  const entry = i >= 0 ? made.splice(i, 1)[0] : undefined;
  for (const child of entry?.children ?? []) await killChild(child);
  await runCommand({}, ['ip', 'netns', 'del', ns.name]).catch(() => {});
}

/** Deletes every namespace this process made and has not deleted yet (for afterAll). */
export async function deleteAllNetns(): Promise<void> {
  for (const { ns } of [...made].reverse()) await deleteNetns(ns);
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // nsenter execs the target, so this pid is the process itself.
  child.kill('SIGKILL');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
}

/** Resolves with the first stdout line of `child` that satisfies `match`, or rejects after `timeoutMs`. */
export function waitForLine(child: ChildProcess, match: (line: string) => boolean, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let errBuf = '';
    const timer = setTimeout(() => reject(new Error(`no matching line within ${timeoutMs} ms; stderr: ${errBuf}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => { errBuf += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (match(line)) {
          clearTimeout(timer);
          resolve(line);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before a matching line; stderr: ${errBuf}`));
    });
  });
}

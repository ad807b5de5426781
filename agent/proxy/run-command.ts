// One child process, optionally inside a network namespace, with text on stdin. Every host command the
// proxy runs goes through here, so "which namespace" is decided in one place.
import { spawn } from 'node:child_process';

/** Where commands run: the current network namespace, or the one bound at `netnsPath` (/var/run/netns/<name>). */
export interface CommandTarget {
  netnsPath?: string;
}

/** Raised when a command exits non-zero; carries its stderr, which is what tells iptables errors apart. */
export class CommandError extends Error {
  constructor(readonly command: string, readonly exitCode: number | null, readonly stderr: string) {
    super(`${command} exited with ${exitCode}: ${stderr.trim().slice(0, 2000)}`);
    this.name = 'CommandError';
  }
}

/** Runs `argv` (through `nsenter --net=` when a namespace is given) and resolves with its stdout. */
export function runCommand(target: CommandTarget, argv: readonly string[], stdin?: string): Promise<string> {
  const full = target.netnsPath ? ['nsenter', `--net=${target.netnsPath}`, ...argv] : [...argv];
  const [file, ...args] = full;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new CommandError(full.join(' ').slice(0, 200), code, Buffer.concat(err).toString('utf8')));
    });
    // A child that dies early closes stdin under us; the exit code reports the real failure.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin ?? '');
  });
}

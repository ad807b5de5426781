// ExecSync: run a command in a container through a Docker exec, collect stdout and stderr apart, and
// report the exit code. Output is capped at 16 MiB per stream (CRI's limit, after CVE-2022-1708); a
// timeout kills the process and answers DEADLINE_EXCEEDED, which the kubelet's exec probe reads as a timeout.
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { deadlineExceeded } from './errors.js';
import { DockerFrameParser } from './docker-stream.js';

export const execOutputLimitBytes = 16 * 1024 * 1024;

/** What ExecSync returns. */
export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exit_code: number;
}

class CappedBuffer {
  private readonly parts: Buffer[] = [];
  private size = 0;
  push(b: Buffer): void {
    const room = execOutputLimitBytes - this.size;
    if (room <= 0) return;
    const part = b.length > room ? b.subarray(0, room) : b;
    this.parts.push(part);
    this.size += part.length;
  }
  value(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Docker's exit code of a finished exec; it can lag the stream's end by a moment. */
export async function execExitCode(exec: Dockerode.Exec): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  const info = await exec.inspect();
  return info.ExitCode ?? -1;
}

/** Kills an exec's process from the host (Docker has no API for it); best effort. */
export async function killExec(exec: Dockerode.Exec): Promise<void> {
  try {
    const { Pid } = await exec.inspect();
    if (Pid > 0) process.kill(Pid, 'SIGKILL');
  } catch {
    // Already gone, or not ours to kill: nothing more to do.
  }
}

/** Runs `cmd` in `containerId`; `timeoutSeconds` 0 waits forever. */
export async function execSync(docker: Dockerode, containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const stdout = new CappedBuffer();
  const stderr = new CappedBuffer();
  const parser = new DockerFrameParser((s, payload) => (s === 'stderr' ? stderr : stdout).push(payload));
  stream.on('data', (chunk: Buffer) => parser.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    if (timeoutSeconds > 0) timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
  });
  try {
    const outcome = await Promise.race([ended.then(() => 'done' as const), timedOut]);
    if (outcome === 'timeout') {
      await killExec(exec);
      stream.destroy();
      throw deadlineExceeded(`command ${JSON.stringify(cmd)} timed out after ${timeoutSeconds}s`);
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
  return { stdout: stdout.value(), stderr: stderr.value(), exit_code: await execExitCode(exec) };
}

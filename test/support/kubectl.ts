// Runs the real kubectl (v1.33) against a Skiff server, for e2e tests. hack/test.sh exports
// SKIFF_KUBECTL; without it the binary unpacked by hack/lib/machine.sh (ensure_kubectl) is used.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const kubectlPath = process.env.SKIFF_KUBECTL ?? '/root/.cache/skiff/kubectl-v33/kubectl';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (e.g. a manifest for `-f -`). */
  input?: string;
  /** Kill kubectl after this long (default 60 s). The result then has code -1 and says so in stderr. */
  timeoutMs?: number;
}

/** A kubectl bound to one kubeconfig and its own discovery cache dir (removed by `cleanup`). */
export interface Kubectl {
  run(args: readonly string[], options?: KubectlOptions): Promise<KubectlResult>;
  /** Runs and throws (with stdout/stderr) unless kubectl exits 0; returns stdout. */
  ok(args: readonly string[], options?: KubectlOptions): Promise<string>;
  /** Starts `kubectl get -w ...`-style streaming commands; see `KubectlStream`. */
  stream(args: readonly string[]): KubectlStream;
  /** Stops running streams and removes the cache dir. */
  cleanup(): Promise<void>;
}

export interface KubectlStream {
  /** Lines printed on stdout so far. */
  lines(): string[];
  stderr(): string;
  /** Resolves with the first line (already printed or later) matching `pattern`; rejects after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM and wait for exit. Idempotent. */
  stop(): Promise<void>;
}

export function kubectlAvailable(): boolean {
  return existsSync(kubectlPath);
}

function baseArgs(kubeconfigPath: string, cacheDir: string): string[] {
  // A private cache dir: discovery and OpenAPI answers must never leak between test servers.
  return ['--kubeconfig', kubeconfigPath, '--cache-dir', cacheDir];
}

export function kubectlFor(kubeconfigPath: string): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-cache-'));
  const streams = new Set<KubectlStream>();

  function run(args: readonly string[], options: KubectlOptions = {}): Promise<KubectlResult> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const child = spawn(kubectlPath, [...baseArgs(kubeconfigPath, cacheDir), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (timedOut) stderr += `\n[kubectl killed after ${timeoutMs} ms]`;
        resolve({ code: timedOut ? -1 : (code ?? -1), stdout, stderr });
      });
      child.stdin.on('error', () => {
        // kubectl may exit before reading stdin (e.g. a usage error); the exit code tells the story.
      });
      child.stdin.end(options.input ?? '');
    });
  }

  async function ok(args: readonly string[], options?: KubectlOptions): Promise<string> {
    const r = await run(args, options);
    if (r.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    }
    return r.stdout;
  }

  function stream(args: readonly string[]): KubectlStream {
    const child = spawn(kubectlPath, [...baseArgs(kubeconfigPath, cacheDir), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    const waiters = new Set<() => void>();
    child.stdout.on('data', (d: Buffer) => {
      partial += d.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      for (const w of waiters) w();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const s: KubectlStream = {
      lines: () => [...lines],
      stderr: () => stderr,
      waitForLine(pattern, timeoutMs = 30_000) {
        return new Promise((resolve, reject) => {
          const check = (): boolean => {
            const hit = lines.find((l) => pattern.test(l));
            if (hit === undefined) return false;
            waiters.delete(onData);
            clearTimeout(timer);
            resolve(hit);
            return true;
          };
          const onData = (): void => {
            check();
          };
          const timer = setTimeout(() => {
            waiters.delete(onData);
            reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; lines:\n${lines.join('\n')}\nstderr:\n${stderr}`));
          }, timeoutMs);
          if (!check()) waiters.add(onData);
        });
      },
      async stop() {
        streams.delete(s);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
    streams.add(s);
    return s;
  }

  return {
    run,
    ok,
    stream,
    async cleanup() {
      await Promise.all([...streams].map((s) => s.stop()));
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

// The CRI server keeps no state of its own: killed with SIGKILL while pods run, a new server on the same
// socket lists exactly the same sandboxes and containers (ids and states) from Docker's labels alone, and
// the log copier resumes where it stopped, with neither lost nor duplicated lines.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriClient } from '../../agent/cri/index.js';
import { startCriHarness, runPod, waitFor, type CriHarness } from '../support/docker.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let h: CriHarness;
let child: ChildProcess | undefined;

/**
 * `skiff cri` as a child process on the harness's socket (the harness's own server is closed first). The
 * command's module is run directly, so the test does not depend on the top-level dispatcher's table.
 */
async function startChildServer(socketPath: string, runId: string): Promise<ChildProcess> {
  const entry = path.join(repoRoot, 'agent', 'cmd', 'cri.ts');
  const proc = spawn(process.execPath, ['--import', 'tsx', entry, '--socket', socketPath, '--log-level', 'warn', '--adopt-selector', `skiff-test=${runId}`], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`skiff cri exited early with ${code}`))));
  exited.catch(() => undefined);
  const probe = new CriClient(socketPath, { timeoutMs: 2_000 });
  try {
    await Promise.race([
      exited,
      waitFor('skiff cri child to answer', async () => (await probe.version()).runtime_name === 'docker', 60_000, 200),
    ]);
  } finally {
    probe.close();
  }
  return proc;
}

function killChild(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

beforeAll(async () => {
  h = await startCriHarness('cri-restart');
});

afterAll(async () => {
  await killChild();
  await h?.cleanup();
});

describe('a CRI server restart', () => {
  it('adopts running pods from Docker alone and resumes logs without duplicates', async () => {
    // Serve from a separate process so that it can be killed without a chance to clean up.
    await h.server.close();
    child = await startChildServer(h.socketPath, h.runId);
    const client = new CriClient(h.socketPath);
    const clientFor = { ...h, client } as CriHarness;
    try {
      await runPod(clientFor, 'adopted', [
        { name: 'ticker', command: ['sh', '-c', 'i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done'] },
        { name: 'sleeper', command: ['sleep', '3600'] },
        { name: 'done', command: ['sh', '-c', 'echo bye'] },
      ]);
      await runPod(clientFor, 'stopped', [{ name: 'main', command: ['sleep', '3600'] }]).then(({ sandboxId }) => client.stopPodSandbox({ pod_sandbox_id: sandboxId }));
      const selector = { label_selector: { 'skiff-test': h.runId } };
      await waitFor('the short container to exit', async () => {
        const { containers } = await client.listContainers({ filter: { ...selector, state: { state: 'CONTAINER_EXITED' } } });
        return containers.length === 2;
      });
      const logFile = h.logPath('adopted', 'ticker');
      await waitFor('some ticks in the log', () => fs.existsSync(logFile) && fs.readFileSync(logFile, 'utf8').includes('tick-3'));
      const before = {
        sandboxes: (await client.listPodSandbox({ filter: selector })).items.map((s) => [s.id, s.state]).sort(),
        containers: (await client.listContainers({ filter: selector })).containers.map((c) => [c.id, c.state, c.pod_sandbox_id]).sort(),
      };
      expect(before.sandboxes).toHaveLength(2);
      expect(before.containers).toHaveLength(4);

      await killChild();
      client.close();
      const linesAtKill = fs.readFileSync(logFile, 'utf8').split('\n').length;
      expect(fs.existsSync(h.socketPath)).toBe(true); // the stale socket a killed server leaves

      await h.restart();
      const after = {
        sandboxes: (await h.client.listPodSandbox({ filter: selector })).items.map((s) => [s.id, s.state]).sort(),
        containers: (await h.client.listContainers({ filter: selector })).containers.map((c) => [c.id, c.state, c.pod_sandbox_id]).sort(),
      };
      expect(after).toEqual(before);

      // Ticks written while no server ran are copied once the new one resumes; none twice, none skipped.
      const text = await waitFor('the copier to resume', () => {
        const t = fs.readFileSync(logFile, 'utf8');
        return t.split('\n').length > linesAtKill + 10 ? t : undefined;
      }, 30_000, 200);
      const ticks = text.trimEnd().split('\n').map((l) => /stdout F tick-(\d+)$/.exec(l)?.[1]).map(Number);
      expect(ticks.every((n) => Number.isInteger(n))).toBe(true);
      expect(ticks, text).toEqual(ticks.map((_, i) => i));
    } finally {
      client.close();
    }
  }, 180_000);

  it('`skiff cri` shuts down cleanly on SIGTERM and removes its socket', async () => {
    await h.server.close();
    child = await startChildServer(h.socketPath, h.runId);
    const proc = child;
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(h.socketPath)).toBe(false);
    await h.restart();
  }, 120_000);
});

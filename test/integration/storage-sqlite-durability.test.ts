// An acknowledged write survives `kill -9`: a child process creates objects and prints each acknowledged
// resourceVersion; we SIGKILL it mid-stream, reopen the file and find every acknowledged object.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../control-plane/storage/sqlite-store.js';

const writerScript = fileURLToPath(new URL('../support/sqlite-writer.ts', import.meta.url));
const acksBeforeKill = 500;

describe('SqliteStore durability', () => {
  let dataDir: string | undefined;
  let child: ChildProcess | undefined;
  let store: SqliteStore | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    child = undefined;
    store = undefined;
    dataDir = undefined;
  });

  it('keeps every acknowledged create after the writer is killed with SIGKILL', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'skiff-durability-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', writerScript, dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    let buffered = '';
    const acked = new Map<string, number>();
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

    await new Promise<void>((resolve, reject) => {
      proc.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [key, rv] = line.split(' ');
          if (key && rv) acked.set(key, Number(rv));
        }
        if (acked.size >= acksBeforeKill) resolve();
      });
      proc.once('exit', (code, signal) => reject(new Error(`writer exited early (${code ?? signal}): ${stderr}`)));
    });
    proc.kill('SIGKILL');
    await exited;
    // A trailing partial line (if any) is not an acknowledgement; every complete line was counted above.
    expect(proc.signalCode).toBe('SIGKILL');

    store = new SqliteStore({ dataDir });
    const missing: string[] = [];
    for (const [key, rv] of acked) {
      const got = await store.get(key);
      if (!got || got.modRevision !== rv || got.object.metadata.resourceVersion !== String(rv)) missing.push(`${key}@${rv}`);
    }
    expect(missing).toEqual([]);
    expect(await store.currentRevision()).toBeGreaterThanOrEqual(Math.max(...acked.values()));
  });
});

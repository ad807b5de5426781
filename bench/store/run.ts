// Store backends side by side: durable creates/s (one caller, and many concurrent callers so group commit
// can batch) and gets/s, for SQLite (synchronous=FULL, the default, and NORMAL for comparison) and for a
// real etcd started on loopback for the run. etcd is the baseline the ratios divide by.
//   npx tsx bench/store/run.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtcdStore } from '../../control-plane/storage/etcd-store.js';
import { SqliteStore } from '../../control-plane/storage/sqlite-store.js';
import type { Store } from '../../control-plane/storage/store.js';
import { startEtcd } from '../../test/support/etcd.js';
import { formatRate, printTable, runConcurrently } from '../support/stats.js';

const concurrentCreates = 5000;
const sequentialCreates = 300;
const gets = 20000;
const concurrency = 64;

interface Result {
  name: string;
  createsSequential: number;
  createsConcurrent: number;
  getsConcurrent: number;
}

function object(i: number): { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> } {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'bench' }, data: { payload: 'x'.repeat(512), i: String(i) } };
}

async function measure(name: string, store: Store): Promise<Result> {
  const seqMs = await runConcurrently(sequentialCreates, 1, async (i) => {
    await store.create(`/registry/configmaps/seq/cm-${i}`, object(i));
  });
  const concMs = await runConcurrently(concurrentCreates, concurrency, async (i) => {
    await store.create(`/registry/configmaps/bench/cm-${i}`, object(i));
  });
  const getMs = await runConcurrently(gets, concurrency, async (i) => {
    const got = await store.get(`/registry/configmaps/bench/cm-${i % concurrentCreates}`);
    if (!got) throw new Error('missing object');
  });
  return {
    name,
    createsSequential: (sequentialCreates * 1000) / seqMs,
    createsConcurrent: (concurrentCreates * 1000) / concMs,
    getsConcurrent: (gets * 1000) / getMs,
  };
}

async function sqlite(synchronous: 'FULL' | 'NORMAL'): Promise<Result> {
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-bench-store-'));
  const store = new SqliteStore({ dataDir, synchronous });
  try {
    return await measure(`sqlite (synchronous=${synchronous})`, store);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function etcd(): Promise<Result> {
  const server = await startEtcd();
  try {
    const store = await EtcdStore.open({ endpoints: server.endpoints });
    try {
      return await measure('etcd', store);
    } finally {
      await store.close();
    }
  } finally {
    await server.stop();
  }
}

const results = [await sqlite('FULL'), await sqlite('NORMAL'), await etcd()];
const baseline = results[results.length - 1] as Result;
const ratio = (v: number, b: number): string => `${(v / b).toFixed(1)}x`;
printTable(
  ['backend', 'creates/s (1 caller)', `creates/s (${concurrency} callers)`, `gets/s (${concurrency} callers)`, 'vs etcd (creates, gets)'],
  results.map((r) => [
    r.name,
    formatRate(r.createsSequential),
    formatRate(r.createsConcurrent),
    formatRate(r.getsConcurrent),
    `${ratio(r.createsConcurrent, baseline.createsConcurrent)}, ${ratio(r.getsConcurrent, baseline.getsConcurrent)}`,
  ]),
);

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../control-plane/storage/index.js';
import { SqliteStore } from '../../control-plane/storage/sqlite-store.js';
import type { Store } from '../../control-plane/storage/store.js';
import { describeStoreContract } from './storage-contract.js';

describeStoreContract('SqliteStore', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-sqlite-'));
  const opened: Store[] = [];
  const openOne = (): Store => {
    const store = new SqliteStore({ dataDir });
    opened.push(store);
    return store;
  };
  return {
    store: openOne(),
    reopen: async () => openOne(),
    cleanup: async () => {
      for (const s of opened) await s.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore beyond the contract', () => {
  let dataDir: string | undefined;
  const opened: Store[] = [];

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('is opened by openStore from a data dir, in one file named skiff.db', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'skiff-sqlite-'));
    const store = await openStore({ dataDir });
    opened.push(store);
    expect(store).toBeInstanceOf(SqliteStore);
    await store.create('/registry/pods/default/a', { metadata: { name: 'a' } });
    expect(existsSync(join(dataDir, 'skiff.db'))).toBe(true);
  });

  it('refuses a second store on the same file while the first is open', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'skiff-sqlite-'));
    opened.push(new SqliteStore({ dataDir }));
    expect(() => opened.push(new SqliteStore({ dataDir: dataDir as string }))).toThrow(/locked/);
  });

  it('assigns distinct consecutive revisions to a burst of concurrent creates', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'skiff-sqlite-'));
    const store = new SqliteStore({ dataDir });
    opened.push(store);
    const created = await Promise.all(
      Array.from({ length: 300 }, (_, i) => store.create(`/registry/pods/default/p${i}`, { metadata: { name: `p${i}` } })),
    );
    const revisions = created.map((c) => c.modRevision).sort((a, b) => a - b);
    expect(revisions).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });
});

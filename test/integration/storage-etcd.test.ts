import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExpiredError } from '../../api/errors.js';
import { EtcdStore } from '../../control-plane/storage/etcd-store.js';
import { openStore } from '../../control-plane/storage/index.js';
import type { Store } from '../../control-plane/storage/store.js';
import { startEtcd, type TestEtcd } from '../support/etcd.js';
import { describeStoreContract } from './storage-contract.js';

// One etcd for the file; every test gets its own key prefix, so their data never meets (revisions and
// compaction are etcd-wide, which the contract allows for by never assuming absolute revisions).
let etcd: TestEtcd | undefined;
let testNumber = 0;

beforeAll(async () => {
  etcd = await startEtcd();
});

afterAll(async () => {
  await etcd?.stop();
});

describeStoreContract('EtcdStore', async () => {
  if (!etcd) throw new Error('etcd did not start');
  const endpoints = etcd.endpoints;
  const prefix = `/skiff-test-${++testNumber}`;
  const opened: Store[] = [];
  const openOne = async (): Promise<Store> => {
    const store = await EtcdStore.open({ endpoints, prefix });
    opened.push(store);
    return store;
  };
  return {
    store: await openOne(),
    reopen: openOne,
    cleanup: async () => {
      for (const s of opened) await s.close();
    },
  };
});

describe('EtcdStore beyond the contract', () => {
  const opened: Store[] = [];

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  async function openPrefixed(prefix: string): Promise<Store> {
    if (!etcd) throw new Error('etcd did not start');
    const store = await EtcdStore.open({ endpoints: etcd.endpoints, prefix });
    opened.push(store);
    return store;
  }

  it('reports ExpiredError through onError when only etcd knows the revision was compacted', async () => {
    const compacting = await openPrefixed('/skiff-compacting');
    const first = await compacting.create('/registry/pods/default/a', { metadata: { name: 'a' } });
    const second = await compacting.update('/registry/pods/default/a', { metadata: { name: 'a' } }, first.modRevision);
    await compacting.compact(second.modRevision);

    // Another prefix has its own compact_rev_key, so this store cannot reject the revision up front.
    const unaware = await openPrefixed('/skiff-unaware');
    const errors: Error[] = [];
    const watch = unaware.watch('/registry/pods/', { afterRevision: first.modRevision - 1 }, {
      onEvent: () => {},
      onError: (err) => errors.push(err),
    });
    try {
      const deadline = Date.now() + 20_000;
      while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(ExpiredError);
    } finally {
      watch.stop();
    }
    await expect(unaware.list('/registry/pods/', { atRevision: first.modRevision })).rejects.toBeInstanceOf(ExpiredError);
  });
});

describe('openStore with etcd endpoints', () => {
  it('opens an EtcdStore whose keys live under the given prefix', async () => {
    if (!etcd) throw new Error('etcd did not start');
    const store = await openStore({ etcdEndpoints: etcd.endpoints, prefix: '/skiff-open' });
    const plain = await EtcdStore.open({ endpoints: etcd.endpoints });
    try {
      expect(store).toBeInstanceOf(EtcdStore);
      await store.create('/registry/pods/default/a', { metadata: { name: 'a' } });
      expect(await plain.get('/skiff-open/registry/pods/default/a')).toBeDefined();
      expect(await plain.get('/registry/pods/default/a')).toBeUndefined();
    } finally {
      await store.close();
      await plain.close();
    }
  });
});

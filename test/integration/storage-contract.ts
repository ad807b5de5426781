// The one behaviour every Store backend must show. Each backend's test file calls describeStoreContract
// with a harness that opens a fresh, empty store (and can reopen it on the same file / etcd after a close).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, ConflictError, ExpiredError, NotFoundError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { Compactor } from '../../control-plane/storage/compactor.js';
import type { Store, StoreEvent, StoreWatch } from '../../control-plane/storage/store.js';
import { pino } from 'pino';

export interface StoreHarness {
  store: Store;
  /** Opens a new Store on the same backing data (the caller closed the previous one). */
  reopen: () => Promise<Store>;
  /** Closes every store the harness opened and removes its data. */
  cleanup: () => Promise<void>;
}

interface Pod extends KubeObject {
  spec: { n: number };
}

const waitTimeoutMs = 20_000;
const silent = pino({ level: 'silent' });

function pod(name: string, n = 0, namespace = 'default'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { n } };
}

function key(name: string, namespace = 'default'): string {
  return `/registry/pods/${namespace}/${name}`;
}

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + waitTimeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Collector {
  events: StoreEvent<Pod>[];
  errors: Error[];
  watch: StoreWatch;
  waitFor(count: number): Promise<StoreEvent<Pod>[]>;
}

function collect(store: Store, prefix: string, afterRevision: number): Collector {
  const events: StoreEvent<Pod>[] = [];
  const errors: Error[] = [];
  const watch = store.watch<Pod>(prefix, { afterRevision }, {
    onEvent: (e) => events.push(e),
    onError: (e) => errors.push(e),
  });
  return {
    events,
    errors,
    watch,
    async waitFor(count) {
      await eventually(() => events.length >= count || errors.length > 0, `${count} watch events`);
      expect(errors).toEqual([]);
      return events;
    },
  };
}

/** A compact view of an event for sequence comparisons. */
function summary(e: StoreEvent<Pod>): string {
  return `${e.type} ${e.key} @${e.revision} n=${e.object.spec.n} rv=${e.object.metadata.resourceVersion}`;
}

export function describeStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;
    const watches: StoreWatch[] = [];

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });

    afterEach(async () => {
      for (const w of watches.splice(0)) w.stop();
      await harness.cleanup();
    });

    function watchCollect(prefix: string, afterRevision: number, on: Store = store): Collector {
      const c = collect(on, prefix, afterRevision);
      watches.push(c.watch);
      return c;
    }

    describe('create, get, update, delete', () => {
      it('creates an object and stamps resourceVersion from the revision, ignoring the caller’s', async () => {
        const input = pod('a', 1);
        input.metadata.resourceVersion = '999999';
        const created = await store.create(key('a'), input);
        expect(created.key).toBe(key('a'));
        expect(created.createRevision).toBe(created.modRevision);
        expect(created.object.metadata.resourceVersion).toBe(String(created.modRevision));
        expect(created.object.spec).toEqual({ n: 1 });
        expect(input.metadata.resourceVersion).toBe('999999');
        const got = await store.get<Pod>(key('a'));
        expect(got).toEqual(created);
      });

      it('returns undefined for a missing key', async () => {
        expect(await store.get(key('missing'))).toBeUndefined();
      });

      it('rejects creating an existing key with AlreadyExistsError', async () => {
        await store.create(key('a'), pod('a'));
        await expect(store.create(key('a'), pod('a', 2))).rejects.toBeInstanceOf(AlreadyExistsError);
        expect((await store.get<Pod>(key('a')))?.object.spec.n).toBe(0);
      });

      it('updates with the current revision and keeps the create revision', async () => {
        const created = await store.create(key('a'), pod('a', 1));
        const updated = await store.update(key('a'), pod('a', 2), created.modRevision);
        expect(updated.modRevision).toBeGreaterThan(created.modRevision);
        expect(updated.createRevision).toBe(created.createRevision);
        expect(updated.object.metadata.resourceVersion).toBe(String(updated.modRevision));
        expect(await store.get(key('a'))).toEqual(updated);
      });

      it('rejects an update with a stale revision with ConflictError', async () => {
        const created = await store.create(key('a'), pod('a', 1));
        await store.update(key('a'), pod('a', 2), created.modRevision);
        await expect(store.update(key('a'), pod('a', 3), created.modRevision)).rejects.toBeInstanceOf(ConflictError);
        expect((await store.get<Pod>(key('a')))?.object.spec.n).toBe(2);
      });

      it('rejects an update of a missing key with NotFoundError', async () => {
        await expect(store.update(key('nope'), pod('nope'), 1)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.update(key('nope'), pod('nope'), 0)).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.get(key('nope'))).toBeUndefined();
      });

      it('deletes and returns the last object stamped with the delete revision', async () => {
        const created = await store.create(key('a'), pod('a', 7));
        const deleted = await store.delete<Pod>(key('a'));
        expect(deleted.modRevision).toBeGreaterThan(created.modRevision);
        expect(deleted.object.metadata.resourceVersion).toBe(String(deleted.modRevision));
        expect(deleted.object.spec.n).toBe(7);
        expect(await store.get(key('a'))).toBeUndefined();
        await expect(store.delete(key('a'))).rejects.toBeInstanceOf(NotFoundError);
      });

      it('deletes only at the expected revision when one is given', async () => {
        const created = await store.create(key('a'), pod('a'));
        const updated = await store.update(key('a'), pod('a', 1), created.modRevision);
        await expect(store.delete(key('a'), created.modRevision)).rejects.toBeInstanceOf(ConflictError);
        expect(await store.get(key('a'))).toBeDefined();
        await store.delete(key('a'), updated.modRevision);
        expect(await store.get(key('a'))).toBeUndefined();
      });

      it('recreates a deleted key as a new object', async () => {
        await store.create(key('a'), pod('a', 1));
        await store.delete(key('a'));
        const again = await store.create(key('a'), pod('a', 2));
        expect(again.createRevision).toBe(again.modRevision);
        expect((await store.get<Pod>(key('a')))?.object.spec.n).toBe(2);
      });
    });

    describe('revisions', () => {
      it('gives every write a strictly greater revision across keys, equal to the current revision', async () => {
        const revisions: number[] = [];
        const a = await store.create(key('a'), pod('a'));
        revisions.push(a.modRevision);
        revisions.push((await store.create(key('b'), pod('b'))).modRevision);
        revisions.push((await store.update(key('a'), pod('a', 1), a.modRevision)).modRevision);
        revisions.push((await store.delete(key('b'))).modRevision);
        for (let i = 1; i < revisions.length; i++) expect(revisions[i]).toBeGreaterThan(revisions[i - 1] as number);
        expect(await store.currentRevision()).toBe(revisions[revisions.length - 1]);
      });
    });

    describe('list', () => {
      it('lists in key order with the current revision', async () => {
        for (const n of ['c', 'a', 'b']) await store.create(key(n), pod(n));
        const res = await store.list<Pod>('/registry/pods/');
        expect(res.items.map((i) => i.key)).toEqual([key('a'), key('b'), key('c')]);
        expect(res.more).toBe(false);
        expect(res.revision).toBe(await store.currentRevision());
        for (const i of res.items) expect(i.object.metadata.resourceVersion).toBe(String(i.modRevision));
      });

      it('pages with limit and startAfterKey over one snapshot', async () => {
        const names = ['a', 'b', 'c', 'd', 'e'];
        for (const n of names) await store.create(key(n), pod(n));
        const first = await store.list<Pod>('/registry/pods/', { limit: 2 });
        expect(first.items.map((i) => i.object.metadata.name)).toEqual(['a', 'b']);
        expect(first.more).toBe(true);
        expect(first.remaining).toBe(3);
        // A write between pages must not show up in later pages of the same snapshot.
        await store.create(key('bb'), pod('bb'));
        const seen = first.items.map((i) => i.object.metadata.name);
        let page = first;
        while (page.more) {
          const last = page.items[page.items.length - 1];
          page = await store.list<Pod>('/registry/pods/', { limit: 2, startAfterKey: last?.key, atRevision: first.revision });
          expect(page.revision).toBe(first.revision);
          seen.push(...page.items.map((i) => i.object.metadata.name));
        }
        expect(seen).toEqual(names);
      });

      it('reads an old revision as a snapshot that later writes do not touch', async () => {
        const a = await store.create(key('a'), pod('a', 1));
        await store.create(key('b'), pod('b', 1));
        const snapshot = await store.currentRevision();
        await store.create(key('c'), pod('c'));
        await store.update(key('a'), pod('a', 2), a.modRevision);
        await store.delete(key('b'));
        const old = await store.list<Pod>('/registry/pods/', { atRevision: snapshot });
        expect(old.revision).toBe(snapshot);
        expect(old.items.map((i) => [i.object.metadata.name, i.object.spec.n])).toEqual([['a', 1], ['b', 1]]);
        expect(old.items[0]?.modRevision).toBe(a.modRevision);
        const now = await store.list<Pod>('/registry/pods/');
        expect(now.items.map((i) => [i.object.metadata.name, i.object.spec.n])).toEqual([['a', 2], ['c', 0]]);
      });

      it('keeps prefixes apart: /registry/pods/a/ never sees /registry/pods/ab/', async () => {
        await store.create(key('x', 'a'), pod('x', 0, 'a'));
        await store.create(key('y', 'ab'), pod('y', 0, 'ab'));
        await store.create('/registry/podsx/a/z', pod('z', 0, 'a'));
        expect((await store.list('/registry/pods/a/')).items.map((i) => i.key)).toEqual([key('x', 'a')]);
        expect((await store.list('/registry/pods/ab/')).items.map((i) => i.key)).toEqual([key('y', 'ab')]);
        expect((await store.list('/registry/pods/')).items).toHaveLength(2);
        const from = (await store.currentRevision()) - 3;
        const w = watchCollect('/registry/pods/a/', from);
        await store.create(key('w', 'ab'), pod('w', 0, 'ab'));
        await store.create(key('v', 'a'), pod('v', 0, 'a'));
        const events = await w.waitFor(2);
        await new Promise((r) => setTimeout(r, 200));
        expect(events.map((e) => e.key)).toEqual([key('x', 'a'), key('v', 'a')]);
      });
    });

    describe('concurrency', () => {
      it('ends at exactly N×M after 8 clients × 25 compare-and-swap increments with retry', async () => {
        const clients = 8;
        const increments = 25;
        await store.create(key('counter'), pod('counter', 0));
        let conflicts = 0;
        const client = async (): Promise<void> => {
          for (let i = 0; i < increments; i++) {
            for (;;) {
              const cur = await store.get<Pod>(key('counter'));
              if (!cur) throw new Error('counter vanished');
              try {
                await store.update(key('counter'), pod('counter', cur.object.spec.n + 1), cur.modRevision);
                break;
              } catch (err) {
                if (!(err instanceof ConflictError)) throw err;
                conflicts++;
              }
            }
          }
        };
        await Promise.all(Array.from({ length: clients }, client));
        expect((await store.get<Pod>(key('counter')))?.object.spec.n).toBe(clients * increments);
        expect(conflicts).toBeGreaterThanOrEqual(0);
      });
    });

    describe('watch', () => {
      it('delivers exactly the events after a revision, in order, with prevObject and the deleted object', async () => {
        await store.create(key('before'), pod('before'));
        const from = await store.currentRevision();
        const a = await store.create(key('a'), pod('a', 1));
        const a2 = await store.update(key('a'), pod('a', 2), a.modRevision);
        const del = await store.delete(key('a'));
        const w = watchCollect('/registry/pods/', from);
        const events = await w.waitFor(3);
        expect(events.map((e) => [e.type, e.key, e.revision])).toEqual([
          ['ADDED', key('a'), a.modRevision],
          ['MODIFIED', key('a'), a2.modRevision],
          ['DELETED', key('a'), del.modRevision],
        ]);
        const [added, modified, deleted] = events as [StoreEvent<Pod>, StoreEvent<Pod>, StoreEvent<Pod>];
        expect(added.prevObject).toBeUndefined();
        expect(added.object.metadata.resourceVersion).toBe(String(a.modRevision));
        expect(modified.object.spec.n).toBe(2);
        expect(modified.prevObject?.spec.n).toBe(1);
        expect(modified.prevObject?.metadata.resourceVersion).toBe(String(a.modRevision));
        expect(deleted.object.spec.n).toBe(2);
        expect(deleted.object.metadata.resourceVersion).toBe(String(del.modRevision));
        expect(deleted.prevObject?.metadata.resourceVersion).toBe(String(a2.modRevision));
      });

      it('follows live events when started at the current revision, catching up without gaps or duplicates', async () => {
        await store.create(key('old'), pod('old'));
        const w = watchCollect('/registry/pods/', await store.currentRevision());
        // Writes racing the watch start: some land before the first delivery, all must appear once.
        const writes = Array.from({ length: 20 }, (_, i) => store.create(key(`p${i}`), pod(`p${i}`, i)));
        const created = await Promise.all(writes);
        const events = await w.waitFor(20);
        await new Promise((r) => setTimeout(r, 200));
        expect(events.map((e) => e.revision)).toEqual(created.map((c) => c.modRevision).sort((x, y) => x - y));
        expect(events.every((e) => e.type === 'ADDED')).toBe(true);
      });

      it('gives two watchers the same sequence', async () => {
        const from = await store.currentRevision();
        const w1 = watchCollect('/registry/pods/', from);
        const first = await store.create(key('a'), pod('a', 1));
        const w2 = watchCollect('/registry/pods/', from);
        await store.update(key('a'), pod('a', 2), first.modRevision);
        await store.create(key('b'), pod('b'));
        await store.delete(key('a'));
        const e1 = await w1.waitFor(4);
        const e2 = await w2.waitFor(4);
        expect(e1.map(summary)).toEqual(e2.map(summary));
        expect(e1.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'ADDED', 'DELETED']);
      });

      it('stops delivering after stop()', async () => {
        const w = watchCollect('/registry/pods/', await store.currentRevision());
        await store.create(key('a'), pod('a'));
        await w.waitFor(1);
        w.watch.stop();
        w.watch.stop();
        await store.create(key('b'), pod('b'));
        await new Promise((r) => setTimeout(r, 300));
        expect(w.events).toHaveLength(1);
      });

      it('resumes after a restart from a revision taken before the close', async () => {
        await store.create(key('a'), pod('a', 1));
        const from = await store.currentRevision();
        const b = await store.create(key('b'), pod('b', 1));
        await store.close();
        store = await harness.reopen();
        expect(await store.currentRevision()).toBe(b.modRevision);
        const c = await store.create(key('c'), pod('c', 1));
        const w = watchCollect('/registry/pods/', from);
        const events = await w.waitFor(2);
        expect(events.map((e) => [e.type, e.key, e.revision])).toEqual([
          ['ADDED', key('b'), b.modRevision],
          ['ADDED', key('c'), c.modRevision],
        ]);
        expect((await store.get<Pod>(key('a')))?.object.spec.n).toBe(1);
      });
    });

    describe('compaction', () => {
      it('expires watches and lists below the compacted revision and keeps the latest state', async () => {
        const a = await store.create(key('a'), pod('a', 1));
        const a2 = await store.update(key('a'), pod('a', 2), a.modRevision);
        await store.create(key('gone'), pod('gone'));
        await store.delete(key('gone'));
        const b = await store.create(key('b'), pod('b', 1));
        const compactAt = b.modRevision;
        const later = await store.update(key('b'), pod('b', 2), b.modRevision);
        await store.compact(compactAt);

        expect(await store.compactedRevision()).toBe(compactAt);
        expect(() => store.watch('/registry/pods/', { afterRevision: compactAt - 1 }, { onEvent: () => {}, onError: () => {} })).toThrow(
          ExpiredError,
        );
        await expect(store.list('/registry/pods/', { atRevision: compactAt - 1 })).rejects.toBeInstanceOf(ExpiredError);

        const atCompaction = await store.list<Pod>('/registry/pods/', { atRevision: compactAt });
        expect(atCompaction.items.map((i) => [i.object.metadata.name, i.object.spec.n])).toEqual([['a', 2], ['b', 1]]);
        const now = await store.list<Pod>('/registry/pods/');
        expect(now.items.map((i) => [i.key, i.modRevision])).toEqual([[key('a'), a2.modRevision], [key('b'), later.modRevision]]);
        expect(await store.get(key('gone'))).toBeUndefined();

        const w = watchCollect('/registry/pods/', compactAt);
        const events = await w.waitFor(1);
        expect(events.map((e) => [e.type, e.revision, e.prevObject?.spec.n])).toEqual([['MODIFIED', later.modRevision, 1]]);

        // The compacted revision survives a restart, so a reopened store still rejects old revisions.
        await store.close();
        store = await harness.reopen();
        expect(await store.compactedRevision()).toBe(compactAt);
        expect(() => store.watch('/registry/pods/', { afterRevision: compactAt - 1 }, { onEvent: () => {}, onError: () => {} })).toThrow(
          ExpiredError,
        );
        expect((await store.get<Pod>(key('a')))?.object.spec.n).toBe(2);
      });

      it('compacts automatically with a short-interval compactor', async () => {
        const compactor = new Compactor(store, { intervalMs: 100, logger: silent });
        const first = await store.create(key('a'), pod('a', 0));
        let latest = first;
        compactor.start();
        try {
          await eventually(async () => {
            latest = await store.update(key('a'), pod('a', latest.object.spec.n + 1), latest.modRevision);
            return (await store.compactedRevision()) > first.modRevision;
          }, 'the compactor to compact');
        } finally {
          await compactor.stop();
        }
        const compacted = await store.compactedRevision();
        await expect(store.list('/registry/pods/', { atRevision: compacted - 1 })).rejects.toBeInstanceOf(ExpiredError);
        const current = await store.get<Pod>(key('a'));
        expect(current?.modRevision).toBe(latest.modRevision);
        expect(current?.object.spec.n).toBe(latest.object.spec.n);
      });
    });
  });
}

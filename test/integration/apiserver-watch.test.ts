// Watches through HTTP against a real SqliteStore: initial ADDED events, live events, resume from a
// resourceVersion, 410 after compaction, bookmarks, timeoutSeconds, selector transitions, and many
// watchers sharing one store watch.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { configMap, eventually, openWatch, startHarness, type Harness, type WatchClient } from '../apiserver/harness.js';

let h: Harness;
const base = '/api/v1/namespaces/w/configmaps';
const open: WatchClient[] = [];

async function watch(path: string): Promise<WatchClient> {
  const client = await openWatch(h.url, path);
  open.push(client);
  return client;
}

beforeAll(async () => {
  h = await startHarness({ watchBookmarkIntervalMs: 200 });
  await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w' } });
  await h.request('POST', base, configMap('pre-1'));
  await h.request('POST', base, configMap('pre-2'));
});

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

afterAll(async () => {
  await h?.stop();
});

describe('API server watch', () => {
  it('starts with ADDED for existing objects, then streams changes', async () => {
    const w = await watch(`${base}?watch=1`);
    await w.waitFor(2);
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`).sort()).toEqual(['ADDED pre-1', 'ADDED pre-2']);
    await h.request('POST', base, configMap('live'));
    await h.request('PATCH', `${base}/live`, { data: { k: 'changed' } }, 'application/merge-patch+json');
    await h.request('DELETE', `${base}/live`);
    const events = await w.waitFor(5);
    expect(events.slice(2).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED live', 'MODIFIED live', 'DELETED live']);
    expect(events[3]?.object.data).toEqual({ k: 'changed' });
  });

  it('serves the legacy /watch/ path', async () => {
    const w = await watch('/api/v1/watch/namespaces/w/configmaps/pre-1');
    const events = await w.waitFor(1);
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'pre-1' } } });
  });

  it('resumes after a resourceVersion with only the later events', async () => {
    const created = await h.request('POST', base, configMap('resume-a'));
    const rv = created.body.metadata.resourceVersion;
    await h.request('POST', base, configMap('resume-b'));
    const w = await watch(`${base}?watch=true&resourceVersion=${rv}`);
    const events = await w.waitFor(1);
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'resume-b' } } });
    await new Promise((r) => setTimeout(r, 200));
    expect(w.events).toHaveLength(1);
  });

  it('ends with a 410 Expired ERROR event when the resourceVersion was compacted', async () => {
    const created = await h.request('POST', base, configMap('old'));
    const rv = Number(created.body.metadata.resourceVersion);
    await h.request('POST', base, configMap('newer'));
    await h.store.compact(await h.store.currentRevision());
    const w = await watch(`${base}?watch=1&resourceVersion=${rv - 1}`);
    const events = await w.waitFor(1);
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    await w.ended;
  });

  it('sends BOOKMARK events when asked', async () => {
    const w = await watch(`${base}?watch=1&allowWatchBookmarks=true&resourceVersion=${await h.store.currentRevision()}`);
    const events = await w.waitFor(1);
    expect(events[0]?.type).toBe('BOOKMARK');
    expect(events[0]?.object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^[0-9]+$/) } });
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await watch(`${base}?watch=1&timeoutSeconds=1`);
    await w.ended;
    expect(w.events.every((e) => e.type === 'ADDED')).toBe(true);
  });

  it('sends ADDED and DELETED when objects enter and leave a label selector', async () => {
    const w = await watch(`${base}?watch=1&labelSelector=sel%3Din`);
    await h.request('POST', base, configMap('mover', { sel: 'out' }));
    await h.request('PATCH', `${base}/mover`, { metadata: { labels: { sel: 'in' } } }, 'application/merge-patch+json');
    await h.request('PATCH', `${base}/mover`, { data: { k: 'still-in' } }, 'application/merge-patch+json');
    await h.request('PATCH', `${base}/mover`, { metadata: { labels: { sel: 'gone' } } }, 'application/merge-patch+json');
    const events = await w.waitFor(3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events[2]?.object.metadata.labels.sel).toBe('in');
  });

  it('serves 1,000 watchers from one store watch', async () => {
    const spy = vi.spyOn(h.store, 'watch');
    const watchers = await Promise.all(Array.from({ length: 1000 }, () => watch('/api/v1/namespaces/w/secrets?watch=1')));
    await h.request('POST', '/api/v1/namespaces/w/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' } });
    for (const w of watchers) await w.waitFor(1);
    expect(watchers.every((w) => w.events[0]?.object.metadata.name === 's1')).toBe(true);
    expect(spy.mock.calls.filter((c) => c[0] === '/registry/secrets/').length).toBeLessThanOrEqual(1);
    spy.mockRestore();
    expect(h.server.watchStats().watchers).toBeGreaterThanOrEqual(1000);
    for (const w of watchers) w.close();
    await eventually(() => (h.server.watchStats().watchers < 10 ? true : undefined));
  });
});

describe('API server watch beyond the cache ring', () => {
  let small: Harness;

  beforeAll(async () => {
    small = await startHarness({ watchCacheCapacity: 3 });
    await small.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ring' } });
  });

  afterAll(async () => {
    await small?.stop();
  });

  it('resumes from a revision older than the ring through the store', async () => {
    const warm = await openWatch(small.url, '/api/v1/namespaces/ring/configmaps?watch=1');
    open.push(warm);
    const first = await small.request('POST', '/api/v1/namespaces/ring/configmaps', configMap('r0'));
    for (let i = 1; i <= 6; i++) await small.request('POST', '/api/v1/namespaces/ring/configmaps', configMap(`r${i}`));
    await warm.waitFor(7);
    const w = await openWatch(small.url, `/api/v1/namespaces/ring/configmaps?watch=1&resourceVersion=${first.body.metadata.resourceVersion}`);
    open.push(w);
    const events = await w.waitFor(6);
    expect(events.map((e) => e.object.metadata.name)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    await small.request('POST', '/api/v1/namespaces/ring/configmaps', configMap('r7'));
    await w.waitFor(7);
    expect(w.events[6]?.object.metadata.name).toBe('r7');
  });
});

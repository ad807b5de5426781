import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { nodeNameIndex } from '../../client/cache.js';
import { FakeClock } from '../../client/clock.js';
import { Informer, type InformerOptions } from '../../client/informer.js';
import { InformerFactory } from '../../client/informer-factory.js';
import { RestClient } from '../../client/rest-client.js';
import { FakeApiServer } from './support/fake-api-server.js';

const pods = findResource('', 'v1', 'pods')!;
const silent = pino({ level: 'silent' });

function pod(namespace: string, name: string, extra: { labels?: Record<string, string>; nodeName?: string; image?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { nodeName: extra.nodeName, containers: [{ name: 'c', image: extra.image ?? 'busybox' }] },
  };
}

async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe('Informer', () => {
  let server: FakeApiServer;
  let client: RestClient;
  let informers: Informer[] = [];
  let events: string[];

  beforeEach(async () => {
    server = await FakeApiServer.start(pods);
    client = new RestClient({ server: server.url }, { rateLimit: false, timeoutMs: 5000 });
    events = [];
  });

  afterEach(async () => {
    await Promise.all(informers.map((i) => i.stop()));
    informers = [];
    client.close();
    await server.close();
  });

  function startInformer(options: InformerOptions = {}): Informer {
    const informer = new Informer(client, pods, { logger: silent, backoffInitialMs: 10, backoffMaxMs: 50, ...options });
    informer.addEventHandler({
      onAdd: (o) => events.push(`add ${o.metadata.namespace}/${o.metadata.name}`),
      onUpdate: (a, b) =>
        events.push(`update ${b.metadata.namespace}/${b.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
      onDelete: (o) => events.push(`delete ${o.metadata.namespace}/${o.metadata.name}`),
    });
    informers.push(informer);
    informer.start();
    return informer;
  }

  function cacheState(informer: Informer): string[] {
    return informer
      .list()
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`)
      .sort();
  }

  async function synced(informer: Informer): Promise<void> {
    expect(await informer.waitForSync(5000)).toBe(true);
    await eventually(() => expect(server.openWatches()).toBeGreaterThan(0));
  }

  it('lists, reports synced, and delivers one add per existing object', async () => {
    server.upsert(pod('default', 'a'));
    server.upsert(pod('default', 'b'));
    const informer = startInformer();
    await synced(informer);
    expect(informer.hasSynced()).toBe(true);
    expect(events.sort()).toEqual(['add default/a', 'add default/b']);
    expect(informer.get('default/a')?.metadata.name).toBe('a');
    // List items come without type meta; the informer restores it.
    expect(informer.get('default/a')?.kind).toBe('Pod');
    expect(informer.lastSyncResourceVersion()).toBe(server.resourceVersion);
    expect(server.watchCalls()[0]?.query.get('resourceVersion')).toBe(server.resourceVersion);
  });

  it('applies watch events to the cache and calls onAdd, onUpdate(old, new) and onDelete', async () => {
    const informer = startInformer();
    await synced(informer);
    const a1 = server.upsert(pod('default', 'a'));
    const a2 = server.upsert(pod('default', 'a', { image: 'nginx' }));
    server.upsert(pod('default', 'b'));
    server.remove('default', 'b');
    await eventually(() => expect(events).toHaveLength(4));
    expect(events).toEqual([
      'add default/a',
      `update default/a ${a1.metadata.resourceVersion}->${a2.metadata.resourceVersion}`,
      'add default/b',
      'delete default/b',
    ]);
    expect(cacheState(informer)).toEqual([`default/a@${a2.metadata.resourceVersion}`]);
  });

  it('re-watches from the last seen version when a watch ends normally, without re-listing', async () => {
    server.upsert(pod('default', 'a'));
    const informer = startInformer();
    await synced(informer);
    const seen = informer.lastSyncResourceVersion();
    server.endWatches();
    server.upsert(pod('default', 'b'));
    await eventually(() => expect(events).toContain('add default/b'));
    expect(server.listCalls()).toHaveLength(1);
    expect(server.watchCalls()[1]?.query.get('resourceVersion')).toBe(seen);
    expect(events.filter((e) => e === 'add default/a')).toHaveLength(1);
  });

  it('advances its resourceVersion on bookmarks and resumes from it', async () => {
    const informer = startInformer({ namespace: 'default' });
    await synced(informer);
    expect(server.watchCalls()[0]?.query.get('allowWatchBookmarks')).toBe('true');
    // A write in another namespace moves the server's version without an event this informer sees.
    server.upsert(pod('elsewhere', 'x'));
    const before = informer.lastSyncResourceVersion();
    server.bookmark();
    await eventually(() => expect(informer.lastSyncResourceVersion()).toBe(server.resourceVersion));
    expect(informer.lastSyncResourceVersion()).not.toBe(before);
    const bookmarked = server.resourceVersion;
    server.endWatches();
    await eventually(() => expect(server.watchCalls()).toHaveLength(2));
    expect(server.watchCalls()[1]?.query.get('resourceVersion')).toBe(bookmarked);
    expect(events).toEqual([]);
  });

  it('re-lists after an ERROR 410 event and converges: adds, updates and deletes missed meanwhile', async () => {
    server.upsert(pod('default', 'keep'));
    server.upsert(pod('default', 'change'));
    server.upsert(pod('default', 'gone'));
    const informer = startInformer();
    await synced(informer);
    events = [];
    server.offline(() => {
      server.upsert(pod('default', 'change', { image: 'nginx' }));
      server.remove('default', 'gone');
      server.upsert(pod('default', 'new'));
    });
    server.expireWatches();
    await eventually(() => expect(events).toHaveLength(3));
    await eventually(() => expect(server.listCalls()).toHaveLength(2));
    expect(events.map((e) => e.split(' ').slice(0, 2).join(' ')).sort()).toEqual([
      'add default/new',
      'delete default/gone',
      'update default/change',
    ]);
    expect(cacheState(informer)).toEqual(serverState());
    expect(informer.lastSyncResourceVersion()).toBe(server.resourceVersion);
  });

  it('re-lists when re-watching answers HTTP 410 and delivers no duplicate adds', async () => {
    server.expiredAs = 'http';
    server.upsert(pod('default', 'a'));
    const informer = startInformer();
    await synced(informer);
    server.offline(() => {
      server.upsert(pod('default', 'b'));
      server.remove('default', 'a');
    });
    server.endWatches();
    await eventually(() => expect(events).toEqual(['add default/a', 'add default/b', 'delete default/a']));
    expect(server.listCalls()).toHaveLength(2);
    expect(cacheState(informer)).toEqual(serverState());
  });

  it('retries a failing list with back-off until it succeeds', async () => {
    server.failLists = 2;
    server.upsert(pod('default', 'a'));
    const informer = startInformer();
    await synced(informer);
    expect(server.listCalls()).toHaveLength(3);
    expect(events).toEqual(['add default/a']);
  });

  it('pages through large lists with limit and continue', async () => {
    for (let i = 0; i < 5; i++) server.upsert(pod('default', `p${i}`));
    const informer = startInformer({ pageSize: 2 });
    await synced(informer);
    expect(server.listCalls().map((c) => [c.query.get('limit'), c.query.get('continue')])).toEqual([
      ['2', null],
      ['2', '2'],
      ['2', '4'],
    ]);
    expect(informer.list()).toHaveLength(5);
  });

  it('scopes list and watch to its namespace and label selector', async () => {
    server.upsert(pod('a', 'web', { labels: { app: 'web' } }));
    server.upsert(pod('a', 'db', { labels: { app: 'db' } }));
    server.upsert(pod('b', 'web', { labels: { app: 'web' } }));
    const informer = startInformer({ namespace: 'a', labelSelector: 'app=web' });
    await synced(informer);
    server.upsert(pod('b', 'web2', { labels: { app: 'web' } }));
    server.upsert(pod('a', 'web2', { labels: { app: 'web' } }));
    await eventually(() => expect(events).toEqual(['add a/web', 'add a/web2']));
    expect(server.watchCalls()[0]?.query.get('labelSelector')).toBe('app=web');
  });

  it('re-delivers every cached object as an update each resync period', async () => {
    const clock = new FakeClock();
    server.upsert(pod('default', 'a'));
    server.upsert(pod('default', 'b'));
    const informer = startInformer({ clock, resyncPeriodMs: 30_000 });
    await synced(informer);
    events = [];
    clock.step(29_999);
    expect(events).toEqual([]);
    clock.step(1);
    expect(events.sort()).toEqual(['update default/a 101->101', 'update default/b 102->102']);
    clock.step(30_000);
    expect(events).toHaveLength(4);
  });

  it('indexes pods by node and keeps the index current through updates', async () => {
    server.upsert(pod('default', 'a', { nodeName: 'n1' }));
    server.upsert(pod('default', 'b', { nodeName: 'n2' }));
    const informer = startInformer();
    informer.addIndex('nodeName', nodeNameIndex);
    await synced(informer);
    expect(informer.byIndex('nodeName', 'n1').map((p) => p.metadata.name)).toEqual(['a']);
    server.upsert(pod('default', 'b', { nodeName: 'n1' }));
    await eventually(() => expect(informer.byIndex('nodeName', 'n1')).toHaveLength(2));
    expect(informer.byIndex('nodeName', 'n2')).toEqual([]);
  });

  it('gives a handler added late an add for each cached object', async () => {
    server.upsert(pod('default', 'a'));
    const informer = startInformer();
    await synced(informer);
    const late: string[] = [];
    informer.addEventHandler({ onAdd: (o) => late.push(o.metadata.name ?? '') });
    expect(late).toEqual(['a']);
  });

  it('keeps going when a handler throws', async () => {
    const informer = startInformer();
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    await synced(informer);
    server.upsert(pod('default', 'a'));
    server.upsert(pod('default', 'b'));
    await eventually(() => expect(events).toEqual(['add default/a', 'add default/b']));
  });

  it('stops its watch on stop() and reports not synced to waiters after that', async () => {
    const informer = startInformer();
    await synced(informer);
    await informer.stop();
    await eventually(() => expect(server.openWatches()).toBe(0));
    const stopped = new Informer(client, pods, { logger: silent });
    await stopped.stop();
    expect(await stopped.waitForSync(1000)).toBe(false);
  });

  it('shares one informer per resource and scope through the factory', async () => {
    server.upsert(pod('a', 'x'));
    const factory = new InformerFactory(client, { logger: silent });
    const first = factory.forResource(pods);
    expect(factory.forResource(pods)).toBe(first);
    const scoped = factory.forResource(pods, { namespace: 'a' });
    expect(scoped).not.toBe(first);
    factory.start();
    try {
      expect(await factory.waitForSync(5000)).toBe(true);
      expect(first.list()).toHaveLength(1);
      expect(scoped.list()).toHaveLength(1);
      // Two scopes, two watches; asking again opens none.
      await eventually(() => expect(server.openWatches()).toBe(2));
      expect(server.listCalls()).toHaveLength(2);
    } finally {
      await factory.stop();
    }
  });

  function serverState(): string[] {
    return server
      .snapshot()
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`)
      .sort();
  }
});

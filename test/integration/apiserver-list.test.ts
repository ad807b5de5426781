// Lists through HTTP against a real SqliteStore: paging with continue tokens over one snapshot,
// label and field selectors, resourceVersion semantics, and 410 for a compacted continue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, pod, startHarness, type Harness } from '../apiserver/harness.js';

let h: Harness;
const base = '/api/v1/namespaces/paging/configmaps';

beforeAll(async () => {
  h = await startHarness();
  await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } });
  for (let i = 0; i < 25; i++) {
    const res = await h.request('POST', base, configMap(`cm-${String(i).padStart(2, '0')}`, { tier: i % 2 === 0 ? 'even' : 'odd', all: 'yes' }));
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  await h?.stop();
});

async function pages(query: string): Promise<{ names: string[]; pageCount: number; remaining: (number | undefined)[] }> {
  const names: string[] = [];
  const remaining: (number | undefined)[] = [];
  let token: string | undefined;
  let pageCount = 0;
  do {
    const res = await h.request('GET', `${base}?${query}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    expect(res.status).toBe(200);
    names.push(...res.body.items.map((i: any) => i.metadata.name));
    remaining.push(res.body.metadata.remainingItemCount);
    token = res.body.metadata.continue;
    pageCount++;
  } while (token && pageCount < 50);
  return { names, pageCount, remaining };
}

describe('API server lists', () => {
  it('pages with limit and continue, each item once, in key order', async () => {
    const { names, pageCount, remaining } = await pages('limit=10');
    expect(names).toHaveLength(25);
    expect(new Set(names).size).toBe(25);
    expect(names).toEqual([...names].sort());
    expect(pageCount).toBe(3);
    expect(remaining[0]).toBe(15);
  });

  it('keeps reading the first page\'s snapshot on later pages', async () => {
    const first = await h.request('GET', `${base}?limit=5`);
    await h.request('POST', base, configMap('zz-late'));
    let token = first.body.metadata.continue;
    const seen: string[] = first.body.items.map((i: any) => i.metadata.name);
    while (token) {
      const res = await h.request('GET', `${base}?limit=50&continue=${encodeURIComponent(token)}`);
      seen.push(...res.body.items.map((i: any) => i.metadata.name));
      expect(res.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
      token = res.body.metadata.continue;
    }
    expect(seen).not.toContain('zz-late');
    await h.request('DELETE', `${base}/zz-late`);
  });

  it('filters by label selector across pages', async () => {
    const { names } = await pages('limit=4&labelSelector=tier%3Deven');
    expect(names).toHaveLength(13);
    const set = await h.request('GET', `${base}?labelSelector=${encodeURIComponent('tier in (odd),all')}`);
    expect(set.body.items).toHaveLength(12);
    const none = await h.request('GET', `${base}?labelSelector=${encodeURIComponent('!all')}`);
    expect(none.body.items).toHaveLength(0);
  });

  it('filters by field selector', async () => {
    const res = await h.request('GET', `${base}?fieldSelector=metadata.name%3Dcm-03`);
    expect(res.body.items.map((i: any) => i.metadata.name)).toEqual(['cm-03']);
    await h.request('POST', '/api/v1/namespaces/paging/pods', pod('on-node', { nodeName: 'n1' }));
    await h.request('POST', '/api/v1/namespaces/paging/pods', pod('unbound'));
    const bound = await h.request('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1');
    expect(bound.body.items.map((i: any) => i.metadata.name)).toEqual(['on-node']);
    const unbound = await h.request('GET', '/api/v1/namespaces/paging/pods?fieldSelector=spec.nodeName%3D');
    expect(unbound.body.items.map((i: any) => i.metadata.name)).toEqual(['unbound']);
    const bad = await h.request('GET', `${base}?fieldSelector=spec.nonsense%3Dx`);
    expect(bad.status).toBe(400);
  });

  it('lists all namespaces on the namespace-less path', async () => {
    const res = await h.request('GET', '/api/v1/configmaps');
    expect(res.body.kind).toBe('ConfigMapList');
    expect(res.body.items.length).toBeGreaterThanOrEqual(25);
  });

  it('reads an exact old revision with resourceVersionMatch=Exact', async () => {
    const before = await h.request('GET', base);
    await h.request('POST', base, configMap('after-snapshot'));
    const exact = await h.request('GET', `${base}?resourceVersion=${before.body.metadata.resourceVersion}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(200);
    expect(exact.body.items.map((i: any) => i.metadata.name)).not.toContain('after-snapshot');
    const latest = await h.request('GET', `${base}?resourceVersion=0`);
    expect(latest.body.items.map((i: any) => i.metadata.name)).toContain('after-snapshot');
    const notOlder = await h.request('GET', `${base}?resourceVersion=${before.body.metadata.resourceVersion}`);
    expect(notOlder.body.items.map((i: any) => i.metadata.name)).toContain('after-snapshot');
  });

  it('answers 410 Expired for a continue token whose snapshot was compacted', async () => {
    const first = await h.request('GET', `${base}?limit=5`);
    await h.request('POST', base, configMap('compact-me'));
    await h.store.compact(await h.store.currentRevision());
    const res = await h.request('GET', `${base}?limit=5&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  });

  it('answers a Table when kubectl asks for one', async () => {
    const res = await h.request('GET', `${base}?limit=2`, undefined, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    expect(res.body.kind).toBe('Table');
    expect(res.body.rows).toHaveLength(2);
    expect(res.body.metadata.continue).toBeTruthy();
  });

  it('deletes a collection by selector', async () => {
    const res = await h.request('DELETE', `${base}?labelSelector=tier%3Dodd`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(12);
    const left = await h.request('GET', `${base}?labelSelector=tier%3Dodd`);
    expect(left.body.items).toHaveLength(0);
  });
});

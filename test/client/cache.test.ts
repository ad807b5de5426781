import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { ObjectCache, keyOf, namespaceIndex, nodeNameIndex } from '../../client/cache.js';

function pod(namespace: string, name: string, nodeName?: string, labels: Record<string, string> = {}): KubeObject {
  return { metadata: { namespace, name, labels }, spec: nodeName ? { nodeName } : {} };
}

describe('ObjectCache', () => {
  it('keys namespaced objects as namespace/name and cluster-scoped ones by name', () => {
    expect(keyOf(pod('default', 'web'))).toBe('default/web');
    expect(keyOf({ metadata: { name: 'node-1' } })).toBe('node-1');
  });

  it('moves an object between index values when it changes and drops it on delete', () => {
    const cache = new ObjectCache<KubeObject>();
    cache.addIndex('node', nodeNameIndex);
    cache.set(pod('a', 'p1', 'n1'));
    cache.set(pod('a', 'p2', 'n1'));
    cache.set(pod('a', 'p3'));
    expect(cache.byIndex('node', 'n1').map(keyOf).sort()).toEqual(['a/p1', 'a/p2']);
    const old = cache.set(pod('a', 'p1', 'n2'));
    expect(old?.['spec']).toEqual({ nodeName: 'n1' });
    expect(cache.byIndex('node', 'n1').map(keyOf)).toEqual(['a/p2']);
    expect(cache.byIndex('node', 'n2').map(keyOf)).toEqual(['a/p1']);
    expect(cache.delete('a/p2')).toBeDefined();
    expect(cache.byIndex('node', 'n1')).toEqual([]);
    expect(cache.delete('a/p2')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('indexes objects already cached when an index is added, under every value the function returns', () => {
    const cache = new ObjectCache<KubeObject>();
    cache.set(pod('a', 'x', undefined, { tier: 'web', team: 'blue' }));
    cache.set(pod('b', 'y'));
    cache.addIndex('ns', namespaceIndex);
    cache.addIndex('labels', (o) => Object.values(o.metadata.labels ?? {}));
    expect(cache.byIndex('ns', 'b').map(keyOf)).toEqual(['b/y']);
    expect(cache.byIndex('labels', 'web').map(keyOf)).toEqual(['a/x']);
    expect(cache.byIndex('labels', 'blue').map(keyOf)).toEqual(['a/x']);
    expect(() => cache.byIndex('missing', 'v')).toThrow(/no index/);
    expect(() => cache.addIndex('ns', namespaceIndex)).toThrow(/exists/);
  });
});

import { describe, expect, it } from 'vitest';
import { assertPrefix, prefixRangeEnd, subjectForKey } from '../../control-plane/storage/keys.js';

describe('subjectForKey', () => {
  it.each([
    ['/registry/pods/default/web', undefined, { kind: 'pods', name: 'web' }],
    ['/registry/deployments.apps/default/web', undefined, { kind: 'deployments', group: 'apps', name: 'web' }],
    ['/registry/namespaces/kube-system', undefined, { kind: 'namespaces', name: 'kube-system' }],
    ['/registry/pods/default/web', 'other', { kind: 'pods', name: 'other' }],
    ['/custom/thing', undefined, { kind: 'custom', name: 'thing' }],
  ])('names %s (name override %s) as %o', (key, name, expected) => {
    expect(subjectForKey(key, name)).toEqual(expected);
  });
});

describe('prefixRangeEnd', () => {
  it.each([
    ['/registry/pods/', '/registry/pods0'],
    ['/registry/pods/a/', '/registry/pods/a0'],
    ['a', 'b'],
  ])('ends the range of %s at %s', (prefix, end) => {
    expect(prefixRangeEnd(prefix)).toBe(end);
  });

  it('orders every key under the prefix below the end and a sibling prefix outside it', () => {
    const end = prefixRangeEnd('/registry/pods/a/');
    expect('/registry/pods/a/zzzz~' < end).toBe(true);
    expect('/registry/pods/ab/x' >= end).toBe(true);
  });
});

describe('assertPrefix', () => {
  it('rejects a prefix without a trailing slash, which would match sibling keys', () => {
    expect(() => assertPrefix('/registry/pods/a')).toThrow(/must end with/);
    expect(() => assertPrefix('/registry/pods/a/')).not.toThrow();
  });
});

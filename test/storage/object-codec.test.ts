import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { decodeObject, encodeObject } from '../../control-plane/storage/object-codec.js';

describe('object codec', () => {
  it('never stores the caller’s resourceVersion and leaves the caller’s object untouched', () => {
    const input: KubeObject = { kind: 'Pod', metadata: { name: 'a', resourceVersion: '42' }, spec: { x: 1 } };
    const encoded = encodeObject(input);
    expect(JSON.parse(encoded)).toEqual({ kind: 'Pod', metadata: { name: 'a' }, spec: { x: 1 } });
    expect(input.metadata.resourceVersion).toBe('42');
  });

  it('stamps the revision on every decode and returns independent copies', () => {
    const encoded = encodeObject({ kind: 'Pod', metadata: { name: 'a' } });
    const first = decodeObject(encoded, 7);
    const second = decodeObject(encoded, 9);
    expect(first.metadata).toEqual({ name: 'a', resourceVersion: '7' });
    first.metadata.name = 'changed';
    expect(second.metadata).toEqual({ name: 'a', resourceVersion: '9' });
  });
});

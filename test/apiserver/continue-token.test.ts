import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue } from '../../control-plane/apiserver/continue-token.js';

describe('continue tokens', () => {
  it('round-trips the revision and the last key', () => {
    const token = encodeContinue({ revision: 42, lastKey: '/registry/pods/default/web-1' });
    expect(decodeContinue(token, '/registry/pods/')).toEqual({ revision: 42, lastKey: '/registry/pods/default/web-1' });
  });

  const bad: [string, string][] = [
    ['is not base64 JSON', 'not a token!'],
    ['is JSON but not an object', Buffer.from('42').toString('base64url')],
    ['has a wrong version', Buffer.from(JSON.stringify({ v: 'x', rv: 1, start: '/registry/pods/a' })).toString('base64url')],
    ['has a non-numeric revision', Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 'x', start: '/registry/pods/a' })).toString('base64url')],
    ['points outside the collection', encodeContinue({ revision: 3, lastKey: '/registry/secrets/default/s' })],
  ];
  for (const [what, token] of bad) {
    it(`rejects a token that ${what} with 400`, () => {
      expect(() => decodeContinue(token, '/registry/pods/')).toThrow(expect.objectContaining({ code: 400 }));
    });
  }
});

import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../api/errors.js';
import type { Secret } from '../../api/types/config.js';
import { BearerTokenAuthenticator, UnionAuthenticator, type SecretGetter } from '../../control-plane/auth/index.js';
import { bootstrapTokenSecret, generateBootstrapToken, parseBootstrapToken } from '../../pki/index.js';

const now = new Date('2026-01-01T00:00:00Z');
const decode = (v: string | undefined) => Buffer.from(v ?? '', 'base64').toString('utf8');

function fakeSecrets(...secrets: Secret[]): SecretGetter {
  return {
    getSecret: (ns, name) => Promise.resolve(secrets.find((s) => s.metadata.namespace === ns && s.metadata.name === name)),
  };
}

const headers = (token?: string) => ({ headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

describe('generateBootstrapToken', () => {
  it('produces distinct tokens of the form [a-z0-9]{6}.[a-z0-9]{16}', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => generateBootstrapToken()));
    expect(tokens.size).toBe(50);
    for (const t of tokens) expect(t).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
  });
});

describe('parseBootstrapToken', () => {
  it.each([
    ['abcdef.0123456789abcdef', { id: 'abcdef', secret: '0123456789abcdef' }],
    ['ABCDEF.0123456789abcdef', undefined],
    ['abcde.0123456789abcdef', undefined],
    ['abcdef.0123456789abcde', undefined],
    ['abcdef0123456789abcdef', undefined],
    ['abcdef.0123456789abcdef ', undefined],
    ['', undefined],
  ])('%j → %j', (token, want) => {
    expect(parseBootstrapToken(token)).toEqual(want);
  });
});

describe('bootstrapTokenSecret', () => {
  it('stores the token as kubeadm does', () => {
    const s = bootstrapTokenSecret('abcdef.0123456789abcdef', 3600, 'join token', now);
    expect(s.metadata).toEqual({ name: 'bootstrap-token-abcdef', namespace: 'kube-system' });
    expect(s.type).toBe('bootstrap.kubernetes.io/token');
    const data = Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, decode(v)]));
    expect(data).toEqual({
      'token-id': 'abcdef',
      'token-secret': '0123456789abcdef',
      expiration: '2026-01-01T01:00:00Z',
      description: 'join token',
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
      'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
    });
  });

  it('omits the expiration for a TTL of 0 (never expires)', () => {
    expect(bootstrapTokenSecret('abcdef.0123456789abcdef', 0, '', now).data?.expiration).toBeUndefined();
  });

  it('refuses a malformed token', () => {
    expect(() => bootstrapTokenSecret('nope', 60, '', now)).toThrow(/malformed/);
  });
});

describe('BearerTokenAuthenticator', () => {
  const valid = bootstrapTokenSecret('abcdef.0123456789abcdef', 3600, '', now);
  const expired = bootstrapTokenSecret('expird.0123456789abcdef', 3600, '', new Date(now.getTime() - 7_200_000));
  const noAuthUsage: Secret = {
    ...bootstrapTokenSecret('noauth.0123456789abcdef', 3600, '', now),
  };
  noAuthUsage.data = { ...noAuthUsage.data, 'usage-bootstrap-authentication': Buffer.from('false').toString('base64') };
  const badGroups: Secret = { ...bootstrapTokenSecret('badgrp.0123456789abcdef', 3600, '', now) };
  badGroups.data = { ...badGroups.data, 'auth-extra-groups': Buffer.from('system:masters').toString('base64') };
  const wrongType: Secret = { ...bootstrapTokenSecret('opaque.0123456789abcdef', 3600, '', now), type: 'Opaque' };
  const badExpiry: Secret = { ...bootstrapTokenSecret('badexp.0123456789abcdef', 3600, '', now) };
  badExpiry.data = { ...badExpiry.data, expiration: Buffer.from('tomorrow').toString('base64') };
  const auth = new BearerTokenAuthenticator(fakeSecrets(valid, expired, noAuthUsage, badGroups, wrongType, badExpiry), () => now);

  it('authenticates a valid token as system:bootstrap:<id> in the bootstrapper groups', async () => {
    await expect(auth.authenticate(headers('abcdef.0123456789abcdef'))).resolves.toEqual({
      name: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token'],
    });
  });

  it.each([
    ['an expired token', 'expird.0123456789abcdef', /bootstrap token "expird" has expired/],
    ['an unknown token id', 'zzzzzz.0123456789abcdef', /no token with id "zzzzzz" exists/],
    ['a wrong secret', 'abcdef.ffffffffffffffff', /the secret of token "abcdef" does not match/],
    ['a malformed token', 'not-a-token', /not a bootstrap token/],
    ['a token not for authentication', 'noauth.0123456789abcdef', /may not be used for authentication/],
    ['extra groups outside system:bootstrappers:', 'badgrp.0123456789abcdef', /auth-extra-group/],
    ['a Secret of another type', 'opaque.0123456789abcdef', /no token with id "opaque" exists/],
    ['an unparseable expiration', 'badexp.0123456789abcdef', /invalid expiration/],
  ])('rejects %s with 401', async (_name, token, message) => {
    const err = await auth.authenticate(headers(token)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect((err as UnauthorizedError).code).toBe(401);
    expect((err as Error).message).toMatch(message);
    // The token secret never appears in an error message.
    expect((err as Error).message).not.toContain('0123456789abcdef');
  });

  it.each([
    ['no Authorization header', {}],
    ['a Basic credential', { authorization: 'Basic dXNlcjpwdw==' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('sees no credential in %s', async (_name, h) => {
    await expect(auth.authenticateIfPresent({ headers: h })).resolves.toBeUndefined();
  });

  it('accepts the scheme case-insensitively', async () => {
    await expect(auth.authenticateIfPresent({ headers: { authorization: 'bearer abcdef.0123456789abcdef' } })).resolves.toMatchObject({
      name: 'system:bootstrap:abcdef',
    });
  });
});

describe('UnionAuthenticator', () => {
  const auth = new UnionAuthenticator(new BearerTokenAuthenticator(fakeSecrets(bootstrapTokenSecret('abcdef.0123456789abcdef', 3600, '', now)), () => now));

  it('answers an anonymous request with 401 Unauthorized', async () => {
    const err = await auth.authenticate(headers()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect((err as UnauthorizedError).toStatus()).toMatchObject({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
  });

  it('adds system:authenticated to an authenticated user', async () => {
    await expect(auth.authenticate(headers('abcdef.0123456789abcdef'))).resolves.toEqual({
      name: 'system:bootstrap:abcdef',
      groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'],
    });
  });

  it('passes an invalid credential’s 401 through instead of treating it as anonymous', async () => {
    await expect(auth.authenticate(headers('abcdef.ffffffffffffffff'))).rejects.toThrow(/does not match/);
  });
});

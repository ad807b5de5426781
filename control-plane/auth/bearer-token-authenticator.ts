// Bearer-token authentication against bootstrap tokens, as upstream's bootstrap token authenticator
// (plugin/pkg/auth/authenticator/token/bootstrap), with clearer 401 messages: a joining node's operator
// should learn that the token expired rather than a bare "Unauthorized".
import { timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../../api/errors.js';
import { findResource, storageKey } from '../../api/resources.js';
import type { Secret } from '../../api/types/config.js';
import type { Store } from '../storage/store.js';
import type { AuthenticationRequest, UserInfo } from '../apiserver/security.js';
import {
  bootstrapTokenNamespace,
  bootstrapTokenSecretName,
  bootstrapTokenSecretType,
  parseBootstrapToken,
} from '../../pki/bootstrap-token.js';
import { requireCredential, type CredentialAuthenticator } from './credential-authenticator.js';
import { bootstrapUserPrefix, systemBootstrappers } from '../../pki/well-known.js';

/** Reads one Secret; the server backs it with its store, tests with a map. */
export interface SecretGetter {
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
}

/** A SecretGetter over the store (core/v1 secrets, the registry's storage key). */
export function storeSecretGetter(store: Store): SecretGetter {
  const secrets = findResource('', 'v1', 'secrets');
  if (!secrets) throw new Error('the resource registry has no core/v1 secrets');
  return {
    getSecret: async (namespace, name) => (await store.get<Secret>(storageKey(secrets, namespace, name)))?.object,
  };
}

/** The token of an `Authorization: Bearer <token>` header; undefined for none, another scheme, or empty. */
export function bearerToken(request: AuthenticationRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

function dataField(secret: Secret, key: string): string | undefined {
  const v = secret.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Lengths are public (always 16 for a well-formed token); the contents are compared in constant time.
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Extra groups must stay under system:bootstrappers: (upstream's validation), so a Secret cannot mint system:masters. */
function extraGroups(secret: Secret): string[] {
  const raw = dataField(secret, 'auth-extra-groups') ?? '';
  const groups = raw
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
  if (groups.some((g) => !/^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/.test(g))) {
    throw new UnauthorizedError('invalid bootstrap token: its Secret lists an auth-extra-group outside system:bootstrappers:');
  }
  return groups;
}

/**
 * Authenticates `Authorization: Bearer <id>.<secret>` against the kube-system Secret `bootstrap-token-<id>`:
 * user `system:bootstrap:<id>`, groups `system:bootstrappers` plus the Secret's auth-extra-groups. Unknown,
 * expired, forged (wrong secret), disabled or malformed tokens are a 401 saying which; the token secret is
 * never part of a message.
 */
export class BearerTokenAuthenticator implements CredentialAuthenticator {
  constructor(
    private readonly secrets: SecretGetter,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async authenticateIfPresent(request: AuthenticationRequest): Promise<UserInfo | undefined> {
    const token = bearerToken(request);
    if (token === undefined) return undefined;
    const parsed = parseBootstrapToken(token);
    if (!parsed) {
      throw new UnauthorizedError('invalid bearer token: not a bootstrap token of the form [a-z0-9]{6}.[a-z0-9]{16}');
    }
    const secret = await this.secrets.getSecret(bootstrapTokenNamespace, bootstrapTokenSecretName(parsed.id));
    if (!secret || secret.type !== bootstrapTokenSecretType || secret.metadata.deletionTimestamp) {
      throw new UnauthorizedError(`invalid bootstrap token: no token with id "${parsed.id}" exists`);
    }
    const storedSecret = dataField(secret, 'token-secret') ?? '';
    if (dataField(secret, 'token-id') !== parsed.id || !sameSecret(storedSecret, parsed.secret)) {
      throw new UnauthorizedError(`invalid bootstrap token: the secret of token "${parsed.id}" does not match`);
    }
    this.checkExpiration(secret, parsed.id);
    if (dataField(secret, 'usage-bootstrap-authentication') !== 'true') {
      throw new UnauthorizedError(`bootstrap token "${parsed.id}" may not be used for authentication`);
    }
    return { name: `${bootstrapUserPrefix}${parsed.id}`, groups: [systemBootstrappers, ...extraGroups(secret)] };
  }

  authenticate(request: AuthenticationRequest): Promise<UserInfo> {
    return requireCredential(this, request);
  }

  private checkExpiration(secret: Secret, id: string): void {
    const expiration = dataField(secret, 'expiration');
    if (expiration === undefined) return;
    const at = Date.parse(expiration);
    // An unparseable expiration is treated as expired, as upstream does: fail closed.
    if (Number.isNaN(at)) throw new UnauthorizedError(`bootstrap token "${id}" has an invalid expiration "${expiration}"`);
    if (at <= this.now().getTime()) throw new UnauthorizedError(`bootstrap token "${id}" has expired (at ${expiration})`);
  }
}

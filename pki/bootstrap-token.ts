// Bootstrap tokens as kubeadm makes and stores them (k8s.io/cluster-bootstrap/token): `<id>.<secret>`,
// kept in kube-system as a Secret `bootstrap-token-<id>` of type bootstrap.kubernetes.io/token whose data
// holds the id, the secret, the expiration and the usages.
import { randomInt } from 'node:crypto';
import type { Secret } from '../api/types/config.js';
import { kubeadmDefaultNodeTokenGroup } from './well-known.js';

export const bootstrapTokenSecretType = 'bootstrap.kubernetes.io/token';
export const bootstrapTokenNamespace = 'kube-system';
export const bootstrapTokenSecretPrefix = 'bootstrap-token-';
/** kubeadm's default token lifetime (24 h). */
export const defaultBootstrapTokenTtlSeconds = 24 * 60 * 60;

const tokenPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface BootstrapToken {
  id: string;
  secret: string;
}

/** Splits `<id>.<secret>`; undefined unless it matches `[a-z0-9]{6}.[a-z0-9]{16}` exactly. */
export function parseBootstrapToken(token: string): BootstrapToken | undefined {
  const m = tokenPattern.exec(token);
  return m && m[1] && m[2] ? { id: m[1], secret: m[2] } : undefined;
}

function randomString(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** A fresh token `<6>.<16>` from a CSPRNG, as `kubeadm token generate`. */
export function generateBootstrapToken(): string {
  return `${randomString(6)}.${randomString(16)}`;
}

/** `bootstrap-token-<id>` */
export function bootstrapTokenSecretName(tokenId: string): string {
  return `${bootstrapTokenSecretPrefix}${tokenId}`;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/**
 * The kube-system Secret that stores `token`, as kubeadm writes it: data (base64) token-id, token-secret,
 * expiration (RFC 3339, now + ttlSeconds; omitted when ttlSeconds is 0 = never expires), description,
 * usage-bootstrap-authentication/-signing "true", auth-extra-groups the kubeadm default node-token group.
 * Throws on a malformed token.
 */
export function bootstrapTokenSecret(token: string, ttlSeconds: number, description: string, now: Date = new Date()): Secret {
  const parsed = parseBootstrapToken(token);
  if (!parsed) throw new Error('malformed bootstrap token: expected the format [a-z0-9]{6}.[a-z0-9]{16}');
  const data: Record<string, string> = {
    'token-id': b64(parsed.id),
    'token-secret': b64(parsed.secret),
    'usage-bootstrap-authentication': b64('true'),
    'usage-bootstrap-signing': b64('true'),
    'auth-extra-groups': b64(kubeadmDefaultNodeTokenGroup),
  };
  if (description) data.description = b64(description);
  if (ttlSeconds > 0) {
    // Whole seconds, UTC, `Z`: the RFC 3339 form kubeadm writes (time.RFC3339).
    data.expiration = b64(new Date(now.getTime() + ttlSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapTokenSecretName(parsed.id), namespace: bootstrapTokenNamespace },
    type: bootstrapTokenSecretType,
    data,
  };
}

// x509 client-certificate authentication, as upstream's request/x509 authenticator with its
// CommonNameUserConversion: the TLS layer verifies the chain against the cluster CA; the subject's CN is
// the user and each O is a group.
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { UnauthorizedError } from '../../api/errors.js';
import type { AuthenticationRequest, UserInfo } from '../apiserver/security.js';
import { requireCredential, type CredentialAuthenticator } from './credential-authenticator.js';

/**
 * What the listener passes as `AuthenticationRequest.peerCertificate`: whether TLS verified the client's
 * chain against the CA (`socket.authorized`) and the certificate it presented (`socket.getPeerCertificate()`).
 */
export interface TlsPeer {
  authorized: boolean;
  certificate: PeerCertificate;
}

/** Builds the TlsPeer for a request's socket; undefined for a plain-TCP socket. */
export function tlsPeerOf(socket: unknown): TlsPeer | undefined {
  const s = socket as Partial<TLSSocket> | undefined;
  if (!s || typeof s.getPeerCertificate !== 'function') return undefined;
  return { authorized: s.authorized === true, certificate: s.getPeerCertificate() };
}

function isTlsPeer(value: unknown): value is TlsPeer {
  return typeof value === 'object' && value !== null && 'authorized' in value && 'certificate' in value;
}

/** Node gives a multi-valued RDN (several O=) as an array, a single one as a string. */
function values(field: unknown): string[] {
  if (typeof field === 'string') return [field];
  if (Array.isArray(field)) return field.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Authenticates by the verified TLS client certificate: CN → user name, O → groups. */
export class ClientCertificateAuthenticator implements CredentialAuthenticator {
  authenticateIfPresent(request: AuthenticationRequest): Promise<UserInfo | undefined> {
    const peer = request.peerCertificate;
    // An unverified or absent certificate is not a credential: the listener accepts those (requestCert without
    // rejectUnauthorized) so that bootstrap-token clients, which have no certificate yet, can connect.
    if (!isTlsPeer(peer) || !peer.authorized) return Promise.resolve(undefined);
    const subject = (peer.certificate as Partial<PeerCertificate>).subject;
    if (!subject) return Promise.resolve(undefined);
    const name = values(subject.CN)[0];
    if (!name) return Promise.reject(new UnauthorizedError('invalid client certificate: the subject has no common name'));
    return Promise.resolve({ name, groups: values(subject.O) });
  }

  authenticate(request: AuthenticationRequest): Promise<UserInfo> {
    return requireCredential(this, request);
  }
}

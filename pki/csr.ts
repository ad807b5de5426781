// PKCS#10 certificate signing requests: the agent creates one for its node identity, the control plane
// verifies its self-signature (proof the requester holds the key) and signs a client certificate.
import { createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { BadRequestError } from '../api/errors.js';
import type { CertificateAuthority } from './certificate-authority.js';
import { issueCertificate } from './x509-builder.js';

/** The identity a CSR asks for, and the SANs it carries (which a node client CSR must not have). */
export interface CsrSubject {
  commonName: string;
  organizations: string[];
  /** DNS names, IPs, emails and URIs from an extensionRequest subjectAltName, as strings. */
  subjectAltNames: string[];
  /** The requester's public key, PEM (SPKI). */
  publicKeyPem: string;
}

const dayMs = 24 * 60 * 60 * 1000;

/** A PEM PKCS#10 request for `commonName`/`organizations`, self-signed with `keyPem` (an RSA private key PEM). */
export function createCsr(keyPem: string, subject: { commonName: string; organizations?: string[] }): string {
  const privateKey = forge.pki.privateKeyFromPem(keyPem);
  const publicKeyPem = createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString();
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  csr.setSubject([
    ...(subject.organizations ?? []).map((value) => ({ name: 'organizationName', value })),
    { name: 'commonName', value: subject.commonName },
  ]);
  csr.sign(privateKey, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

interface AltName {
  type: number;
  value?: string;
  ip?: string;
}

function extensionAltNames(csr: forge.pki.CertificateSigningRequest): string[] {
  const attr = csr.getAttribute({ name: 'extensionRequest' }) as { extensions?: Array<{ name?: string; altNames?: AltName[] }> } | null;
  const san = attr?.extensions?.find((e) => e.name === 'subjectAltName');
  return (san?.altNames ?? []).map((n) => n.ip ?? n.value ?? `type-${n.type}`);
}

/** forge throws (rather than returning false) when a garbled signature does not even decrypt. */
function verifies(csr: forge.pki.CertificateSigningRequest): boolean {
  try {
    return csr.verify();
  } catch {
    return false;
  }
}

/**
 * Parses a PEM CSR and verifies its self-signature. Throws BadRequestError when it is not a PKCS#10 request,
 * uses a key type forge cannot read (only RSA is supported), or its signature does not verify.
 */
export function parseCsr(csrPem: string): CsrSubject {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (err) {
    throw new BadRequestError(`invalid certificate request: ${(err as Error).message}`);
  }
  if (!verifies(csr)) throw new BadRequestError('invalid certificate request: the signature does not verify');
  if (!csr.publicKey) throw new BadRequestError('invalid certificate request: no public key');
  const field = csr.subject.getField('CN') as { value?: unknown } | null;
  return {
    commonName: typeof field?.value === 'string' ? field.value : '',
    organizations: csr.subject.attributes
      .filter((a) => a.name === 'organizationName' && typeof a.value === 'string')
      .map((a) => a.value as string),
    subjectAltNames: extensionAltNames(csr),
    publicKeyPem: forge.pki.publicKeyToPem(csr.publicKey),
  };
}

/** Options for signClientCertificate; commonName/organizations override the CSR's subject when given. */
export interface ClientCertificateOptions {
  commonName?: string;
  organizations?: string[];
  /** Lifetime in days (fractions allowed: a CSR's expirationSeconds / 86400). */
  validityDays: number;
}

/**
 * Verifies `csrPem`'s self-signature and issues a client-auth certificate for its public key, signed by `ca`.
 * The subject is the CSR's unless overridden; SANs in the CSR are not copied (client certificates name users).
 */
export function signClientCertificate(ca: CertificateAuthority, csrPem: string, options: ClientCertificateOptions): string {
  const requested = parseCsr(csrPem);
  return issueCertificate(
    {
      commonName: options.commonName ?? requested.commonName,
      organizations: options.organizations ?? requested.organizations,
      usage: 'client',
      validityMs: options.validityDays * dayMs,
      publicKeyPem: requested.publicKeyPem,
    },
    { issuerCertPem: ca.certPem, signingKeyPem: ca.keyPem },
  );
}

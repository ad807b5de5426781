// Building and signing X.509 certificates with node-forge. node:crypto can parse and verify certificates
// but not issue them, so forge does only the ASN.1 assembly and signature; keys come from node:crypto.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export type CertificateUsage = 'ca' | 'server' | 'client';

export interface CertificateSpec {
  commonName: string;
  organizations?: string[];
  /** DNS names and IP addresses; IPs (v4 or v6) become IP SANs, everything else DNS SANs. */
  subjectAltNames?: string[];
  usage: CertificateUsage;
  validityMs: number;
  /** The subject's public key, PEM (SPKI). */
  publicKeyPem: string;
}

/** Clock skew between machines: certificates are valid from a little before they were issued (as kubeadm). */
const backdateMs = 5 * 60 * 1000;

function subjectAttributes(commonName: string, organizations: string[] = []): forge.pki.CertificateField[] {
  return [
    ...organizations.map((value) => ({ name: 'organizationName', value })),
    { name: 'commonName', value: commonName },
  ];
}

function altNames(names: string[]): Array<{ type: number; value?: string; ip?: string }> {
  // GeneralName tags: 2 = dNSName, 7 = iPAddress.
  return names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n }));
}

function extensionsFor(spec: CertificateSpec, issuer: forge.pki.Certificate | undefined): object[] {
  const ext: object[] = [];
  if (spec.usage === 'ca') {
    ext.push({ name: 'basicConstraints', cA: true, critical: true });
    ext.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, keyEncipherment: true, critical: true });
  } else {
    ext.push({ name: 'basicConstraints', cA: false, critical: true });
    ext.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
    ext.push(spec.usage === 'server' ? { name: 'extKeyUsage', serverAuth: true } : { name: 'extKeyUsage', clientAuth: true });
  }
  if (spec.subjectAltNames && spec.subjectAltNames.length > 0) {
    ext.push({ name: 'subjectAltName', altNames: altNames(spec.subjectAltNames) });
  }
  ext.push({ name: 'subjectKeyIdentifier' });
  if (issuer) {
    ext.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuer.generateSubjectKeyIdentifier().getBytes() });
  }
  return ext;
}

function serialNumber(): string {
  // 16 random bytes with the top bit cleared: a positive INTEGER, as RFC 5280 requires.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/**
 * Issues a certificate for `spec`, signed with `signingKeyPem` under `issuerCertPem`'s name, or self-signed
 * (the CA) when `issuerCertPem` is undefined. Returns the certificate PEM.
 */
export function issueCertificate(spec: CertificateSpec, signer: { issuerCertPem?: string; signingKeyPem: string }): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - backdateMs);
  cert.validity.notAfter = new Date(now + spec.validityMs);
  const subject = subjectAttributes(spec.commonName, spec.organizations);
  cert.setSubject(subject);
  const issuer = signer.issuerCertPem ? forge.pki.certificateFromPem(signer.issuerCertPem) : undefined;
  cert.setIssuer(issuer ? issuer.subject.attributes : subject);
  cert.setExtensions(extensionsFor(spec, issuer));
  const key = forge.pki.privateKeyFromPem(signer.signingKeyPem);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

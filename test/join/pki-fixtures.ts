// Throw-away certificates for the join tests: a CA, client certificates it signs, and a serving chain.
import { generateRsaKeyPair, issueCertificate, type CertificateAndKey, type CertificateAuthority } from '../../pki/index.js';

const hourMs = 60 * 60 * 1000;

export function makeCa(commonName = 'test-ca'): CertificateAuthority {
  const keys = generateRsaKeyPair();
  const certPem = issueCertificate({ commonName, usage: 'ca', validityMs: 24 * hourMs, publicKeyPem: keys.publicKeyPem }, { signingKeyPem: keys.privateKeyPem });
  return { certPem, keyPem: keys.privateKeyPem };
}

export function makeLeaf(ca: CertificateAuthority, usage: 'client' | 'server', commonName: string, organizations: string[] = [], subjectAltNames: string[] = []): CertificateAndKey {
  const keys = generateRsaKeyPair();
  const certPem = issueCertificate(
    { commonName, organizations, subjectAltNames, usage, validityMs: 24 * hourMs, publicKeyPem: keys.publicKeyPem },
    { issuerCertPem: ca.certPem, signingKeyPem: ca.keyPem },
  );
  return { certPem, keyPem: keys.privateKeyPem };
}

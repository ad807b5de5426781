import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import forge from 'node-forge';
import { BadRequestError } from '../../api/errors.js';
import { createCsr, generateRsaKeyPair, issueCertificate, parseCsr, signClientCertificate } from '../../pki/index.js';

// One CA and one requester key for the whole file: RSA keygen is the slow part.
const caKeys = generateRsaKeyPair();
const ca = {
  certPem: issueCertificate(
    { commonName: 'test-ca', usage: 'ca', validityMs: 86_400_000, publicKeyPem: caKeys.publicKeyPem },
    { signingKeyPem: caKeys.privateKeyPem },
  ),
  keyPem: caKeys.privateKeyPem,
};
const requester = generateRsaKeyPair();

describe('createCsr / parseCsr', () => {
  it('round-trips the subject and the public key', () => {
    const csr = createCsr(requester.privateKeyPem, { commonName: 'system:node:n1', organizations: ['system:nodes'] });
    expect(csr).toContain('BEGIN CERTIFICATE REQUEST');
    const parsed = parseCsr(csr);
    expect(parsed.commonName).toBe('system:node:n1');
    expect(parsed.organizations).toEqual(['system:nodes']);
    expect(parsed.subjectAltNames).toEqual([]);
    expect(parsed.publicKeyPem.replace(/\r/g, '')).toBe(requester.publicKeyPem);
  });

  it('reports SANs carried in an extensionRequest', () => {
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = forge.pki.publicKeyFromPem(requester.publicKeyPem);
    csr.setSubject([{ name: 'commonName', value: 'system:node:n1' }]);
    csr.setAttributes([{ name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'evil.example' }, { type: 7, ip: '10.0.0.1' }] }] }]);
    csr.sign(forge.pki.privateKeyFromPem(requester.privateKeyPem), forge.md.sha256.create());
    expect(parseCsr(forge.pki.certificationRequestToPem(csr)).subjectAltNames).toEqual(['evil.example', '10.0.0.1']);
  });

  it.each([
    ['garbage', 'not a csr'],
    ['a certificate instead of a request', ca.certPem],
  ])('rejects %s with BadRequest', (_name, pem) => {
    expect(() => parseCsr(pem)).toThrow(BadRequestError);
  });

  it('rejects a request whose self-signature does not verify', () => {
    const pem = createCsr(requester.privateKeyPem, { commonName: 'system:node:n1' });
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    // The signature BIT STRING is the last element: flipping its final byte breaks the signature only.
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0xff;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(() => parseCsr(tampered)).toThrow(/signature does not verify/);
  });
});

describe('signClientCertificate', () => {
  const csrPem = createCsr(requester.privateKeyPem, { commonName: 'system:node:n1', organizations: ['system:nodes'] });

  it('issues a client certificate for the CSR key, chained to the CA, with the CSR subject', () => {
    const cert = new X509Certificate(signClientCertificate(ca, csrPem, { validityDays: 1 }));
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.subject).toContain('CN=system:node:n1');
    expect(cert.subject).toContain('O=system:nodes');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.ca).toBe(false);
    expect(cert.publicKey.export({ type: 'spki', format: 'pem' })).toBe(requester.publicKeyPem);
    const hours = (Date.parse(cert.validTo) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23);
    expect(hours).toBeLessThan(25);
  });

  it('lets the signer override the subject', () => {
    const cert = new X509Certificate(signClientCertificate(ca, csrPem, { commonName: 'alice', organizations: ['dev', 'ops'], validityDays: 1 }));
    expect(cert.subject).toContain('CN=alice');
    expect(cert.subject).toMatch(/O=dev/);
    expect(cert.subject).toMatch(/O=ops/);
  });

  it('refuses to sign a forged request', () => {
    expect(() => signClientCertificate(ca, 'junk', { validityDays: 1 })).toThrow(BadRequestError);
  });
});

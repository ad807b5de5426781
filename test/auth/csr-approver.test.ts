import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { decideCsrApproval, issueForCsr, type CertificateSigningRequest } from '../../control-plane/auth/index.js';
import { createCsr, generateRsaKeyPair, issueCertificate } from '../../pki/index.js';

// One CA key and one node key for the whole file: keygen is the slow part.
const caKeys = generateRsaKeyPair();
const ca = {
  certPem: issueCertificate({ commonName: 'test-ca', usage: 'ca', validityMs: 86_400_000, publicKeyPem: caKeys.publicKeyPem }, { signingKeyPem: caKeys.privateKeyPem }),
  keyPem: caKeys.privateKeyPem,
};
const nodeKey = generateRsaKeyPair();
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const nodeCsr = (cn = 'system:node:n1', orgs = ['system:nodes']) => b64(createCsr(nodeKey.privateKeyPem, { commonName: cn, organizations: orgs }));

function csrWithSans(): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(nodeKey.publicKeyPem);
  csr.setSubject([{ name: 'organizationName', value: 'system:nodes' }, { name: 'commonName', value: 'system:node:n1' }]);
  csr.setAttributes([{ name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'n1' }] }] }]);
  csr.sign(forge.pki.privateKeyFromPem(nodeKey.privateKeyPem), forge.md.sha256.create());
  return b64(forge.pki.certificationRequestToPem(csr));
}

const bootstrapper = { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'] };

function csrObject(spec: Partial<CertificateSigningRequest['spec']> = {}): CertificateSigningRequest {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: 'node-csr-1' },
    spec: {
      request: nodeCsr(),
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      usages: ['digital signature', 'client auth'],
      ...bootstrapper,
      ...spec,
    },
  };
}

describe('decideCsrApproval', () => {
  it.each<[string, Partial<CertificateSigningRequest['spec']>, 'approve' | 'deny', RegExp]>([
    ['a bootstrap token asking for a node client certificate', {}, 'approve', /Auto approving kubelet client certificate/],
    ['the same with key encipherment', { usages: ['digital signature', 'key encipherment', 'client auth'] }, 'approve', /Auto approving/],
    ['a node renewing its own identity', { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] }, 'approve', /self kubelet client/],
    ['a node asking for another node', { request: nodeCsr('system:node:n2'), username: 'system:node:n1', groups: ['system:nodes'] }, 'deny', /neither a bootstrap token nor the node/],
    ['an ordinary user', { username: 'alice', groups: ['system:authenticated'] }, 'deny', /requester "alice"/],
    ['another signer', { signerName: 'kubernetes.io/kube-apiserver-client' }, 'deny', /signerName must be/],
    ['server auth usage', { usages: ['digital signature', 'client auth', 'server auth'] }, 'deny', /"server auth" are not allowed/],
    ['missing digital signature', { usages: ['client auth'] }, 'deny', /must include "digital signature"/],
    ['missing client auth', { usages: ['digital signature', 'key encipherment'] }, 'deny', /must include "client auth"/],
    ['duplicate usages', { usages: ['digital signature', 'client auth', 'client auth'] }, 'deny', /duplicates/],
    ['no usages', { usages: [] }, 'deny', /must include/],
    ['a CN that is not a node', { request: nodeCsr('kubernetes-admin') }, 'deny', /common name must be "system:node:<node name>"/],
    ['an empty node name', { request: nodeCsr('system:node:') }, 'deny', /common name/],
    ['system:masters in the organization', { request: nodeCsr('system:node:n1', ['system:nodes', 'system:masters']) }, 'deny', /organization must be exactly "system:nodes"/],
    ['no organization', { request: nodeCsr('system:node:n1', []) }, 'deny', /organization/],
    ['subject alternative names', { request: csrWithSans() }, 'deny', /must not carry subject alternative names/],
    ['a request that is not a CSR', { request: b64('garbage') }, 'deny', /invalid certificate request/],
  ])('%s → %s', (_name, spec, want, message) => {
    const d = decideCsrApproval(csrObject(spec));
    expect(d.decision).toBe(want);
    expect(d.reason).toBe(want === 'approve' ? 'AutoApproved' : 'AutoDenied');
    expect(d.message).toMatch(message);
  });
});

describe('issueForCsr', () => {
  it('signs the requested node identity for the requested lifetime, base64 for status.certificate', () => {
    const pem = Buffer.from(issueForCsr(ca, csrObject({ expirationSeconds: 7200 })), 'base64').toString('utf8');
    const cert = new X509Certificate(pem);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.subject).toContain('CN=system:node:n1');
    expect(cert.subject).toContain('O=system:nodes');
    expect(cert.publicKey.export({ type: 'spki', format: 'pem' })).toBe(nodeKey.publicKeyPem);
    const hours = (Date.parse(cert.validTo) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(1.9);
    expect(hours).toBeLessThan(2.1);
  });

  it('defaults to a one-year certificate and never issues under ten minutes', () => {
    const long = new X509Certificate(Buffer.from(issueForCsr(ca, csrObject()), 'base64').toString('utf8'));
    expect((Date.parse(long.validTo) - Date.now()) / 86_400_000).toBeGreaterThan(364);
    const short = new X509Certificate(Buffer.from(issueForCsr(ca, csrObject({ expirationSeconds: 1 })), 'base64').toString('utf8'));
    expect((Date.parse(short.validTo) - Date.now()) / 60_000).toBeGreaterThan(9);
  });
});

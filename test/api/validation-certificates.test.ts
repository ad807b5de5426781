// CertificateSigningRequest validation: upstream's texts for the request framing, signer name, usages,
// conditions and the issued certificate, and the update rules every write path shares.
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../api/defaults/index.js';
import type { KubeObject } from '../../api/object.js';
import { validate } from '../../api/validation/index.js';
import { validateApprovalConditionsUnchanged, validateSignerName } from '../../api/validation/certificates.js';
import { createCsr, generateRsaKeyPair, issueCertificate } from '../../pki/index.js';
import { resource, summary } from './fixtures.js';

const csrR = resource('certificates.k8s.io/v1', 'CertificateSigningRequest');
const keys = generateRsaKeyPair();
const requestPem = createCsr(keys.privateKeyPem, { commonName: 'system:node:n1', organizations: ['system:nodes'] });
const certPem = issueCertificate({ commonName: 'x', usage: 'client', validityMs: 60_000, publicKeyPem: keys.publicKeyPem }, { signingKeyPem: keys.privateKeyPem });
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function csr(spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject {
  return {
    metadata: { name: 'node-csr-1' },
    spec: { request: b64(requestPem), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], ...spec },
    ...(status ? { status } : {}),
  } as KubeObject;
}

const approved = { type: 'Approved', status: 'True', reason: 'AutoApproved' };
const denied = { type: 'Denied', status: 'True' };

describe('validate CertificateSigningRequests on create', () => {
  it('accepts a kubelet client request, whatever its name', () => {
    expect(validate(csrR, csr())).toEqual([]);
    expect(validate(csrR, { ...csr(), metadata: { name: 'Any_Name:1' } } as KubeObject)).toEqual([]);
  });

  it.each<[string, KubeObject, string]>([
    ['a request that is not PEM', csr({ request: b64('hello') }), 'spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST'],
    ['a certificate as the request', csr({ request: b64(certPem) }), 'spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST'],
    ['no usages', csr({ usages: [] }), 'spec.usages: Required value'],
    ['an unknown usage', csr({ usages: ['flying'] }), 'spec.usages[0]: Unsupported value: "flying": supported values: "any", "cert sign"'],
    ['a duplicate usage', csr({ usages: ['client auth', 'client auth'] }), 'spec.usages[1]: Duplicate value: "client auth"'],
    ['no signer', csr({ signerName: '' }), 'spec.signerName: Required value'],
    ['the legacy signer', csr({ signerName: 'kubernetes.io/legacy-unknown' }), 'spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version'],
    ['a too short duration', csr({ expirationSeconds: 60 }), 'spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)'],
    ['Approved and Denied', csr({}, { conditions: [approved, denied] }), 'status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive'],
    ['an Approved condition that is False', csr({}, { conditions: [{ type: 'Approved', status: 'False' }] }), 'status.conditions[0].status: Unsupported value: "False": supported values: "True"'],
    ['a duplicate condition', csr({}, { conditions: [approved, approved] }), 'status.conditions[1].type: Duplicate value: "Approved"'],
    ['a certificate that is not PEM', csr({}, { certificate: b64('nope') }), 'status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block'],
  ])('refuses %s', (_name, obj, want) => {
    expect(summary(validate(csrR, obj))).toEqual(expect.arrayContaining([expect.stringContaining(want)]));
  });

  it.each<[string, string]>([
    ['example.com', "spec.signerName: Invalid value: \"example.com\": must be a fully qualified domain and path of the form 'example.com/signer-name'"],
    ['example/signer', 'spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots'],
    ['Example.com/signer', 'spec.signerName: Invalid value: "Example.com": validating label "Example"'],
  ])('refuses the signer name %s', (name, want) => {
    expect(summary(validateSignerName('spec.signerName', name))).toEqual([expect.stringContaining(want)]);
  });

  it('defaults a condition without a status to True', () => {
    const obj = csr({}, { conditions: [{ type: 'Approved' }] });
    applyDefaults(csrR, obj);
    expect((obj.status as { conditions: unknown[] }).conditions).toEqual([{ type: 'Approved', status: 'True' }]);
  });
});

describe('validate CertificateSigningRequests on update', () => {
  it('refuses a changed spec', () => {
    expect(summary(validate(csrR, csr({ usages: ['client auth'] }), csr()))).toContain('spec: Invalid value: {...}: field is immutable');
  });

  it('refuses removing an Approved condition and replacing an issued certificate', () => {
    const old = csr({}, { conditions: [approved], certificate: b64(certPem) });
    const errs = summary(validate(csrR, csr({}, { certificate: b64(certPem + certPem) }), old));
    expect(errs).toContain('status.conditions: Forbidden: updates may not remove a condition of type "Approved"');
    expect(errs).toContain('status.certificate: Forbidden: updates may not modify existing certificate content');
  });

  it('accepts issuing a certificate to an approved request', () => {
    expect(validate(csrR, csr({}, { conditions: [approved], certificate: b64(certPem) }), csr({}, { conditions: [approved] }))).toEqual([]);
  });

  it('tolerates problems the stored object already has', () => {
    const old = csr({}, { conditions: [approved, denied] });
    expect(validate(csrR, csr({}, { conditions: [approved, denied] }), old)).toEqual([]);
  });

  it('lets only approvers add approval conditions', () => {
    expect(summary(validateApprovalConditionsUnchanged(csr({}, { conditions: [approved] }), csr()))).toEqual([
      'status.conditions: Forbidden: updates may not add a condition of type "Approved"',
    ]);
    expect(validateApprovalConditionsUnchanged(csr({}, { conditions: [approved, { type: 'Failed', status: 'True' }] }), csr({}, { conditions: [approved] }))).toEqual([]);
  });
});

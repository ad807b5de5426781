import { describe, expect, it } from 'vitest';
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from '../../control-plane/auth/index.js';
import { planCsr } from '../../control-plane/controllers/certificates/index.js';
import { createCsr, generateRsaKeyPair } from '../../pki/index.js';

const key = generateRsaKeyPair().privateKeyPem;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const nodeRequest = b64(createCsr(key, { commonName: 'system:node:n1', organizations: ['system:nodes'] }));
const adminRequest = b64(createCsr(key, { commonName: 'mallory', organizations: ['system:masters'] }));

const bootstrapper = { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'] };
const admin = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const cond = (type: string): CertificateSigningRequestCondition => ({ type, status: 'True', reason: 'Test' });

function csr(over: Partial<CertificateSigningRequest['spec']> = {}, status?: CertificateSigningRequest['status']): CertificateSigningRequest {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: 'node-csr-x' },
    spec: { request: nodeRequest, signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], ...bootstrapper, ...over },
    ...(status ? { status } : {}),
  };
}

describe('planCsr (the csrsigning controller next step)', () => {
  const cases: Array<[string, CertificateSigningRequest, string]> = [
    ['approves a node client request from a bootstrap token', csr(), 'approve'],
    ['signs an approved request', csr({}, { conditions: [cond('Approved')] }), 'sign'],
    ['leaves an issued request alone', csr({}, { conditions: [cond('Approved')], certificate: b64('PEM') }), 'none'],
    ['leaves a denied request alone', csr({}, { conditions: [cond('Denied')] }), 'none'],
    ['leaves a failed request alone', csr({}, { conditions: [cond('Approved'), cond('Failed')] }), 'none'],
    ['ignores other signers', csr({ signerName: 'example.com/other' }), 'none'],
    ['denies a bootstrap token asking for an admin identity', csr({ request: adminRequest }), 'deny'],
    ['denies a bootstrap token asking for server auth', csr({ usages: ['digital signature', 'server auth'] }), 'deny'],
    ['denies garbage from a bootstrap token', csr({ request: b64('not a csr') }), 'deny'],
    ['leaves a non-bootstrap requester for manual approval', csr({ request: adminRequest, ...admin }), 'none'],
    ['approves a node renewing its own identity', csr({ username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] }), 'approve'],
    ['denies a node asking for another node', csr({ username: 'system:node:n2', groups: ['system:nodes', 'system:authenticated'] }), 'deny'],
    ['refuses to sign a manually approved admin identity (Failed)', csr({ request: adminRequest, ...admin }, { conditions: [cond('Approved')] }), 'fail'],
    ['counts a condition without status as True', csr({}, { conditions: [{ type: 'Denied' } as CertificateSigningRequestCondition] }), 'none'],
    ['ignores an Approved condition with status False', csr({}, { conditions: [{ ...cond('Approved'), status: 'False' }] }), 'approve'],
  ];
  it.each(cases)('%s', (_name, input, kind) => {
    expect(planCsr(input).kind).toBe(kind);
  });

  it('says why it denies', () => {
    const action = planCsr(csr({ request: adminRequest }));
    expect(action).toMatchObject({ kind: 'deny', decision: { reason: 'AutoDenied', message: expect.stringContaining('system:node:') } });
  });
});

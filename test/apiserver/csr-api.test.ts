// CertificateSigningRequests through the API: the server records who asked (whatever the client claims),
// starts every request unapproved, and splits writes as upstream does: the main resource keeps spec and
// status, .../approval changes only the conditions, .../status cannot touch the approval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticator } from '../../control-plane/apiserver/security.js';
import { createCsr, generateRsaKeyPair, issueCertificate } from '../../pki/index.js';
import { startHarness, type Harness } from './harness.js';

const path = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const keys = generateRsaKeyPair();
const requestPem = createCsr(keys.privateKeyPem, { commonName: 'system:node:n1', organizations: ['system:nodes'] });
const certPem = issueCertificate({ commonName: 'system:node:n1', usage: 'client', validityMs: 3_600_000, publicKeyPem: keys.publicKeyPem }, { signingKeyPem: keys.privateKeyPem });

/** `x-test-user: name|group,group|uid` picks the caller; everyone else is the admin. */
const headerAuthenticator: Authenticator = {
  authenticate: ({ headers }) => {
    const raw = headers['x-test-user'];
    if (typeof raw !== 'string') return Promise.resolve({ name: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
    const [name = '', groups = '', uid = ''] = raw.split('|');
    return Promise.resolve({ name, groups: groups ? groups.split(',') : [], ...(uid ? { uid } : {}) });
  },
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ authenticator: headerAuthenticator });
});

afterAll(async () => {
  await h?.stop();
});

function csr(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: { request: b64(requestPem), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'], expirationSeconds: 86400 },
    ...extra,
  };
}

/** The same PEM with the last byte of its DER (inside the signature) changed: it parses, it does not verify. */
function withFlippedLastByte(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0xff;
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

const bootstrapper = { 'x-test-user': 'system:bootstrap:abcdef|system:bootstrappers,system:authenticated|uid-1' };

describe('creating a CertificateSigningRequest', () => {
  it('stamps the authenticated requester over what the client sent and clears the status', async () => {
    const forged = csr('n1', {
      spec: { ...(csr('n1').spec as object), username: 'system:node:n1', groups: ['system:masters'], extra: { a: ['b'] } },
      status: { conditions: [{ type: 'Approved', status: 'True' }] },
    });
    const res = await h.request('POST', path, forged, undefined, bootstrapper);
    expect(res.status).toBe(201);
    expect(res.body.spec.username).toBe('system:bootstrap:abcdef');
    expect(res.body.spec.groups).toEqual(['system:bootstrappers', 'system:authenticated']);
    expect(res.body.spec.uid).toBe('uid-1');
    expect(res.body.spec.extra).toBeUndefined();
    expect(res.body.status).toEqual({});
  });

  it('refuses a request whose PEM is not a certificate request, and one whose signature does not verify', async () => {
    const notCsr = await h.request('POST', path, csr('bad', { spec: { ...(csr('x').spec as object), request: b64(certPem) } }));
    expect(notCsr.status).toBe(422);
    expect(notCsr.body.details.causes[0]).toMatchObject({ field: 'spec.request', message: 'Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST' });
    const tampered = withFlippedLastByte(requestPem);
    const broken = await h.request('POST', path, csr('broken', { spec: { ...(csr('x').spec as object), request: b64(tampered) } }));
    expect(broken.status).toBe(422);
    expect(broken.body.details.causes[0]).toMatchObject({ field: 'spec.request', message: expect.stringContaining('signature does not verify') });
  });

  it('refuses a missing signerName', async () => {
    const res = await h.request('POST', path, csr('nosigner', { spec: { request: b64(requestPem), usages: ['client auth'] } }));
    expect(res.status).toBe(422);
    expect(res.body.details.causes).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'spec.signerName', message: 'Required value' })]));
  });
});

describe('approving and issuing', () => {
  it('approves through .../approval, changing only the conditions', async () => {
    const current = (await h.request('GET', `${path}/n1`)).body;
    current.spec.username = 'mallory';
    current.status = { certificate: b64(certPem), conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'ok' }] };
    const res = await h.request('PUT', `${path}/n1/approval`, current);
    expect(res.status).toBe(200);
    expect(res.body.spec.username).toBe('system:bootstrap:abcdef');
    expect(res.body.status.certificate).toBeUndefined();
    const [cond] = res.body.status.conditions;
    expect(cond).toMatchObject({ type: 'Approved', status: 'True', reason: 'KubectlApprove' });
    expect(cond.lastUpdateTime).toMatch(/Z$/);
    expect(cond.lastTransitionTime).toMatch(/Z$/);
  });

  it('refuses Denied next to Approved on .../approval', async () => {
    const current = (await h.request('GET', `${path}/n1`)).body;
    current.status.conditions.push({ type: 'Denied', status: 'True' });
    const res = await h.request('PUT', `${path}/n1/approval`, current);
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0].message).toBe('Invalid value: "Denied": Approved and Denied conditions are mutually exclusive');
  });

  it('issues through .../status, which keeps the approval as stored', async () => {
    const current = (await h.request('GET', `${path}/n1`)).body;
    current.status.certificate = b64(certPem);
    current.status.conditions[0].reason = 'Rewritten';
    const res = await h.request('PUT', `${path}/n1/status`, current);
    expect(res.status).toBe(200);
    expect(res.body.status.certificate).toBe(b64(certPem));
    expect(res.body.status.conditions[0].reason).toBe('KubectlApprove');
  });

  it('refuses adding an approval through .../status', async () => {
    expect((await h.request('POST', path, csr('n2'))).status).toBe(201);
    const res = await h.request('PATCH', `${path}/n2/status`, { status: { conditions: [{ type: 'Approved', status: 'True' }] } }, 'application/merge-patch+json');
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0]).toMatchObject({ field: 'status.conditions', message: 'Forbidden: updates may not add a condition of type "Approved"' });
  });

  it('approves with a merge patch on .../approval', async () => {
    const res = await h.request('PATCH', `${path}/n2/approval`, { status: { conditions: [{ type: 'Denied', reason: 'No' }] } }, 'application/merge-patch+json');
    expect(res.status).toBe(200);
    expect(res.body.status.conditions[0]).toMatchObject({ type: 'Denied', status: 'True', reason: 'No' });
  });

  it('keeps the spec and status on main-resource writes', async () => {
    const patched = await h.request('PATCH', `${path}/n1`, { metadata: { labels: { a: 'b' } }, status: { certificate: null } }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    expect(patched.body.metadata.labels).toEqual({ a: 'b' });
    expect(patched.body.status.certificate).toBe(b64(certPem));
    // Upstream silently keeps the stored spec; refusing the write (422) keeps it as well.
    const changed = await h.request('PATCH', `${path}/n1`, { spec: { usages: ['client auth'] } }, 'application/merge-patch+json');
    expect([200, 422]).toContain(changed.status);
    expect((await h.request('GET', `${path}/n1`)).body.spec.usages).toEqual(['digital signature', 'client auth']);
  });
});

describe('reading CertificateSigningRequests', () => {
  it('prints kubectl get csr columns', async () => {
    const res = await h.request('GET', path, undefined, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(res.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
    const byName = Object.fromEntries(res.body.rows.map((r: any) => [r.cells[0], r.cells]));
    expect(byName.n1.slice(2)).toEqual(['kubernetes.io/kube-apiserver-client-kubelet', 'system:bootstrap:abcdef', '24h', 'Approved,Issued']);
    expect(byName.n2.slice(3)).toEqual(['system:admin', '24h', 'Denied']);
  });

  it('filters on spec.signerName', async () => {
    const none = await h.request('GET', `${path}?fieldSelector=spec.signerName%3Dexample.com%2Fx`);
    expect(none.body.items).toEqual([]);
    const some = await h.request('GET', `${path}?fieldSelector=spec.signerName%3Dkubernetes.io%2Fkube-apiserver-client-kubelet`);
    expect(some.body.items.length).toBeGreaterThanOrEqual(2);
  });

  it('is in discovery with short name csr and its two subresources', async () => {
    const res = await h.request('GET', '/apis/certificates.k8s.io/v1');
    const names = res.body.resources.map((r: any) => r.name);
    expect(names).toEqual(expect.arrayContaining(['certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status']));
    expect(res.body.resources.find((r: any) => r.name === 'certificatesigningrequests').shortNames).toEqual(['csr']);
  });
});

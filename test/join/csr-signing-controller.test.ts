// The csrsigning controller against the in-process API server (SQLite in a temp dir), with a test
// authenticator standing in for tokens: `Bearer boot` is a bootstrap token's user, `Bearer node-n1` is the
// node n1, no header is the admin. The server stamps the requester into the CSR as it would for real.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InformerFactory, RealClock, RestClient } from '../../client/index.js';
import { adminUser, createApiServer, type ApiServer, type Authenticator } from '../../control-plane/apiserver/index.js';
import type { CertificateSigningRequest } from '../../control-plane/auth/index.js';
import { csrResource } from '../../control-plane/controllers/certificates/index.js';
import { startControllers, type RunningControllers } from '../../control-plane/controllers/index.js';
import { type CertificateAuthority, createCsr, generateRsaKeyPair } from '../../pki/index.js';
import { SqliteStore } from '../../control-plane/storage/index.js';
import { eventually } from '../support/eventually.js';
import { makeCa } from './pki-fixtures.js';

const users: Record<string, { name: string; groups: string[] }> = {
  'Bearer boot': { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'] },
  'Bearer node-n1': { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] },
};
const testAuthenticator: Authenticator = {
  authenticate: async (req) => users[String(req.headers.authorization ?? '')] ?? adminUser,
};

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
let seq = 0;

function csrFor(commonName: string, organizations: string[], over: Partial<CertificateSigningRequest['spec']> = {}): CertificateSigningRequest {
  const key = generateRsaKeyPair().privateKeyPem;
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: `csr-${++seq}` },
    spec: {
      request: b64(createCsr(key, { commonName, organizations })),
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      usages: ['digital signature', 'client auth'],
      ...over,
    },
  };
}

/** csrsigning alone, through the controller registry as `skiff server` runs it; the CA is its tuning. */
function startSigning(client: RestClient, informers: InformerFactory, logger: pino.Logger, ca: CertificateAuthority | undefined): Promise<RunningControllers> {
  return startControllers({ client, informers, clock: new RealClock(), logger, enabled: ['csrsigning'], tuning: ca ? { clusterCa: ca } : {}, syncTimeoutMs: 20_000 });
}

describe('the csrsigning controller', () => {
  const ca = makeCa('cluster-ca');
  let dir: string;
  let store: SqliteStore;
  let server: ApiServer;
  let url: string;
  let admin: RestClient;
  let bootstrap: RestClient;
  let node: RestClient;
  let informers: InformerFactory;
  let running: RunningControllers | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-csrsigning-'));
    store = new SqliteStore({ dataDir: dir, synchronous: 'NORMAL' });
    const logger = pino({ level: process.env['SKIFF_TEST_LOG'] ?? 'silent' });
    server = createApiServer({ store, logger, authenticator: testAuthenticator });
    url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    admin = new RestClient({ server: url }, { rateLimit: false });
    bootstrap = new RestClient({ server: url, token: 'boot' }, { rateLimit: false });
    node = new RestClient({ server: url, token: 'node-n1' }, { rateLimit: false });
    informers = new InformerFactory(admin, { logger, backoffInitialMs: 100 });
    informers.start();
    running = await startSigning(admin, informers, logger, ca);
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await informers?.stop();
    for (const c of [admin, bootstrap, node]) c?.close();
    await server?.stop();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settled = (name: string): Promise<CertificateSigningRequest> =>
    eventually(`CSR ${name} settled`, async () => {
      const csr = await admin.get<CertificateSigningRequest>(csrResource, name);
      const done = csr.status?.certificate || csr.status?.conditions?.some((c) => c.type === 'Denied' || c.type === 'Failed');
      return done ? csr : undefined;
    }, 30_000, 50);

  it('approves and signs a node client request from a bootstrap token', async () => {
    const created = await bootstrap.create(csrResource, csrFor('system:node:n1', ['system:nodes']));
    const csr = await settled(created.metadata.name ?? '');
    expect(csr.status?.conditions).toEqual([expect.objectContaining({ type: 'Approved', status: 'True', reason: 'AutoApproved' })]);
    const cert = new X509Certificate(Buffer.from(csr.status?.certificate ?? '', 'base64'));
    expect(cert.subject).toBe('O=system:nodes\nCN=system:node:n1');
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2'); // clientAuth
  });

  it('signs a node renewing its own identity', async () => {
    const created = await node.create(csrResource, csrFor('system:node:n1', ['system:nodes']));
    expect((await settled(created.metadata.name ?? '')).status?.certificate).toBeTruthy();
  });

  it('denies a bootstrap token asking for an admin identity, and never signs it', async () => {
    const created = await bootstrap.create(csrResource, csrFor('kubernetes-admin', ['system:masters']));
    const csr = await settled(created.metadata.name ?? '');
    expect(csr.status?.conditions).toEqual([expect.objectContaining({ type: 'Denied', reason: 'AutoDenied', message: expect.stringContaining('system:node:') })]);
    expect(csr.status?.certificate).toBeUndefined();
  });

  it('denies a node asking for another node', async () => {
    const created = await node.create(csrResource, csrFor('system:node:n2', ['system:nodes']));
    expect((await settled(created.metadata.name ?? '')).status?.conditions?.[0]?.type).toBe('Denied');
  });

  it('leaves an admin-created request pending, and fails it when a human approves a bad shape', async () => {
    const created = await admin.create(csrResource, csrFor('mallory', ['system:masters']));
    const name = created.metadata.name ?? '';
    // Nothing happens on its own: give the controller a moment, then check it is untouched.
    const probe = await bootstrap.create(csrResource, csrFor('system:node:n1', ['system:nodes']));
    await settled(probe.metadata.name ?? '');
    expect((await admin.get<CertificateSigningRequest>(csrResource, name)).status?.conditions ?? []).toEqual([]);

    const fresh = await admin.get<CertificateSigningRequest>(csrResource, name);
    await admin.request('PUT', `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}/approval`, {
      ...fresh,
      status: { conditions: [{ type: 'Approved', status: 'True', reason: 'ByHand', message: 'oops' }] },
    });
    const csr = await settled(name);
    expect(csr.status?.conditions?.map((c) => c.type)).toEqual(['Approved', 'Failed']);
    expect(csr.status?.conditions?.[1]).toMatchObject({ reason: 'SignerValidationFailure' });
    expect(csr.status?.certificate).toBeUndefined();
  });

  it('leaves other signers alone', async () => {
    const created = await bootstrap.create(csrResource, csrFor('system:node:n1', ['system:nodes'], { signerName: 'example.com/other' }));
    const probe = await bootstrap.create(csrResource, csrFor('system:node:n1', ['system:nodes']));
    await settled(probe.metadata.name ?? '');
    const csr = await admin.get<CertificateSigningRequest>(csrResource, created.metadata.name ?? '');
    expect(csr.status?.conditions ?? []).toEqual([]);
    expect(csr.status?.certificate).toBeUndefined();
  });

  it('catches up on requests made while it was not running', async () => {
    await running?.stop();
    running = undefined;
    const created = await bootstrap.create(csrResource, csrFor('system:node:n3', ['system:nodes']));
    running = await startSigning(admin, informers, pino({ level: 'silent' }), ca);
    expect((await settled(created.metadata.name ?? '')).status?.certificate).toBeTruthy();
  });

  it('does not start without the CA', async () => {
    const withoutCa = await startSigning(admin, informers, pino({ level: 'silent' }), undefined);
    expect(withoutCa.controllers.has('csrsigning')).toBe(false);
    await withoutCa.stop();
  });
});

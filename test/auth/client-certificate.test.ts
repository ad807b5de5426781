// A real mutual-TLS handshake on loopback: the server presents the cluster's serving certificate and asks
// for client certificates verified against the cluster CA; the authenticators turn the peer into a user.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../api/errors.js';
import { BearerTokenAuthenticator, ClientCertificateAuthenticator, UnionAuthenticator, tlsPeerOf } from '../../control-plane/auth/index.js';
import {
  bootstrapTokenSecret,
  type ClusterPki,
  createCsr,
  ensureClusterPki,
  generateRsaKeyPair,
  issueCertificate,
  signClientCertificate,
} from '../../pki/index.js';

interface Reply {
  status: number;
  body: unknown;
}

let dir: string;
let pki: ClusterPki;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-mtls-'));
  pki = ensureClusterPki(dir, { serverAddresses: ['127.0.0.1'], serviceIP: '10.96.0.1' });
  const token = bootstrapTokenSecret('abcdef.0123456789abcdef', 3600, '');
  const auth = new UnionAuthenticator(
    new ClientCertificateAuthenticator(),
    new BearerTokenAuthenticator({ getSecret: (ns, name) => Promise.resolve(ns === 'kube-system' && name === token.metadata.name ? token : undefined) }),
  );
  server = createServer(
    // requestCert without rejectUnauthorized: token clients have no certificate yet.
    { key: pki.apiServer.keyPem, cert: pki.apiServer.certPem, ca: [pki.ca.certPem], requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      auth
        .authenticate({ headers: req.headers, peerCertificate: tlsPeerOf(req.socket) })
        .then((user) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(user)))
        .catch((err: ApiError) => res.writeHead(err.code).end(JSON.stringify(err.toStatus())));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function call(options: { cert?: string; key?: string; ca?: string; token?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api',
        agent: false,
        ca: options.ca ?? pki.ca.certPem,
        ...(options.cert ? { cert: options.cert, key: options.key } : {}),
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('ClientCertificateAuthenticator over mutual TLS', () => {
  it('authenticates the admin certificate as kubernetes-admin in system:masters', async () => {
    const reply = await call({ cert: pki.admin.certPem, key: pki.admin.keyPem });
    expect(reply).toEqual({ status: 200, body: { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } });
  });

  it('authenticates a node certificate issued from a CSR as system:node:<name>', async () => {
    const keys = generateRsaKeyPair();
    const csr = createCsr(keys.privateKeyPem, { commonName: 'system:node:n1', organizations: ['system:nodes'] });
    const cert = signClientCertificate(pki.ca, csr, { validityDays: 1 });
    const reply = await call({ cert, key: keys.privateKeyPem });
    expect(reply).toEqual({ status: 200, body: { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] } });
  });

  it('treats a certificate from another CA as no credential: anonymous, 401', async () => {
    const foreign = generateRsaKeyPair();
    const selfSigned = issueCertificate(
      { commonName: 'kubernetes-admin', organizations: ['system:masters'], usage: 'client', validityMs: 86_400_000, publicKeyPem: foreign.publicKeyPem },
      { signingKeyPem: foreign.privateKeyPem },
    );
    const reply = await call({ cert: selfSigned, key: foreign.privateKeyPem });
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized' });
  });

  it('answers a request without any credential with 401', async () => {
    expect((await call({})).status).toBe(401);
  });

  it('falls through to the bootstrap token when no certificate is presented', async () => {
    const reply = await call({ token: 'abcdef.0123456789abcdef' });
    expect(reply).toMatchObject({ status: 200, body: { name: 'system:bootstrap:abcdef' } });
  });

  it('lets a client pinned to another CA refuse the server', async () => {
    const other = generateRsaKeyPair();
    const otherCa = issueCertificate(
      { commonName: 'other-ca', usage: 'ca', validityMs: 86_400_000, publicKeyPem: other.publicKeyPem },
      { signingKeyPem: other.privateKeyPem },
    );
    await expect(call({ ca: otherCa })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});

describe('ClientCertificateAuthenticator without TLS', () => {
  it.each([
    ['no peer', undefined],
    ['an unverified peer', { authorized: false, certificate: { subject: { CN: 'kubernetes-admin', O: 'system:masters' } } }],
    ['a verified peer without a certificate', { authorized: true, certificate: {} }],
  ])('sees no credential for %s', async (_name, peer) => {
    await expect(new ClientCertificateAuthenticator().authenticateIfPresent({ headers: {}, peerCertificate: peer })).resolves.toBeUndefined();
  });

  it('reads several organizations as several groups', async () => {
    const peer = { authorized: true, certificate: { subject: { CN: 'alice', O: ['dev', 'ops'] } } };
    await expect(new ClientCertificateAuthenticator().authenticate({ headers: {}, peerCertificate: peer })).resolves.toEqual({
      name: 'alice',
      groups: ['dev', 'ops'],
    });
  });

  it('rejects a verified certificate without a common name', async () => {
    const peer = { authorized: true, certificate: { subject: { O: 'dev' } } };
    await expect(new ClientCertificateAuthenticator().authenticate({ headers: {}, peerCertificate: peer })).rejects.toThrow(/no common name/);
  });
});

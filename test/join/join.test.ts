import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../api/errors.js';
import { loadKubeconfig, type ConnectionConfig } from '../../client/index.js';
import type { CertificateSigningRequest } from '../../control-plane/auth/index.js';
import { caCertHash, signClientCertificate, type CertificateAuthority } from '../../pki/index.js';
import { ensureNodeCredentials, JoinError, nodeCredentialPaths, unusableReason, type ClosableCsrApi, type JoinOptions } from '../../agent/join/index.js';
import { makeCa } from './pki-fixtures.js';

const token = 'abcdef.0123456789abcdef';
const secret = '0123456789abcdef';

/** A cluster in memory: stores CSRs, and approves+signs (or denies, or never answers) after `polls` GETs. */
class FakeCluster {
  readonly csrs = new Map<string, CertificateSigningRequest>();
  connections: ConnectionConfig[] = [];
  gets = 0;
  closed = 0;
  constructor(
    private readonly ca: CertificateAuthority,
    private readonly answer: 'sign' | 'deny' | 'never' | 'unauthorized' = 'sign',
    private readonly polls = 2,
  ) {}

  api = (connection: ConnectionConfig): ClosableCsrApi => {
    this.connections.push(connection);
    return {
      create: async (csr) => {
        if (this.answer === 'unauthorized') throw new UnauthorizedError();
        const stored = { ...csr, spec: { ...csr.spec, username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers'] } };
        this.csrs.set(csr.metadata.name ?? '', stored);
        return stored;
      },
      get: async (name) => {
        this.gets++;
        const csr = this.csrs.get(name);
        if (!csr) throw new Error('no such csr');
        if (this.gets < this.polls || this.answer === 'never') return csr;
        if (this.answer === 'deny') return { ...csr, status: { conditions: [{ type: 'Denied', status: 'True', reason: 'AutoDenied', message: 'nope' }] } };
        const pem = signClientCertificate(this.ca, Buffer.from(csr.spec.request, 'base64').toString('utf8'), { validityDays: 1 });
        return { ...csr, status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: Buffer.from(pem).toString('base64') } };
      },
      close: () => {
        this.closed++;
      },
    };
  };
}

describe('ensureNodeCredentials (agent join)', () => {
  let dir: string;
  let logs: string;
  let ca: CertificateAuthority;
  let discovered: Array<{ host: string; port: number; pin: string }>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-join-'));
    logs = '';
    ca = makeCa();
    discovered = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function options(cluster: FakeCluster, over: Partial<JoinOptions> = {}): JoinOptions {
    const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => ((logs += chunk.toString()), cb()) });
    return {
      server: 'https://10.0.0.1:6443',
      token,
      caCertHash: caCertHash(ca.certPem),
      nodeName: 'n1',
      dataDir: dir,
      logger: pino({ level: 'trace' }, sink),
      pollIntervalMs: 5,
      timeoutMs: 5000,
      discoverCa: async (host, port, pin) => {
        discovered.push({ host, port, pin });
        if (pin !== caCertHash(ca.certPem)) throw new Error(`the server's CA does not match --ca-cert-hash: expected ${pin}`);
        return ca.certPem;
      },
      csrApiFor: cluster.api,
      ...over,
    };
  }

  it('pins the CA, sends a node CSR with the token, and stores a working identity', async () => {
    const cluster = new FakeCluster(ca);
    const result = await ensureNodeCredentials(options(cluster));
    expect(result.joined).toBe(true);
    expect(discovered).toEqual([{ host: '10.0.0.1', port: 6443, pin: caCertHash(ca.certPem) }]);
    // The token goes only to the pinned server, over the pinned CA.
    expect(cluster.connections).toEqual([{ server: 'https://10.0.0.1:6443', ca: Buffer.from(ca.certPem), token }]);
    expect(cluster.closed).toBe(1);
    const [csr] = [...cluster.csrs.values()];
    expect(csr?.spec).toMatchObject({ signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] });
    expect(csr?.metadata.name).toMatch(/^node-csr-[0-9a-f]{32}$/);

    const paths = nodeCredentialPaths(dir);
    expect(result.kubeconfig).toBe(paths.kubeconfig);
    expect(statSync(paths.clientKey).mode & 0o777).toBe(0o600);
    expect(statSync(paths.kubeconfig).mode & 0o777).toBe(0o600);
    expect(readFileSync(paths.caCert, 'utf8')).toBe(ca.certPem);
    const cert = new X509Certificate(readFileSync(paths.clientCert));
    expect(cert.subject).toContain('CN=system:node:n1');
    expect(cert.subject).toContain('O=system:nodes');
    const conn = loadKubeconfig(paths.kubeconfig);
    expect(conn.server).toBe('https://10.0.0.1:6443');
    expect(conn.ca?.toString()).toBe(ca.certPem);
    expect(conn.key?.toString()).toBe(readFileSync(paths.clientKey, 'utf8'));
    expect(conn.token).toBeUndefined();
    expect(unusableReason(paths.kubeconfig, caCertHash(ca.certPem))).toBeUndefined();
  });

  it('reuses an earlier join without the network, even with an expired or no token', async () => {
    await ensureNodeCredentials(options(new FakeCluster(ca)));
    const refusing = new FakeCluster(ca, 'unauthorized');
    const again = await ensureNodeCredentials(options(refusing, { token: undefined }));
    expect(again.joined).toBe(false);
    expect(discovered).toHaveLength(1);
    expect(refusing.connections).toHaveLength(0);
  });

  it('joins again when the stored identity belongs to another CA than --ca-cert-hash', async () => {
    await ensureNodeCredentials(options(new FakeCluster(ca)));
    ca = makeCa('another');
    const result = await ensureNodeCredentials(options(new FakeCluster(ca)));
    expect(result.joined).toBe(true);
    expect(readFileSync(nodeCredentialPaths(dir).caCert, 'utf8')).toBe(ca.certPem);
  });

  it('refuses a wrong CA hash before any request carries the token', async () => {
    const cluster = new FakeCluster(ca);
    const wrong = `sha256:${'0'.repeat(64)}`;
    await expect(ensureNodeCredentials(options(cluster, { caCertHash: wrong }))).rejects.toThrow(/^join refused: the server's CA does not match --ca-cert-hash/);
    expect(cluster.connections).toHaveLength(0);
    expect(() => statSync(nodeCredentialPaths(dir).kubeconfig)).toThrow();
  });

  const refusals: Array<[string, Partial<JoinOptions>, RegExp]> = [
    ['a malformed token', { token: 'not-a-token-0123456789abcdef' }, /^join refused: --token is not a bootstrap token/],
    ['a malformed hash', { caCertHash: 'md5:abc' }, /^join refused: --ca-cert-hash must be sha256:<64 hex digits>/],
    ['a plain-http server', { server: 'http://10.0.0.1:6443' }, /^join failed: --server must be an https:\/\/ URL/],
  ];
  it.each(refusals)('refuses %s without touching the network', async (_name, over, message) => {
    const cluster = new FakeCluster(ca);
    await expect(ensureNodeCredentials(options(cluster, over))).rejects.toThrow(message);
    expect(discovered).toHaveLength(0);
    expect(cluster.connections).toHaveLength(0);
  });

  it('needs --token and --ca-cert-hash when there is nothing to reuse', async () => {
    await expect(ensureNodeCredentials(options(new FakeCluster(ca), { token: undefined }))).rejects.toThrow(/joining needs --token and --ca-cert-hash/);
  });

  it('says the token is invalid or expired on 401', async () => {
    const err = await ensureNodeCredentials(options(new FakeCluster(ca, 'unauthorized'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JoinError);
    expect((err as Error).message).toBe('join refused: the bootstrap token is invalid or expired (401 Unauthorized)');
  });

  it('reports a denied request with the reason', async () => {
    await expect(ensureNodeCredentials(options(new FakeCluster(ca, 'deny')))).rejects.toThrow(/^join refused: the certificate signing request node-csr-\w+ was denied \(AutoDenied: nope\)$/);
  });

  it('gives up after the timeout with a clear message, and writes nothing', async () => {
    const err = await ensureNodeCredentials(options(new FakeCluster(ca, 'never'), { timeoutMs: 50 })).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^join failed: no certificate was issued for node-csr-\w+ within 0 s \(it is still pending approval\)$/);
    expect(() => statSync(nodeCredentialPaths(dir).clientKey)).toThrow();
  });

  it('rejects a certificate signed by another CA than the pinned one', async () => {
    const cluster = new FakeCluster(makeCa('impostor'));
    await expect(ensureNodeCredentials(options(cluster))).rejects.toThrow(/^join failed: the issued certificate is not signed by the pinned cluster CA$/);
  });

  it('never logs or reports the token secret', async () => {
    const messages: string[] = [];
    for (const cluster of [new FakeCluster(ca), new FakeCluster(ca, 'unauthorized'), new FakeCluster(ca, 'deny')]) {
      rmSync(dir, { recursive: true, force: true });
      await ensureNodeCredentials(options(cluster)).catch((e: unknown) => messages.push(String(e)));
    }
    await ensureNodeCredentials(options(new FakeCluster(ca), { token: `${token}x`, dataDir: join(dir, 'other') })).catch((e: unknown) => messages.push(String(e)));
    expect(messages).toHaveLength(3);
    expect(logs).toContain('joined');
    expect(logs).not.toContain(secret);
    expect(messages.join('\n')).not.toContain(secret);
  });
});

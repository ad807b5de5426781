import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/index.js';
import { FakeRuntime } from '../../agent/kubelet/index.js';
import { startLogServer, type LogServer } from '../../agent/kubelet/logs/log-server.js';
import { ensureServingCertificate } from '../../agent/kubelet/server/serving-certificate.js';
import { kubeletEndpointTls } from '../../agent/cmd/agent.js';
import type { CertificateAndKey } from '../../pki/index.js';
import { makeCa, makeLeaf } from './pki-fixtures.js';

interface Answer {
  status: number;
  body: string;
}

function get(port: number, path: string, client?: CertificateAndKey): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port, path, rejectUnauthorized: false, ...(client ? { cert: client.certPem, key: client.keyPem } : {}), agent: false },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the kubelet endpoint over HTTPS', () => {
  const ca = makeCa('cluster-ca');
  const apiServerClient = makeLeaf(ca, 'client', 'kube-apiserver-kubelet-client', ['system:masters']);
  const admin = makeLeaf(ca, 'client', 'kubernetes-admin', ['system:masters']);
  const otherNode = makeLeaf(ca, 'client', 'system:node:n2', ['system:nodes']);
  const stranger = makeLeaf(makeCa('other-ca'), 'client', 'kube-apiserver-kubelet-client', ['system:masters']);
  let dir: string;
  let server: LogServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-tls-'));
    const serving = ensureServingCertificate(join(dir, 'pki'), 'n1', ['127.0.0.1']);
    server = await startLogServer(
      { runtime: new FakeRuntime(new FakeClock()), findPod: () => undefined, logsRoot: dir, log: pino({ level: 'silent' }) },
      '127.0.0.1',
      0,
      { ...serving, clientCaPem: ca.certPem },
    );
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the API server's kubelet client certificate and admins", async () => {
    expect(await get(server.port, '/healthz', apiServerClient)).toEqual({ status: 200, body: 'ok' });
    expect((await get(server.port, '/healthz', admin)).status).toBe(200);
    expect((await get(server.port, '/containerLogs/ns/p/c', apiServerClient)).status).toBe(404);
  });

  it('refuses another node with upstream-style 403', async () => {
    expect(await get(server.port, '/containerLogs/ns/p/c', otherNode)).toEqual({
      status: 403,
      body: 'Forbidden (user=system:node:n2, verb=get, resource=nodes, subresource=proxy)',
    });
  });

  it('refuses an exec upgrade from another node before it reaches the runtime', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = https.request({
        host: '127.0.0.1', port: server.port, path: '/exec/ns/p/c?command=sh&stdout=1', rejectUnauthorized: false, agent: false,
        cert: otherNode.certPem, key: otherNode.keyPem, headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1' },
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => resolve(101));
      req.on('error', reject);
      req.end();
    });
    expect(answer).toBe(403);
  });

  it('does not complete a handshake without a client certificate, or with one from another CA', async () => {
    await expect(get(server.port, '/healthz')).rejects.toThrow();
    await expect(get(server.port, '/healthz', stranger)).rejects.toThrow();
  });

  it('does not speak plain HTTP', async () => {
    const res = await new Promise<number | Error>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/healthz', agent: false }, (r) => resolve(r.statusCode ?? 0)).on('error', resolve);
    });
    expect(res).toBeInstanceOf(Error);
  });
});

describe('the kubelet serving certificate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-cert-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is self-signed for the node, kept with a 0600 key, and reused on the next start', () => {
    const first = ensureServingCertificate(dir, 'n1', ['10.0.0.7']);
    const cert = new X509Certificate(first.certPem);
    expect(cert.subject).toMatch(/CN=n1@\d+/);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('IP Address:10.0.0.7');
    expect(cert.subjectAltName).toContain('DNS:n1');
    expect(statSync(join(dir, 'kubelet.key')).mode & 0o777).toBe(0o600);
    expect(ensureServingCertificate(dir, 'n1', ['10.0.0.7'])).toEqual(first);
    expect(readFileSync(join(dir, 'kubelet.crt'), 'utf8')).toBe(first.certPem);
  });

  it('is made again when the node gets a new address', () => {
    const first = ensureServingCertificate(dir, 'n1', ['10.0.0.7']);
    const second = ensureServingCertificate(dir, 'n1', ['10.0.0.8']);
    expect(second.certPem).not.toBe(first.certPem);
  });
});

describe('kubeletEndpointTls (which mode the agent serves)', () => {
  const ca = makeCa();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-mode-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const flags = (): { dataDir: string; nodeName: string; nodeIP: string } => ({ dataDir: dir, nodeName: 'n1', nodeIP: '127.0.0.1' });

  it('is HTTPS verifying clients against the cluster CA for an https kubeconfig', () => {
    const tls = kubeletEndpointTls({ server: 'https://127.0.0.1:6443', ca: Buffer.from(ca.certPem) }, flags());
    expect(tls?.clientCaPem).toBe(ca.certPem);
    expect(tls?.certPem).toBe(readFileSync(join(dir, 'pki', 'kubelet.crt'), 'utf8'));
  });
  it('is plain HTTP for a plain-http kubeconfig', () => {
    expect(kubeletEndpointTls({ server: 'http://127.0.0.1:8080' }, flags())).toBeUndefined();
  });
  it('refuses an https kubeconfig without a CA rather than serving unauthenticated', () => {
    expect(() => kubeletEndpointTls({ server: 'https://127.0.0.1:6443' }, flags())).toThrow(/needs the cluster CA/);
  });
});

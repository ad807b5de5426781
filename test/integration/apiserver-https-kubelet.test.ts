// A secure `skiff server` dials kubelets over HTTPS with its apiserver-kubelet-client certificate: a fake
// kubelet that, like the real agent, requires a client certificate signed by the cluster CA answers pods/log
// and an exec upgrade, and reports which identity called it.
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, issueCertificate } from '../../pki/index.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

function callerOf(socket: TLSSocket): string {
  const cn = socket.getPeerCertificate().subject?.CN;
  return Array.isArray(cn) ? cn.join(',') : (cn ?? '');
}

describe('pod streams to an HTTPS kubelet', () => {
  let server: SkiffServer;
  let kubelet: https.Server;
  const seen: string[] = [];

  beforeAll(async () => {
    server = await startSkiffServer();
    const caPem = readFileSync(join(server.dataDir, 'pki', 'ca.crt'), 'utf8');
    // The kubelet's serving certificate is self-signed, as the agent's default; the API server must not verify it.
    const keys = generateRsaKeyPair();
    const cert = issueCertificate(
      { commonName: 'fake-kubelet', subjectAltNames: ['127.0.0.1'], usage: 'server', validityMs: 3600_000, publicKeyPem: keys.publicKeyPem },
      { signingKeyPem: keys.privateKeyPem },
    );
    kubelet = https.createServer({ cert, key: keys.privateKeyPem, ca: caPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`log line for ${callerOf(req.socket as TLSSocket)}\n`);
    });
    kubelet.on('upgrade', (req, socket) => {
      seen.push(req.url ?? '');
      socket.end(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${String(req.headers.upgrade)}\r\n\r\nexec by ${callerOf(socket as TLSSocket)}`);
    });
    await new Promise<void>((resolve) => kubelet.listen(0, '127.0.0.1', resolve));
    const port = (kubelet.address() as AddressInfo).port;

    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'k' } };
    expect((await server.request('/api/v1/nodes', { method: 'POST', jsonBody: node })).status).toBe(201);
    const status = { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } } };
    const patched = await server.request('/api/v1/nodes/k/status', {
      method: 'PATCH',
      body: JSON.stringify(status),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patched.status, patched.body).toBe(200);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'k', containers: [{ name: 'c', image: 'busybox' }] } };
    expect((await server.request('/api/v1/namespaces/default/pods', { method: 'POST', jsonBody: pod })).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    kubelet?.closeAllConnections();
    await new Promise<void>((resolve) => (kubelet ? kubelet.close(() => resolve()) : resolve()));
    await server?.stop();
  });

  it('proxies pods/log over HTTPS as kube-apiserver-kubelet-client', async () => {
    const res = await server.request('/api/v1/namespaces/default/pods/p/log?tailLines=5');
    expect(res.status, res.body).toBe(200);
    expect(res.body).toBe('log line for kube-apiserver-kubelet-client\n');
    expect(seen).toContain('/containerLogs/default/p/c?tailLines=5');
  });

  it('refuses an exec upgrade without credentials with a 401 Status, before dialling the kubelet', async () => {
    const before = seen.length;
    const c = server.connection();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request(new URL('/api/v1/namespaces/default/pods/p/exec?command=true&stdout=1', c.server), {
        method: 'GET',
        ...(c.ca ? { ca: c.ca } : {}),
        agent: false,
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      });
      req.once('upgrade', () => reject(new Error('upgraded without credentials')));
      req.once('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString('utf8')));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.once('error', reject);
      req.end();
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect(seen.length).toBe(before);
  });

  it('passes an exec upgrade through to the kubelet over HTTPS as kube-apiserver-kubelet-client', async () => {
    const c = server.connection();
    const text = await new Promise<string>((resolve, reject) => {
      const req = https.request(new URL('/api/v1/namespaces/default/pods/p/exec?command=true&stdout=1', c.server), {
        method: 'GET',
        ...(c.ca ? { ca: c.ca } : {}),
        ...(c.cert ? { cert: c.cert } : {}),
        ...(c.key ? { key: c.key } : {}),
        agent: false,
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'v5.channel.k8s.io' },
      });
      req.once('upgrade', (_res, socket, head) => {
        let out = head.toString('utf8');
        socket.on('data', (d: Buffer) => (out += d.toString('utf8')));
        socket.once('close', () => resolve(out));
      });
      req.once('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString('utf8')));
        res.once('end', () => reject(new Error(`no upgrade: HTTP ${res.statusCode}: ${body}`)));
      });
      req.once('error', reject);
      req.end();
    });
    expect(text).toBe('exec by kube-apiserver-kubelet-client');
    expect(seen.some((u) => u.startsWith('/exec/default/p/c?'))).toBe(true);
  });
});

// The API server's pod stream proxying against a fake kubelet on loopback: logs stream unbuffered and
// stop the kubelet request when the client leaves, the kubelet's errors become Status, exec upgrades are
// authorized and passed through byte for byte, and port-forward passes SPDY through but refuses the
// WebSocket tunnel kubectl tries first.
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { ForbiddenError } from '../../api/errors.js';
import type { Node, Pod } from '../../api/index.js';
import { findResource, storageKey } from '../../api/resources.js';
import { createApiServer, type ApiServer, type AuthorizationAttributes } from '../../control-plane/apiserver/index.js';
import { MemoryStore } from './memory-store.js';

const podsResource = findResource('', 'v1', 'pods')!;
const nodesResource = findResource('', 'v1', 'nodes')!;

interface FakeKubelet {
  server: http.Server;
  port: number;
  requests: string[];
  /** Upgraded sockets, which server.close() would wait for. */
  upgraded: Set<Duplex>;
  /** Resolves when the log request that is streaming is closed by the API server. */
  logClosed: Promise<void>;
  /** Sends more of the streaming log. */
  more(text: string): void;
}

async function startFakeKubelet(): Promise<FakeKubelet> {
  const requests: string[] = [];
  let streaming: http.ServerResponse | undefined;
  let closed!: () => void;
  const logClosed = new Promise<void>((r) => (closed = r));
  const upgraded = new Set<Duplex>();
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://k');
    if (url.pathname === '/containerLogs/ns/web/app' && url.searchParams.get('follow') === 'true') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first\n');
      streaming = res;
      req.once('close', () => closed());
      return;
    }
    if (url.pathname === '/containerLogs/ns/web/app') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('whole log\n');
      return;
    }
    if (url.pathname === '/containerLogs/ns/web/gone') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('pod "web" not found on this node');
      return;
    }
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('previous terminated container "app" in pod "web" not found');
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false) });
  server.on('upgrade', (req, socket, head) => {
    if (/spdy/i.test(String(req.headers.upgrade))) {
      // A raw upgraded byte stream that echoes, standing in for SPDY: whatever arrives first shows up here.
      requests.push(`spdy ${req.method ?? ''} ${req.url ?? ''} head=${head.length}`);
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
      socket.on('data', (d: Buffer) => socket.write(d));
      upgraded.add(socket);
      return;
    }
    requests.push(`upgrade ${req.url ?? ''} auth=${req.headers.authorization ?? 'none'}`);
    upgraded.add(socket);
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (d: Buffer) => ws.send(Buffer.concat([Buffer.from([1]), d.subarray(1)]))));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    server, requests, logClosed, upgraded,
    port: (server.address() as AddressInfo).port,
    more: (t) => streaming?.write(t),
  };
}

let kubelet: FakeKubelet;
let api: ApiServer;
let base = '';
let denied: ((a: AuthorizationAttributes) => boolean) = () => false;

beforeEach(async () => {
  denied = () => false;
  kubelet = await startFakeKubelet();
  const store = new MemoryStore();
  api = createApiServer({
    store,
    logger: pino({ level: 'silent' }),
    authorizer: { authorize: (a) => (denied(a) ? Promise.reject(new ForbiddenError(`forbidden: ${a.verb} ${a.resource}/${a.subresource ?? ''}`)) : Promise.resolve()) },
  });
  base = (await api.listen({ host: '127.0.0.1', port: 0 })).url;
  const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } } };
  await store.create(storageKey(nodesResource, undefined, 'n1'), node);
  const pod = (name: string, nodeName?: string): Pod => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app', image: 'x' }, ...(name === 'web' ? [{ name: 'gone', image: 'x' }] : [])] },
  });
  await store.create(storageKey(podsResource, 'ns', 'web'), pod('web', 'n1'));
  await store.create(storageKey(podsResource, 'ns', 'pending'), pod('pending'));
  await store.create(storageKey(podsResource, 'ns', 'solo'), { ...pod('solo', 'n1') });
}, 30_000);

afterEach(async () => {
  await api?.stop();
  kubelet?.server.closeAllConnections();
  for (const socket of kubelet?.upgraded ?? []) socket.destroy();
  await new Promise((r) => kubelet?.server.close(() => r(undefined)));
});

async function status(path: string): Promise<{ code: number; body: { message?: string; reason?: string } }> {
  const res = await fetch(base + path);
  return { code: res.status, body: (await res.json()) as { message?: string; reason?: string } };
}

describe('pods/log', () => {
  it('proxies the kubelet log with the options passed on', async () => {
    const res = await fetch(`${base}/api/v1/namespaces/ns/pods/web/log?container=app&tailLines=3&timestamps=true`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('whole log\n');
    expect(kubelet.requests).toContain('/containerLogs/ns/web/app?tailLines=3&timestamps=true');
  });

  it('streams a follow unbuffered and ends the kubelet request when the client leaves', async () => {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/namespaces/ns/pods/web/log?container=app&follow=true`, { signal: abort.signal });
    const reader = res.body!.getReader();
    const read = async (): Promise<string> => Buffer.from((await reader.read()).value ?? []).toString();
    expect(await read()).toBe('first\n');
    kubelet.more('second\n');
    expect(await read()).toBe('second\n');
    abort.abort();
    await kubelet.logClosed;
  }, 30_000);

  const errors: { what: string; path: string; code: number; reason: string; message: string }[] = [
    { what: 'a missing pod', path: '/api/v1/namespaces/ns/pods/nope/log', code: 404, reason: 'NotFound', message: 'pods "nope" not found' },
    { what: 'an unbound pod', path: '/api/v1/namespaces/ns/pods/pending/log?container=app', code: 400, reason: 'BadRequest', message: 'pod pending does not have a host assigned' },
    { what: 'an unnamed container of a two-container pod', path: '/api/v1/namespaces/ns/pods/web/log', code: 400, reason: 'BadRequest', message: 'a container name must be specified for pod web, choose one of: [app gone]' },
    { what: 'an unknown container', path: '/api/v1/namespaces/ns/pods/web/log?container=x', code: 400, reason: 'BadRequest', message: 'container x is not valid for pod web' },
    { what: 'the kubelet\'s 404', path: '/api/v1/namespaces/ns/pods/web/log?container=gone', code: 404, reason: 'NotFound', message: 'pod "web" not found on this node' },
    { what: 'the kubelet\'s 400', path: '/api/v1/namespaces/ns/pods/solo/log?previous=true', code: 400, reason: 'BadRequest', message: 'previous terminated container "app" in pod "web" not found' },
  ];
  for (const e of errors) {
    it(`answers ${e.what} with a Status`, async () => {
      expect(await status(e.path)).toEqual({ code: e.code, body: expect.objectContaining({ kind: 'Status', reason: e.reason, message: e.message }) });
    });
  }

  it('authorizes get on pods/log', async () => {
    denied = (a) => a.subresource === 'log' && a.verb === 'get' && a.resource === 'pods';
    expect((await status('/api/v1/namespaces/ns/pods/web/log?container=app')).code).toBe(403);
  });
});

function connect(path: string): Promise<{ ws?: WebSocket; status?: number; body?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base.replace(/^http/, 'ws') + path, ['v5.channel.k8s.io'], { headers: { authorization: 'Bearer secret' } });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

describe('pods/exec and pods/attach', () => {
  it('passes an exec upgrade through to the kubelet with its query, without the caller\'s credentials', async () => {
    const { ws } = await connect('/api/v1/namespaces/ns/pods/web/exec?container=app&command=cat&stdin=true&stdout=true');
    expect(ws?.protocol).toBe('v5.channel.k8s.io');
    const echoed = new Promise<Buffer>((r) => ws!.once('message', (d: Buffer) => r(d)));
    ws!.send(Buffer.from([0, 104, 105]));
    expect([...(await echoed)]).toEqual([1, 104, 105]);
    ws!.close();
    expect(kubelet.requests).toContain('upgrade /exec/ns/web/app?container=app&command=cat&stdin=true&stdout=true auth=none');
  });

  it('defaults the container of attach like logs', async () => {
    const { ws } = await connect('/api/v1/namespaces/ns/pods/solo/attach?stdout=true');
    ws?.close();
    expect(kubelet.requests.some((r) => r.startsWith('upgrade /attach/ns/solo/app?'))).toBe(true);
  });

  it('refuses upgrades the authorizer denies (create pods/exec) and invalid containers, before the kubelet', async () => {
    denied = (a) => a.verb === 'create' && a.subresource === 'exec';
    const forbidden = await connect('/api/v1/namespaces/ns/pods/web/exec?container=app&command=ls&stdout=true');
    expect(forbidden.status).toBe(403);
    denied = () => false;
    const bad = await connect('/api/v1/namespaces/ns/pods/web/exec?container=x&command=ls&stdout=true');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body ?? '{}')).toMatchObject({ kind: 'Status', message: 'container x is not valid for pod web' });
    expect(kubelet.requests.filter((r) => r.startsWith('upgrade'))).toEqual([]);
  });

  it('answers a request without upgrade with 400 Upgrade request required', async () => {
    expect(await status('/api/v1/namespaces/ns/pods/web/exec?command=ls')).toEqual({ code: 400, body: expect.objectContaining({ message: 'Upgrade request required' }) });
  });

  it('refuses port-forward tunnelled over WebSocket, so that kubectl falls back to SPDY', async () => {
    // The ws client refuses this subprotocol name (it has a '/'), so the handshake is written by hand.
    const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get(`${base}/api/v1/namespaces/ns/pods/web/portforward`, {
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'SPDY/3.1+portforward.k8s.io' },
      });
      req.once('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.once('upgrade', (_res, socket) => {
        socket.destroy();
        reject(new Error('the tunnelled upgrade was accepted'));
      });
      req.once('error', reject);
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toMatch(/SPDY\/3\.1\+portforward\.k8s\.io/);
  });

  it('passes a SPDY port-forward upgrade (a bodiless POST) through to the kubelet\'s /portForward, byte for byte', async () => {
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
    try {
      let got = '';
      socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
      socket.write('POST /api/v1/namespaces/ns/pods/web/portforward HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\nContent-Length: 0\r\n\r\n');
      const deadline = Date.now() + 10_000;
      while (!got.includes('\r\n\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(got).toMatch(/^HTTP\/1\.1 101 /);
      expect(got).toContain('X-Stream-Protocol-Version: portforward.k8s.io');
      got = '';
      socket.write('ping');
      while (got !== 'ping' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(got).toBe('ping');
      expect(kubelet.requests).toContain('spdy POST /portForward/ns/web head=0');
    } finally {
      socket.destroy();
    }
  });

  it('answers upgrades of other paths with 404', async () => {
    expect((await connect('/api/v1/namespaces/ns/pods')).status).toBe(404);
  });
});

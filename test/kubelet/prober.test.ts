import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../client/index.js';
import { FakeRuntime } from '../../agent/kubelet/fake-runtime.js';
import { runAction } from '../../agent/kubelet/probes/index.js';

let server: http.Server;
let port = 0;
let seenHeaders: http.IncomingHttpHeaders = {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenHeaders = req.headers;
    const code = Number(req.url?.slice(1)) || 200;
    if (req.url === '/slow') return; // never answers
    res.writeHead(code);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const target = () => ({ containerId: 'c1', container: { name: 'app', ports: [{ name: 'http', containerPort: port }] }, podIP: '127.0.0.1' });
const runtime = new FakeRuntime(new FakeClock(0));

describe('probe actions', () => {
  it.each([
    ['/200', 'success'],
    ['/302', 'success'],
    ['/399', 'success'],
    ['/400', 'failure'],
    ['/500', 'failure'],
  ])('httpGet %s is a %s', async (path, result) => {
    const out = await runAction(runtime, { httpGet: { path, port } }, target(), 2);
    expect(out.result).toBe(result);
  });

  it('sends httpHeaders and resolves a named port', async () => {
    const out = await runAction(runtime, { httpGet: { path: '/200', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } }, target(), 2);
    expect(out.result).toBe('success');
    expect(seenHeaders['x-probe']).toBe('yes');
    expect(seenHeaders['user-agent']).toMatch(/^kube-probe\//);
  });

  it('fails an httpGet that does not answer within timeoutSeconds', async () => {
    const out = await runAction(runtime, { httpGet: { path: '/slow', port } }, target(), 1);
    expect(out.result).toBe('failure');
  });

  it('succeeds a tcpSocket probe on a listening port and fails on a closed one', async () => {
    expect((await runAction(runtime, { tcpSocket: { port } }, target(), 1)).result).toBe('success');
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    expect((await runAction(runtime, { tcpSocket: { port: closed } }, target(), 1)).result).toBe('failure');
  });

  it('runs exec through CRI ExecSync and judges by exit code', async () => {
    const c = await runtime.createContainer({ config: { metadata: { name: 'app' } } });
    runtime.onExec = (_c, cmd) => (cmd[0] === 'ok' ? 0 : 1);
    const t = { ...target(), containerId: c.container_id };
    expect((await runAction(runtime, { exec: { command: ['ok'] } }, t, 1)).result).toBe('success');
    expect((await runAction(runtime, { exec: { command: ['bad'] } }, t, 1)).result).toBe('failure');
  });
});

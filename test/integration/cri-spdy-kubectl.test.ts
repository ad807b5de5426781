// The real kubectl's SPDY client (moby/spdystream underneath) against the CRI streaming server. Between
// them sits a minimal stand-in for the API server and kubelet written here: it serves discovery and one
// Running pod, and relays exec/port-forward upgrades byte for byte to a fresh CRI streaming URL, so what
// is under test is exactly the SPDY conversation between kubectl and agent/cri/streaming-server.ts.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCriHarness, runPod, waitFor, freePortForTest, type CriHarness } from '../support/docker.js';
import { kubectlAvailable, kubectlFor, type Kubectl } from '../support/kubectl.js';

const webServer = ['sh', '-c', 'mkdir -p /var/www && echo hello-through-kubectl > /var/www/index.html && exec httpd -f -p 8080 -h /var/www'];

let h: CriHarness;
let front: http.Server;
let kubectl: Kubectl;
let dir: string;
let sandboxId = '';
let containerId = '';
const upgradesSeen: string[] = [];

function json(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'spdy-kubectl-web' },
  spec: { containers: [{ name: 'web', image: 'skiff/busybox:v1' }] },
  status: { phase: 'Running' },
};

function serveApi(req: http.IncomingMessage, res: http.ServerResponse): void {
  const p = new URL(req.url ?? '/', 'http://x').pathname;
  if (p === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
  if (p === '/apis') return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
  if (p === '/api/v1') {
    return json(res, 200, {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [
        { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'] },
        { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
        { name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      ],
    });
  }
  if (p === '/api/v1/namespaces/default/pods/web') return json(res, 200, pod);
  json(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${p} not found` });
}

/** Relays an upgrade request to `target` (a CRI streaming URL), then pipes raw bytes both ways. */
function relay(req: http.IncomingMessage, socket: Duplex, head: Buffer, target: string): void {
  const u = new URL(target);
  const upstream = net.connect(Number(u.port), u.hostname);
  const keep = ['connection', 'upgrade', 'x-stream-protocol-version'];
  const lines = [`POST ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (keep.includes(req.rawHeaders[i]!.toLowerCase())) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  }
  upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length) upstream.write(head);
  upstream.pipe(socket);
  socket.pipe(upstream);
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
  socket.on('close', () => upstream.destroy());
}

async function onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const upgrade = String(req.headers.upgrade ?? '');
  upgradesSeen.push(`${url.pathname.split('/').pop()} ${upgrade}`);
  if (!/^spdy\/3\.1$/i.test(upgrade)) {
    // The API server of this test only relays SPDY; kubectl should fall back to it.
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 22\r\n\r\nonly SPDY/3.1 relayed\n');
    return;
  }
  const q = url.searchParams;
  if (url.pathname.endsWith('/exec')) {
    const { url: target } = await h.client.exec({
      container_id: containerId,
      cmd: q.getAll('command'),
      stdin: q.get('stdin') === 'true',
      stdout: q.get('stdout') === 'true',
      stderr: q.get('stderr') === 'true',
      tty: q.get('tty') === 'true',
    });
    relay(req, socket, head, target);
  } else if (url.pathname.endsWith('/portforward')) {
    const { url: target } = await h.client.portForward({ pod_sandbox_id: sandboxId, port: [] });
    relay(req, socket, head, target);
  } else {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  }
}

const available = kubectlAvailable();

beforeAll(async () => {
  if (!available) return;
  h = await startCriHarness('cri-spdy-kubectl');
  const p = await runPod(h, 'web', [{ name: 'web', command: webServer }]);
  sandboxId = p.sandboxId;
  containerId = p.containerIds[0] ?? '';
  front = http.createServer(serveApi);
  front.on('upgrade', (req, socket, head) => {
    onUpgrade(req, socket, head).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', () => resolve()));
  const { port } = front.address() as net.AddressInfo;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-spdy-kubectl-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config',
    'clusters: [{name: c, cluster: {server: "http://127.0.0.1:' + port + '"}}]',
    'users: [{name: u, user: {}}]',
    'contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]',
    'current-context: x', '',
  ].join('\n'));
  kubectl = kubectlFor(kubeconfig);
  await waitFor('httpd in the pod', async () => {
    const r = await h.client.execSync({ container_id: containerId, cmd: ['sh', '-c', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 3 127.0.0.1 8080'], timeout: 10 });
    return r.stdout.toString().includes('hello-through-kubectl');
  }, 30_000, 250);
});

afterAll(async () => {
  delete process.env['KUBECTL_REMOTE_COMMAND_WEBSOCKETS'];
  await kubectl?.cleanup();
  front?.closeAllConnections();
  await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
  await h?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.runIf(available)('the real kubectl over SPDY to the CRI streaming server', () => {
  const spdyOnly = (): void => {
    process.env['KUBECTL_REMOTE_COMMAND_WEBSOCKETS'] = 'false';
  };

  it('kubectl exec (SPDY forced) gets stdout, stderr and exit code 3', async () => {
    spdyOnly();
    const r = await kubectl.run(['exec', 'web', '--', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 3'], { timeoutMs: 60_000 });
    expect(r.stdout).toBe('to-out\n');
    expect(r.stderr).toContain('to-err');
    expect(r.code, r.stderr).toBe(3);
    expect(upgradesSeen).toContain('exec SPDY/3.1');
  });

  it('kubectl exec -i (SPDY forced) feeds stdin through to cat', async () => {
    spdyOnly();
    const input = 'first line\nsecond line\n'.repeat(5000); // ~115 KB: past one flow-control window
    const r = await kubectl.run(['exec', '-i', 'web', '--', 'cat'], { input, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBe(input.length);
    expect(r.stdout === input).toBe(true);
  });

  it('kubectl exec (SPDY forced) receives output far larger than one flow-control window', async () => {
    spdyOnly();
    const r = await kubectl.run(['exec', 'web', '--', 'sh', '-c', 'head -c 2000000 /dev/zero | tr "\\000" a'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBe(2_000_000);
    expect(/^a+$/.test(r.stdout)).toBe(true);
  });

  it('kubectl port-forward falls back from WebSocket to SPDY and forwards HTTP to the pod', async () => {
    const local = await freePortForTest();
    const pf = kubectl.stream(['port-forward', 'pod/web', `${local}:8080`, '--address', '127.0.0.1']);
    try {
      await pf.waitForLine(/Forwarding from 127\.0\.0\.1:\d+ -> 8080/, 30_000);
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`http://127.0.0.1:${local}/index.html`, { signal: AbortSignal.timeout(15_000) });
        expect(res.status).toBe(200);
        expect((await res.text()).trim()).toBe('hello-through-kubectl');
      }
      // kubectl first asks for a WebSocket tunnel, is refused, and falls back to SPDY/3.1.
      const portForwards = upgradesSeen.filter((u) => u.startsWith('portforward'));
      expect(portForwards[0]).toMatch(/websocket/i);
      expect(portForwards).toContain('portforward SPDY/3.1');
    } finally {
      await pf.stop();
    }
  });
});

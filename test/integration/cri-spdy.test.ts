// The CRI streaming server over SPDY/3.1 against the real Docker engine, driven by a client built on the
// same session code in client mode: what crictl and kubectl's SPDY path do, stream for stream.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpdySession, type SpdyStream } from '../../agent/cri/spdy/index.js';
import { startCriHarness, runPod, waitFor, type CriHarness } from '../support/docker.js';

let h: CriHarness;
const sessions: SpdySession[] = [];

beforeAll(async () => {
  h = await startCriHarness('cri-spdy');
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  await h?.cleanup();
});

const webServer = ['sh', '-c', 'mkdir -p /var/www && echo hello-over-spdy > /var/www/index.html && exec httpd -f -p 8080 -h /var/www'];

interface Upgraded {
  session: SpdySession;
  res: http.IncomingMessage;
}

/** The HTTP upgrade as kubectl's SPDY round tripper sends it. */
function connect(url: string, protocols: string[]): Promise<Upgraded> {
  const u = new URL(url);
  const req = http.request({
    host: u.hostname,
    port: u.port,
    path: u.pathname + u.search,
    method: 'POST',
    headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', ...(protocols.length ? { 'X-Stream-Protocol-Version': protocols } : {}) },
  });
  req.end();
  return new Promise((resolve, reject) => {
    req.on('upgrade', (res, socket, head) => {
      const session = new SpdySession(socket, { mode: 'client', head });
      sessions.push(session);
      resolve({ session, res });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
    });
    req.on('error', reject);
  });
}

function collect(s: SpdyStream): { text(): string; done: Promise<void> } {
  const parts: Buffer[] = [];
  s.on('data', (c: Buffer) => parts.push(c));
  return {
    text: () => Buffer.concat(parts).toString('utf8'),
    done: new Promise((resolve) => {
      s.once('end', () => resolve());
      s.once('close', () => resolve());
    }),
  };
}

function sessionClosed(session: SpdySession): Promise<void> {
  return new Promise((resolve) => (session.isOpen ? session.once('close', () => resolve()) : resolve()));
}

describe('the CRI streaming server over SPDY/3.1', () => {
  let sandboxId: string;
  let webId: string;

  beforeAll(async () => {
    const pod = await runPod(h, 'spdy', [{ name: 'web', command: webServer }]);
    sandboxId = pod.sandboxId;
    [webId = ''] = pod.containerIds;
  });

  it('negotiates v4.channel.k8s.io and answers 101 with the SPDY upgrade headers', async () => {
    const { url } = await h.client.exec({ container_id: webId, cmd: ['true'], stdout: true });
    const { res, session } = await connect(url, ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']);
    expect(res.statusCode).toBe(101);
    expect(res.headers['upgrade']).toBe('SPDY/3.1');
    expect(res.headers['connection']).toMatch(/upgrade/i);
    expect(res.headers['x-stream-protocol-version']).toBe('v4.channel.k8s.io');
    const error = collect(session.open({ streamType: 'error' }));
    session.open({ streamType: 'stdout' }).resume();
    await error.done;
    expect(JSON.parse(error.text())).toEqual({ metadata: {}, status: 'Success' });
  });

  it('refuses protocols it does not speak with 403', async () => {
    const { url } = await h.client.exec({ container_id: webId, cmd: ['true'], stdout: true });
    await expect(connect(url, ['v9.channel.k8s.io'])).rejects.toThrow(/403/);
  });

  it('exec separates stdout from stderr and reports exit code 3 as a NonZeroExitCode Status', async () => {
    const cmd = ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3'];
    const { url } = await h.client.exec({ container_id: webId, cmd, stdout: true, stderr: true });
    const { session } = await connect(url, ['v4.channel.k8s.io']);
    const error = collect(session.open({ streamType: 'error' }));
    const stdout = collect(session.open({ streamType: 'stdout' }));
    const stderr = collect(session.open({ streamType: 'stderr' }));
    await Promise.all([error.done, stdout.done, stderr.done, sessionClosed(session)]);
    expect(stdout.text()).toBe('to-out\n');
    expect(stderr.text()).toBe('to-err\n');
    const status = JSON.parse(error.text()) as Record<string, unknown>;
    expect(status).toMatchObject({ metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
    expect(status['message']).toMatch(/^command terminated with non-zero exit code/);
  });

  it('exec feeds stdin to the command and ends it on the stream FIN', async () => {
    const { url } = await h.client.exec({ container_id: webId, cmd: ['cat'], stdin: true, stdout: true, stderr: true });
    const { session } = await connect(url, ['v4.channel.k8s.io']);
    const error = collect(session.open({ streamType: 'error' }));
    const stdin = session.open({ streamType: 'stdin' });
    const stdout = collect(session.open({ streamType: 'stdout' }));
    collect(session.open({ streamType: 'stderr' }));
    const big = 'line of stdin\n'.repeat(10_000); // 140 KB: more than one 64 KiB window
    stdin.end(big);
    await Promise.all([error.done, stdout.done]);
    expect(stdout.text()).toBe(big);
    expect(JSON.parse(error.text())).toEqual({ metadata: {}, status: 'Success' });
  });

  it('exec on a TTY applies resize messages from the resize stream', async () => {
    const cmd = ['sh', '-c', 'for i in $(seq 1 100); do [ "$(stty size)" = "33 91" ] && break; sleep 0.1; done; tty; stty size'];
    const { url } = await h.client.exec({ container_id: webId, cmd, tty: true, stdout: true });
    const { session } = await connect(url, ['v4.channel.k8s.io']);
    const error = collect(session.open({ streamType: 'error' }));
    const stdout = collect(session.open({ streamType: 'stdout' }));
    const resize = session.open({ streamType: 'resize' });
    resize.write(JSON.stringify({ Width: 91, Height: 33 }));
    await Promise.all([error.done, stdout.done]);
    expect(stdout.text()).toMatch(/\/dev\/pts\/\d+/);
    expect(stdout.text()).toContain('33 91');
    expect(JSON.parse(error.text())).toEqual({ metadata: {}, status: 'Success' });
  });

  it('v2.channel.k8s.io reports a non-zero exit as plain text', async () => {
    const { url } = await h.client.exec({ container_id: webId, cmd: ['sh', '-c', 'exit 4'], stdout: true });
    const { res, session } = await connect(url, ['v2.channel.k8s.io']);
    expect(res.headers['x-stream-protocol-version']).toBe('v2.channel.k8s.io');
    const error = collect(session.open({ streamType: 'error' }));
    session.open({ streamType: 'stdout' }).resume();
    await error.done;
    expect(error.text()).toMatch(/^command terminated with non-zero exit code.*exit code 4$/);
  });

  it('attach streams a running container\'s output', async () => {
    const { containerIds: [id] = [] } = await runPod(h, 'ticker', [{ name: 'tick', command: ['sh', '-c', 'while true; do echo tick; sleep 0.5; done'] }]);
    const { url } = await h.client.attach({ container_id: id!, stdout: true, stderr: true });
    const { session } = await connect(url, ['v4.channel.k8s.io']);
    collect(session.open({ streamType: 'error' }));
    const stdout = collect(session.open({ streamType: 'stdout' }));
    collect(session.open({ streamType: 'stderr' }));
    await waitFor('attached output', () => stdout.text().includes('tick'), 20_000);
    await session.close();
  });

  it('a SPDY streaming URL works once only', async () => {
    const { url } = await h.client.exec({ container_id: webId, cmd: ['true'], stdout: true });
    const { session } = await connect(url, ['v4.channel.k8s.io']);
    const error = collect(session.open({ streamType: 'error' }));
    session.open({ streamType: 'stdout' }).resume();
    await error.done;
    await expect(connect(url, ['v4.channel.k8s.io'])).rejects.toThrow(/404/);
  });

  it('port-forward pipes a data stream to the pod port and back', async () => {
    const { url } = await h.client.portForward({ pod_sandbox_id: sandboxId, port: [8080] });
    const { res, session } = await connect(url, ['portforward.k8s.io']);
    expect(res.headers['x-stream-protocol-version']).toBe('portforward.k8s.io');
    const body = await waitFor('httpd through the forwarded stream', async () => {
      const requestID = String(Math.floor(Math.random() * 1e9));
      const error = session.open({ streamType: 'error', port: '8080', requestID });
      const errors = collect(error);
      error.end(); // kubectl half-closes its side of the error stream at once
      const data = session.open({ streamType: 'data', port: '8080', requestID });
      const got = collect(data);
      data.write('GET /index.html HTTP/1.0\r\n\r\n');
      await Promise.race([got.done, new Promise((r) => setTimeout(r, 5_000))]);
      if (errors.text()) throw new Error(errors.text()); // httpd not listening yet: try again
      return got.text().includes('hello-over-spdy') ? got.text() : undefined;
    }, 30_000, 500);
    expect(body).toMatch(/^HTTP\/1\.[01] 200/);
  });

  it('port-forward reports a closed pod port on the error stream', async () => {
    const { url } = await h.client.portForward({ pod_sandbox_id: sandboxId, port: [] });
    const { session } = await connect(url, ['portforward.k8s.io']);
    const error = session.open({ streamType: 'error', port: '9', requestID: '1' });
    const errors = collect(error);
    error.end();
    const data = collect(session.open({ streamType: 'data', port: '9', requestID: '1' }));
    await Promise.all([errors.done, data.done]);
    expect(errors.text()).toMatch(/error forwarding port 9 to pod/);
  });
});

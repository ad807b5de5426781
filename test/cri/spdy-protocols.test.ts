// The kubelet protocols on top of SPDY, in memory: remotecommand waits for exactly the streams a request
// implies (and gives up on a client that never opens them); port-forward pairs data and error streams by
// requestID, pipes the data stream to the dialled port and reports dial failures on the error stream.
import { Duplex, PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptRemoteCommand, servePortForward, SpdySession, type SpdyStream } from '../../agent/cri/spdy/index.js';

function socketPair(): [Duplex, Duplex] {
  let a: Duplex;
  let b: Duplex;
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _e, cb) {
        peer().push(chunk);
        cb();
      },
      final(cb) {
        peer().push(null);
        cb();
      },
    });
  a = make(() => b);
  b = make(() => a);
  return [a, b];
}

let sessions: SpdySession[] = [];
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  sessions = [];
});

function pair(): { client: SpdySession; server: SpdySession } {
  const [c, s] = socketPair();
  const client = new SpdySession(c, { mode: 'client' });
  const server = new SpdySession(s, { mode: 'server' });
  sessions.push(client, server);
  return { client, server };
}

function text(s: SpdyStream): Promise<string> {
  const parts: Buffer[] = [];
  s.on('data', (c: Buffer) => parts.push(c));
  return new Promise((resolve) => {
    s.once('end', () => resolve(Buffer.concat(parts).toString()));
    s.once('close', () => resolve(Buffer.concat(parts).toString()));
  });
}

describe('remotecommand over SPDY', () => {
  it('starts once the expected streams exist, delivers stdin and writes the status last', async () => {
    const { client, server } = pair();
    const accepted = acceptRemoteCommand(server, 'v4.channel.k8s.io', { stdin: true, stdout: true, stderr: false, tty: false });
    const error = text(client.open({ streamType: 'error' }));
    const stdin = client.open({ streamType: 'stdin' });
    const stdout = text(client.open({ streamType: 'stdout' }));
    const channels = await accepted;
    const got: string[] = [];
    let ended = false;
    channels.listen({ stdin: (b) => got.push(b.toString()), stdinEnd: () => (ended = true), resize: () => undefined, closed: () => undefined });
    stdin.end('typed');
    await client.ping();
    await server.ping();
    expect(got.join('')).toBe('typed');
    expect(ended).toBe(true);
    channels.stdout(Buffer.from('output'));
    await channels.finish('{"status":"Success"}');
    expect(await stdout).toBe('output');
    expect(await error).toBe('{"status":"Success"}');
    expect(server.isOpen).toBe(false);
  });

  it('gives up and closes the session when the client never opens its streams', async () => {
    const { client, server } = pair();
    const accepted = acceptRemoteCommand(server, 'v4.channel.k8s.io', { stdin: false, stdout: true, stderr: true, tty: false }, 200);
    client.open({ streamType: 'error' });
    await expect(accepted).rejects.toThrow(/timed out waiting for client streams \(have error/);
  });
});

describe('port-forward over SPDY', () => {
  it('pipes a data stream to the dialled port once its error stream exists', async () => {
    const { client, server } = pair();
    const dialled: number[] = [];
    servePortForward(server, (port) => {
      dialled.push(port);
      const echo = new PassThrough(); // the "pod" echoes what it receives
      return echo;
    }, 'pod-1');
    const error = client.open({ streamType: 'error', port: '8080', requestID: '7' });
    error.end();
    const data = client.open({ streamType: 'data', port: '8080', requestID: '7' });
    const back = text(data);
    data.end('ping through the pod');
    expect(await back).toBe('ping through the pod');
    expect(dialled).toEqual([8080]);
  });

  it('writes a dial failure on the error stream', async () => {
    const { client, server } = pair();
    servePortForward(server, () => {
      const d = new PassThrough();
      process.nextTick(() => d.destroy(new Error('connection refused')));
      return d;
    }, 'pod-1');
    const error = client.open({ streamType: 'error', port: '81', requestID: '1' });
    const message = text(error);
    error.end();
    client.open({ streamType: 'data', port: '81', requestID: '1' }).resume();
    expect(await message).toBe('error forwarding port 81 to pod pod-1: connection refused');
  });
});

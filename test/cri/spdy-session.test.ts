// The SPDY session in both modes, wired back to back in memory: streams and their headers, data both
// ways with FIN half-closes, flow control past the 64 KiB window, PING, RST_STREAM and GOAWAY.
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, FrameParser, SpdySession, type Frame, type SpdyStream } from '../../agent/cri/spdy/index.js';

/** Two connected in-memory sockets. */
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

function readAll(s: SpdyStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  s.on('data', (c: Buffer) => parts.push(c));
  return new Promise((resolve) => {
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('close', () => resolve(Buffer.concat(parts)));
  });
}

let sessions: SpdySession[] = [];
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  sessions = [];
});

function pair(): { client: SpdySession; server: SpdySession; serverSocket: Duplex; clientSocket: Duplex } {
  const [c, s] = socketPair();
  const client = new SpdySession(c, { mode: 'client' });
  const server = new SpdySession(s, { mode: 'server' });
  sessions.push(client, server);
  return { client, server, serverSocket: s, clientSocket: c };
}

function nextStream(server: SpdySession): Promise<SpdyStream> {
  return new Promise((resolve) => server.once('stream', resolve));
}

describe('SpdySession', () => {
  it('opens a stream whose headers, reply and data cross in both directions', async () => {
    const { client, server } = pair();
    const incoming = nextStream(server);
    const cs = client.open({ streamType: 'stdout', port: '80' });
    const ss = await incoming;
    expect(ss.id).toBe(1);
    expect(ss.headers).toEqual({ streamtype: 'stdout', port: '80' });
    await ss.reply({ ok: 'yes' });
    expect(await cs.waitReply()).toEqual({ ok: 'yes' });
    const serverGot = readAll(ss);
    const clientGot = readAll(cs);
    cs.end('from client');
    ss.end('from server');
    expect((await serverGot).toString()).toBe('from client');
    expect((await clientGot).toString()).toBe('from server');
  });

  it('uses odd ids for client streams, one header context for many streams', async () => {
    const { client, server } = pair();
    const seen: SpdyStream[] = [];
    server.on('stream', (s) => seen.push(s));
    for (const t of ['error', 'stdin', 'stdout', 'stderr']) client.open({ streamtype: t });
    await client.ping();
    expect(seen.map((s) => [s.id, s.headers['streamtype']])).toEqual([[1, 'error'], [3, 'stdin'], [5, 'stdout'], [7, 'stderr']]);
  });

  it('keeps data flowing past the 64 KiB window with WINDOW_UPDATEs as the reader consumes', async () => {
    const { client, server } = pair();
    const incoming = nextStream(server);
    const cs = client.open({ streamtype: 'data' });
    const ss = await incoming;
    const payload = Buffer.alloc(1024 * 1024, 7);
    const got = readAll(ss);
    cs.end(payload);
    const buf = await got;
    expect(buf.length).toBe(payload.length);
    expect(buf.equals(payload)).toBe(true);
  });

  it('stalls a flow-controlled sender at the window until the reader consumes', async () => {
    const { client, server } = pair();
    const incoming = nextStream(server);
    const cs = client.open({ streamtype: 'data' });
    const ss = await incoming;
    // One small consumed write makes the server send a WINDOW_UPDATE, so the client now honours windows;
    // the PING round trip (queued behind that update) proves the client has seen it.
    const first = new Promise((r) => ss.once('data', r));
    cs.write('x');
    await first;
    await client.ping();
    ss.pause();
    let finished = false;
    cs.write(Buffer.alloc(512 * 1024), () => {
      finished = true;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(finished).toBe(false); // the paused reader has not opened the window
    ss.resume();
    const deadline = Date.now() + 10_000;
    while (!finished && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(finished).toBe(true);
  });

  it('answers a peer PING with the same id', async () => {
    const { client } = pair();
    await expect(client.ping()).resolves.toBeUndefined();
  });

  it('sends RST_STREAM when a stream is destroyed and the peer sees the reset', async () => {
    const { client, server } = pair();
    const incoming = nextStream(server);
    const cs = client.open({ streamtype: 'data' });
    const ss = await incoming;
    const closed = new Promise<void>((r) => ss.once('close', () => r()));
    cs.destroy();
    await closed;
    expect(ss.resetStatus).toBe(5);
  });

  it('sends GOAWAY on close and closes every stream', async () => {
    const { client, server, clientSocket } = pair();
    const frames: Frame[] = [];
    const parser = new FrameParser();
    clientSocket.on('data', (c: Buffer) => frames.push(...parser.push(c)));
    const incoming = nextStream(server);
    const cs = client.open({ streamtype: 'data' });
    await incoming;
    const goaway = new Promise<number>((r) => client.once('goaway', r));
    const csClosed = new Promise<void>((r) => cs.once('close', () => r()));
    await server.close();
    expect(await goaway).toBe(0);
    await csClosed;
    expect(frames.some((f) => f.kind === 'goAway' && f.lastGoodStreamId === 1)).toBe(true);
    expect(client.isOpen).toBe(false);
  });

  it('refuses garbage with GOAWAY PROTOCOL_ERROR', async () => {
    const [c, s] = socketPair();
    const server = new SpdySession(s, { mode: 'server' });
    sessions.push(server);
    const frames: Frame[] = [];
    const parser = new FrameParser();
    c.on('data', (b: Buffer) => frames.push(...parser.push(b)));
    const closed = new Promise<void>((r) => server.once('close', () => r()));
    const bad = encodeFrame({ kind: 'ping', id: 1 });
    bad.writeUInt16BE(0x8002, 0);
    c.write(bad);
    await closed;
    expect(frames).toContainEqual({ kind: 'goAway', lastGoodStreamId: 0, status: 1 });
  });
});

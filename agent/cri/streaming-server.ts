// The streaming server that Exec, Attach and PortForward hand out URLs to, as the CRI expects: an HTTP
// server on loopback, one-time tokens that expire, and two transports for the same sessions: the
// Kubernetes WebSocket channel protocol (see ws-channel.ts) and SPDY/3.1 (see spdy/), which crictl and
// kubectl's fallback path speak. The Docker plumbing is shared: a transport only supplies ExecChannels.
import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { DockerFrameParser } from './docker-stream.js';
import { execExitCode } from './exec-sync.js';
import {
  closeSignal, errorChannel, exitStatusPayload, failureStatusPayload, frame, negotiateStreamProtocol, parsePorts,
  parseResize, portPreamble, resizeChannel, stdinChannel, stdoutChannel, stderrChannel, type StreamProtocol,
} from './ws-channel.js';
import type { AttachRequest, ExecRequest, PortForwardRequest } from './types.js';
import {
  acceptRemoteCommand, negotiate, offeredProtocols, portForwardProtocol, servePortForward, spdyExecProtocols, SpdySession,
  wantsSpdy, type SpdyExecProtocol,
} from './spdy/index.js';

export const tokenTtlMs = 60_000;

type Pending =
  | { kind: 'exec'; req: ExecRequest; expires: number }
  | { kind: 'attach'; req: AttachRequest; expires: number }
  | { kind: 'portforward'; req: PortForwardRequest; target: string; expires: number };

type PendingInput = Pending extends infer P ? (P extends { expires: number } ? Omit<P, 'expires'> : never) : never;

/** What the client sends during an exec/attach session, whatever the transport. */
export interface ExecInput {
  stdin(chunk: Buffer): void;
  stdinEnd(): void;
  resize(width: number, height: number): void;
  /** The client went away. */
  closed(): void;
}

/** One exec/attach session's client side, whatever the transport (WebSocket channels or SPDY streams). */
export interface ExecChannels {
  readonly protocol: StreamProtocol;
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  /** Starts delivering client input (held until now, so nothing is lost before Docker is ready). */
  listen(input: ExecInput): void;
  isOpen(): boolean;
  /** Reports how the session ended (the error channel's payload) and closes the session. */
  finish(errorPayload: string): Promise<void>;
}

/** Frames received before the Docker side was ready, and how to stop holding more. */
interface Inbox {
  early: Buffer[];
  release(): void;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The WebSocket channel protocol as ExecChannels. */
function wsChannels(ws: WebSocket, inbox: Inbox, protocol: StreamProtocol): ExecChannels {
  const send = (channel: number, data: Buffer | string): void => {
    if (ws.readyState === ws.OPEN) ws.send(frame(channel, data));
  };
  return {
    protocol,
    stdout: (chunk) => send(stdoutChannel, chunk),
    stderr: (chunk) => send(stderrChannel, chunk),
    isOpen: () => ws.readyState === ws.OPEN,
    listen(input) {
      const onMessage = (buf: Buffer): void => {
        if (buf.length === 0) return;
        const channel = buf[0];
        const body = buf.subarray(1);
        if (channel === stdinChannel) input.stdin(body);
        else if (channel === resizeChannel) {
          const size = parseResize(body);
          if (size) input.resize(size.width, size.height);
        } else if (channel === closeSignal && body[0] === stdinChannel) input.stdinEnd();
      };
      inbox.release();
      for (const buf of inbox.early.splice(0)) onMessage(buf);
      ws.on('message', (data) => onMessage(toBuffer(data)));
      ws.on('close', () => input.closed());
    },
    async finish(payload) {
      send(errorChannel, payload);
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
  };
}

/** The running streaming server. */
export class StreamingServer {
  private readonly pending = new Map<string, Pending>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => negotiateStreamProtocol(protocols) ?? false,
  });
  private readonly http: http.Server;
  /** Every upgraded socket, so close() can end sessions that clients keep open. */
  private readonly sockets = new Set<Duplex>();
  private base = '';

  /** `http://host:port` once listening. */
  get baseUrl(): string {
    return this.base;
  }

  constructor(private readonly docker: Dockerode, private readonly log: Logger) {
    this.http = http.createServer((req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('this streaming server needs an upgrade: WebSocket (v4/v5.channel.k8s.io) or SPDY/3.1\n');
    });
    this.http.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** Listens on `host:port` (port 0 picks a free one). */
  async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => resolve());
    });
    const addr = this.http.address() as net.AddressInfo;
    this.base = `http://${host}:${addr.port}`;
  }

  /** A one-time URL for a session. */
  url(input: PendingInput): string {
    this.expire();
    const token = randomBytes(18).toString('base64url');
    this.pending.set(token, { ...input, expires: Date.now() + tokenTtlMs } as Pending);
    return `${this.base}/${input.kind}/${token}`;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    for (const socket of this.sockets) socket.destroy();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private expire(): void {
    const now = Date.now();
    for (const [t, p] of this.pending) if (p.expires < now) this.pending.delete(t);
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const url = new URL(req.url ?? '/', 'http://streaming');
    const [, kind, token] = url.pathname.split('/');
    const session = token ? this.pending.get(token) : undefined;
    if (!session || session.kind !== kind || session.expires < Date.now()) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nunknown or expired stream token\n');
      return;
    }
    this.pending.delete(token!);
    if (wantsSpdy(req.headers.upgrade)) {
      this.upgradeSpdy(req, socket, head, session, url);
      return;
    }
    if (session.kind === 'portforward') {
      // Port-forward's channel protocol (v4.channel.k8s.io or none) carries no exec semantics.
      const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
      wss.handleUpgrade(req, socket, head, (ws) => {
        const ports = session.req.port.length ? session.req.port : parsePorts(url.searchParams.getAll('port'));
        this.portForward(ws, session.target, ports);
      });
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const protocol = (ws.protocol || 'channel.k8s.io') as StreamProtocol;
      // The client may send stdin before Docker's exec is ready: hold those frames until pipe() takes over.
      const early: Buffer[] = [];
      const hold = (data: RawData): void => void early.push(toBuffer(data));
      ws.on('message', hold);
      const inbox: Inbox = { early, release: () => ws.off('message', hold) };
      this.run(wsChannels(ws, inbox, protocol), session);
    });
  }

  /**
   * SPDY/3.1, as the kubelet's streaming server: negotiate X-Stream-Protocol-Version, answer 101, then
   * serve the session's streams (remotecommand for exec/attach, port-forward pairs for portforward).
   */
  private upgradeSpdy(req: http.IncomingMessage, socket: Duplex, head: Buffer, session: Pending, url: URL): void {
    const offered = offeredProtocols(req.headers['x-stream-protocol-version']);
    const supported: readonly string[] = session.kind === 'portforward' ? [portForwardProtocol] : spdyExecProtocols;
    const fallback = session.kind === 'portforward' ? portForwardProtocol : 'channel.k8s.io';
    const chosen = negotiate(offered, supported, fallback);
    if (!chosen.ok) {
      const accepted = supported.map((p) => `X-Accepted-Stream-Protocol-Versions: ${p}\r\n`).join('');
      const body = `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ${JSON.stringify(supported)}\n`;
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n${accepted}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    const versionHeader = chosen.echoed ? `X-Stream-Protocol-Version: ${chosen.protocol}\r\n` : '';
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n${versionHeader}\r\n`);
    const spdy = new SpdySession(socket, { mode: 'server', head });
    spdy.on('error', (err) => this.log.debug({ err }, 'SPDY session error'));
    if (session.kind === 'portforward') {
      let ports: number[];
      try {
        ports = session.req.port.length ? session.req.port : parsePorts(url.searchParams.getAll('port'));
      } catch {
        ports = [];
      }
      const target = session.target;
      servePortForward(spdy, (port) => {
        // The CRI request names the ports that may be forwarded; an empty list allows any.
        if (ports.length && !ports.includes(port)) {
          const refused = new net.Socket();
          process.nextTick(() => refused.destroy(new Error(`port ${port} was not requested`)));
          return refused;
        }
        return this.dialPod(target, port);
      }, session.req.pod_sandbox_id);
      return;
    }
    const protocol = chosen.protocol as SpdyExecProtocol;
    const shape = session.req;
    acceptRemoteCommand(spdy, protocol, { stdin: !!shape.stdin, stdout: !!shape.stdout, stderr: !!shape.stderr, tty: !!shape.tty }).then(
      (channels) => this.run(channels, session),
      (err: unknown) => this.log.info({ err, kind: session.kind }, 'SPDY streaming session never started'),
    );
  }

  /** Runs an exec/attach session over any transport; a failure is reported on the error channel. */
  private run(channels: ExecChannels, session: Extract<Pending, { kind: 'exec' | 'attach' }>): void {
    const run = session.kind === 'exec' ? this.exec(channels, session.req) : this.attach(channels, session.req);
    run.catch((err: unknown) => {
      this.log.warn({ err, kind: session.kind }, 'streaming session failed');
      if (channels.isOpen()) void channels.finish(failureStatusPayload(channels.protocol, err instanceof Error ? err.message : String(err)));
    });
  }

  /** Wires a hijacked Docker stream to the client's channels. */
  private pipe(channels: ExecChannels, stream: Duplex, tty: boolean, onResize: (w: number, h: number) => void): Promise<void> {
    if (tty) {
      stream.on('data', (chunk: Buffer) => channels.stdout(chunk));
    } else {
      const parser = new DockerFrameParser((s, payload) => (s === 'stderr' ? channels.stderr(payload) : channels.stdout(payload)));
      stream.on('data', (chunk: Buffer) => parser.push(chunk));
    }
    channels.listen({
      stdin: (chunk) => void stream.write(chunk),
      stdinEnd: () => void stream.end(),
      resize: onResize,
      closed: () => void stream.destroy(),
    });
    return new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
  }

  /** A TCP connection to a pod port, the way every port-forward transport reaches the pod. */
  private dialPod(target: string, port: number): net.Socket {
    return net.connect(port, target);
  }

  private async exec(channels: ExecChannels, req: ExecRequest): Promise<void> {
    const exec = await this.docker.getContainer(req.container_id).exec({
      Cmd: req.cmd,
      AttachStdin: req.stdin,
      AttachStdout: req.stdout,
      AttachStderr: req.stderr && !req.tty,
      Tty: req.tty,
    });
    const stream = (await exec.start({ hijack: true, stdin: req.stdin })) as Duplex;
    await this.pipe(channels, stream, req.tty, (w, h) => void exec.resize({ w, h }).catch(() => undefined));
    if (!channels.isOpen()) return;
    const code = await execExitCode(exec);
    await channels.finish(exitStatusPayload(channels.protocol, code, req.cmd));
  }

  private async attach(channels: ExecChannels, req: AttachRequest): Promise<void> {
    const container = this.docker.getContainer(req.container_id);
    const stream = (await container.attach({ stream: true, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, hijack: true })) as Duplex;
    await this.pipe(channels, stream, req.tty, (w, h) => void container.resize({ w, h }).catch(() => undefined));
    if (!channels.isOpen()) return;
    await channels.finish(exitStatusPayload(channels.protocol, 0, []));
  }

  /**
   * The kubelet's WebSocket port-forward: two channels per port (2i data, 2i+1 error), each opened by the
   * port number as a little-endian uint16; one TCP connection to the pod per port for the socket's life.
   */
  private portForward(ws: WebSocket, target: string, ports: number[]): void {
    const sockets = ports.map((port, i) => {
      ws.send(frame(2 * i, portPreamble(port)));
      ws.send(frame(2 * i + 1, portPreamble(port)));
      const s = this.dialPod(target, port);
      s.on('data', (chunk) => ws.readyState === ws.OPEN && ws.send(frame(2 * i, chunk)));
      s.on('error', (err) => {
        if (ws.readyState === ws.OPEN) ws.send(frame(2 * i + 1, `error forwarding port ${port} to pod: ${err.message}`));
      });
      return s;
    });
    ws.on('message', (data) => {
      const buf = toBuffer(data);
      const channel = buf[0];
      if (channel === undefined || channel % 2 !== 0) return;
      sockets[channel / 2]?.write(buf.subarray(1));
    });
    ws.on('close', () => sockets.forEach((s) => s.destroy()));
  }
}

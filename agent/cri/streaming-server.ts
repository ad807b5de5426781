// The streaming server that Exec, Attach and PortForward hand out URLs to, as the CRI expects: an HTTP
// server on loopback, one-time tokens that expire, and the Kubernetes WebSocket channel protocol (see
// ws-channel.ts). SPDY is not spoken: a plain HTTP request gets 400 saying so.
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

export const tokenTtlMs = 60_000;

type Pending =
  | { kind: 'exec'; req: ExecRequest; expires: number }
  | { kind: 'attach'; req: AttachRequest; expires: number }
  | { kind: 'portforward'; req: PortForwardRequest; target: string; expires: number };

type PendingInput = Pending extends infer P ? (P extends { expires: number } ? Omit<P, 'expires'> : never) : never;

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
      res.end('this streaming server speaks the WebSocket channel protocol (v4/v5.channel.k8s.io) only, not SPDY\n');
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
      const run = session.kind === 'exec' ? this.exec(ws, inbox, protocol, session.req) : this.attach(ws, inbox, protocol, session.req);
      run.catch((err: unknown) => {
        this.log.warn({ err, kind: session.kind }, 'streaming session failed');
        if (ws.readyState === ws.OPEN) {
          ws.send(frame(errorChannel, failureStatusPayload(protocol, err instanceof Error ? err.message : String(err))));
          ws.close(1000);
        }
      });
    });
  }

  /** Wires a hijacked Docker stream to the WebSocket's channels. */
  private pipe(ws: WebSocket, inbox: Inbox, stream: Duplex, tty: boolean, onResize: (w: number, h: number) => void): Promise<void> {
    if (tty) {
      stream.on('data', (chunk: Buffer) => ws.readyState === ws.OPEN && ws.send(frame(stdoutChannel, chunk)));
    } else {
      const parser = new DockerFrameParser((s, payload) => {
        if (ws.readyState === ws.OPEN) ws.send(frame(s === 'stderr' ? stderrChannel : stdoutChannel, payload));
      });
      stream.on('data', (chunk: Buffer) => parser.push(chunk));
    }
    const onMessage = (buf: Buffer): void => {
      if (buf.length === 0) return;
      const channel = buf[0];
      const body = buf.subarray(1);
      if (channel === stdinChannel) stream.write(body);
      else if (channel === resizeChannel) {
        const size = parseResize(body);
        if (size) onResize(size.width, size.height);
      } else if (channel === closeSignal && body[0] === stdinChannel) stream.end();
    };
    inbox.release();
    for (const buf of inbox.early.splice(0)) onMessage(buf);
    ws.on('message', (data) => onMessage(toBuffer(data)));
    ws.on('close', () => stream.destroy());
    return new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
  }

  private async exec(ws: WebSocket, inbox: Inbox, protocol: StreamProtocol, req: ExecRequest): Promise<void> {
    const exec = await this.docker.getContainer(req.container_id).exec({
      Cmd: req.cmd,
      AttachStdin: req.stdin,
      AttachStdout: req.stdout,
      AttachStderr: req.stderr && !req.tty,
      Tty: req.tty,
    });
    const stream = (await exec.start({ hijack: true, stdin: req.stdin })) as Duplex;
    await this.pipe(ws, inbox, stream, req.tty, (w, h) => void exec.resize({ w, h }).catch(() => undefined));
    if (ws.readyState !== ws.OPEN) return;
    const code = await execExitCode(exec);
    ws.send(frame(errorChannel, exitStatusPayload(protocol, code, req.cmd)));
    ws.close(1000);
  }

  private async attach(ws: WebSocket, inbox: Inbox, protocol: StreamProtocol, req: AttachRequest): Promise<void> {
    const container = this.docker.getContainer(req.container_id);
    const stream = (await container.attach({ stream: true, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, hijack: true })) as Duplex;
    await this.pipe(ws, inbox, stream, req.tty, (w, h) => void container.resize({ w, h }).catch(() => undefined));
    if (ws.readyState !== ws.OPEN) return;
    ws.send(frame(errorChannel, exitStatusPayload(protocol, 0, [])));
    ws.close(1000);
  }

  /**
   * The kubelet's WebSocket port-forward: two channels per port (2i data, 2i+1 error), each opened by the
   * port number as a little-endian uint16; one TCP connection to the pod per port for the socket's life.
   */
  private portForward(ws: WebSocket, target: string, ports: number[]): void {
    const sockets = ports.map((port, i) => {
      ws.send(frame(2 * i, portPreamble(port)));
      ws.send(frame(2 * i + 1, portPreamble(port)));
      const s = net.connect(port, target);
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

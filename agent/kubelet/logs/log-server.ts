// The kubelet's endpoint: `GET /containerLogs/{namespace}/{pod}/{container}` with
// upstream's query parameters follow, tailLines, sinceSeconds, sinceTime, timestamps, previous, limitBytes,
// reading the CRI log file of the container's newest (or, with previous, the one before) attempt;
// `GET /healthz`; and the upgrade requests `/exec/...`, `/attach/...` and `/portForward/...` (see
// ../server/exec-endpoint.ts). The API server's pods/{name}/log, /exec, /attach and /portforward proxy here.
// HTTPS with a client certificate required when given `tls` (a cluster with a CA), plain HTTP otherwise.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Pod } from '../../../api/index.js';
import type { RuntimeService } from '../runtime.js';
import { attemptsOf, readPodState } from '../runtime-state.js';
import { podLogDirectory } from '../sandbox-config.js';
import { parseCriLog, renderMessages, selectLog, type LogOptions } from './container-log.js';
import { parsePortForwardRequest, parseStreamRequest, serveStreamUpgrade, StreamError } from '../server/exec-endpoint.js';
import { rejectUpgrade, statusErrorFor } from '../../../client/upgrade-proxy.js';
import { kubeletAccessDenied, kubeletClientOf } from '../server/client-authorization.js';

/** The endpoint's TLS material: its serving pair, and the CA whose client certificates it accepts. */
export interface LogServerTls {
  certPem: string;
  keyPem: string;
  /** The cluster CA (PEM): clients must present a certificate it signed. */
  clientCaPem: string;
}

export interface LogServerDeps {
  runtime: RuntimeService;
  /** The pod bound to this node, by namespace and name. */
  findPod(namespace: string, name: string): Pod | undefined;
  logsRoot: string;
  log: Logger;
  /** Poll interval of follow, in ms. */
  followPollMs?: number;
}

export interface LogServer {
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `invalid ${name} "${v}"`);
  return n;
}

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1' || v === '';
}

/** The log options of a request. */
export function logOptionsOf(q: URLSearchParams, nowMs: number): LogOptions & { follow: boolean; previous: boolean } {
  const sinceSeconds = intParam(q, 'sinceSeconds');
  const sinceTime = q.get('sinceTime');
  let sinceMs: number | undefined;
  if (sinceSeconds !== undefined) sinceMs = nowMs - sinceSeconds * 1000;
  else if (sinceTime) {
    sinceMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceMs)) throw new HttpError(400, `invalid sinceTime "${sinceTime}"`);
  }
  return {
    sinceMs,
    tailLines: intParam(q, 'tailLines'),
    limitBytes: intParam(q, 'limitBytes'),
    timestamps: q.has('timestamps') && boolParam(q, 'timestamps'),
    follow: q.has('follow') && boolParam(q, 'follow'),
    previous: q.has('previous') && boolParam(q, 'previous'),
  };
}

async function serveLogs(deps: LogServerDeps, req: http.IncomingMessage, res: http.ServerResponse, ns: string, podName: string, container: string, q: URLSearchParams): Promise<void> {
  const pod = deps.findPod(ns, podName);
  if (!pod) throw new HttpError(404, `pod "${podName}" not found on this node`);
  const known = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c) => c.name === container);
  if (!known) throw new HttpError(400, `container ${container} is not valid for pod ${podName}`);
  const opts = logOptionsOf(q, Date.now());
  const state = await readPodState(deps.runtime, pod.metadata.uid ?? '');
  const attempts = attemptsOf(state, container);
  const target = opts.previous ? attempts[1] : attempts[0];
  if (!target) {
    throw new HttpError(400, opts.previous ? `previous terminated container "${container}" in pod "${podName}" not found` : `container "${container}" in pod "${podName}" is waiting to start`);
  }
  const file = path.join(podLogDirectory(pod, deps.logsRoot), container, `${target.attempt}.log`);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'transfer-encoding': 'chunked' });
  res.write(selectLog(text, opts));
  if (!opts.follow || target.state !== 'CONTAINER_RUNNING') {
    res.end();
    return;
  }
  await follow(deps, req, res, file, Buffer.byteLength(text), target.id, opts.timestamps ?? false);
}

async function follow(deps: LogServerDeps, req: http.IncomingMessage, res: http.ServerResponse, file: string, start: number, containerId: string, timestamps: boolean): Promise<void> {
  let offset = start;
  let rest = '';
  const carry = {};
  let closed = false;
  req.on('close', () => (closed = true));
  const pollMs = deps.followPollMs ?? 250;
  while (!closed) {
    const size = fs.existsSync(file) ? fs.statSync(file).size : offset;
    if (size > offset) {
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      fs.closeSync(fd);
      offset = size;
      const parsed = parseCriLog(rest + buf.toString('utf8'), carry);
      rest = parsed.rest;
      if (parsed.messages.length) res.write(renderMessages(parsed.messages, timestamps));
      continue;
    }
    const st = await deps.runtime.containerStatus({ container_id: containerId }).catch(() => undefined);
    if (!st?.status || st.status.state !== 'CONTAINER_RUNNING') {
      // One last read after the container stopped, for what it printed last.
      await new Promise((r) => setTimeout(r, pollMs));
      const final = fs.existsSync(file) ? fs.statSync(file).size : offset;
      if (final <= offset) break;
      continue;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  res.end();
}

/** Why a request on `socket` is refused (401/403), or undefined to serve it; plain HTTP refuses nothing. */
function denied(tls: LogServerTls | undefined, socket: unknown, verb: string): HttpError | undefined {
  if (!tls) return undefined;
  const message = kubeletAccessDenied(kubeletClientOf(socket as TLSSocket), verb);
  if (message === undefined) return undefined;
  return new HttpError(message === 'Unauthorized' ? 401 : 403, message);
}

/**
 * Starts the endpoint on `host:port` (port 0: a free one): HTTPS requiring a client certificate signed by
 * `tls.clientCaPem` (and, of those, the API server's or an admin's) when `tls` is given, else plain HTTP.
 */
export async function startLogServer(deps: LogServerDeps, host: string, port: number, tls?: LogServerTls): Promise<LogServer> {
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const fail = (err: unknown): void => {
      const code = err instanceof HttpError ? err.code : 500;
      if (code === 500) deps.log.warn({ err: String(err), path: url.pathname }, 'kubelet request failed');
      if (!res.headersSent) res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(err instanceof Error ? err.message : String(err));
    };
    const refusal = denied(tls, req.socket, (req.method ?? 'GET').toLowerCase() === 'get' ? 'get' : 'create');
    if (refusal) return fail(refusal);
    if (parts[0] === 'exec' || parts[0] === 'attach' || parts[0] === 'portForward') {
      // Upgrade requests never arrive here (see the 'upgrade' listener below).
      return fail(new HttpError(400, 'Upgrade request required'));
    }
    if (req.method !== 'GET') return fail(new HttpError(405, 'method not allowed'));
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (parts[0] === 'containerLogs' && parts.length === 4) {
      serveLogs(deps, req, res, parts[1]!, parts[2]!, parts[3]!, url.searchParams).catch(fail);
      return;
    }
    fail(new HttpError(404, 'not found'));
  };
  // requestCert + rejectUnauthorized: a client without a certificate from the cluster CA never gets past
  // the handshake; which of those may in is decided per request above.
  const server = tls
    ? https.createServer({ cert: tls.certPem, key: tls.keyPem, ca: tls.clientCaPem, requestCert: true, rejectUnauthorized: true }, handler)
    : http.createServer(handler);
  const streamDeps = { runtime: deps.runtime, findPod: deps.findPod, log: deps.log };
  // Upgraded sockets leave the http server's bookkeeping: close() ends them itself.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const refusal = denied(tls, req.socket, 'create');
    if (refusal) return rejectUpgrade(socket, statusErrorFor(refusal.code, refusal.message));
    try {
      const stream = parseStreamRequest(url.pathname, url.searchParams) ?? parsePortForwardRequest(url.pathname, url.searchParams);
      if (!stream) return rejectUpgrade(socket, statusErrorFor(404, 'not found'));
      void serveStreamUpgrade(streamDeps, stream, req, socket, head);
    } catch (err) {
      rejectUpgrade(socket, statusErrorFor(err instanceof StreamError ? err.code : 400, err instanceof Error ? err.message : String(err)));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// An HTTP Upgrade pass-through, shared by the API server (to the kubelet) and the kubelet (to the CRI
// streaming server): the client's upgrade request is sent on to a backend (method and headers
// as they came, minus credentials and hop-by-hop noise) and, once the backend answers 101, the raw bytes
// flow both ways. The WebSocket (or anything else upgraded) is never terminated here, so every channel
// protocol version the two ends agree on works unchanged.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { ApiError, type StatusReason } from '../api/errors.js';

const reasonByCode: Record<number, StatusReason> = { 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 503: 'ServiceUnavailable' };

/** An ApiError for an HTTP status code, for callers that only know the code (e.g. from a backend's answer). */
export function statusErrorFor(code: number, message: string): ApiError {
  return new ApiError(code, reasonByCode[code] ?? 'InternalError', message);
}

/** Writes an HTTP error answer carrying a Status on a not-yet-upgraded socket, then closes it. */
export function rejectUpgrade(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  const text = http.STATUS_CODES[err.code] ?? 'Error';
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${err.code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  } else socket.destroy();
}

/** Headers that are the caller's credentials or describe the first hop only. */
const dropped = new Set(['authorization', 'host', 'proxy-authorization', 'cookie', 'impersonate-user', 'impersonate-group', 'content-length']);

function headLines(statusLine: string, rawHeaders: string[]): string {
  let out = `${statusLine}\r\n`;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) out += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  return `${out}\r\n`;
}

/**
 * Proxies `req` (an upgrade request whose socket is `socket`, with `head` already read) to `target`.
 * Resolves when both sides are connected or the backend's non-101 answer has been relayed.
 */
export function proxyUpgrade(
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: URL,
  onError: (err: Error) => void,
  /** The agent for the backend connection: an https.Agent carries the CA and client certificate for an https target. */
  agent?: http.Agent,
): void {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!dropped.has(k) && v !== undefined) headers[k] = v;
  headers.host = target.host;
  // An upgrade request has no body (SPDY's is a bodiless POST): say so, or node would send it chunked and
  // the chunk terminator would reach the backend as the first bytes of the upgraded stream.
  delete headers['transfer-encoding'];
  if (req.method !== 'GET' && req.method !== 'HEAD') headers['content-length'] = '0';
  const upstream = (target.protocol === 'https:' ? https : http).request(target, { method: req.method, headers, ...(agent ? { agent } : {}) });
  let done = false;
  const abort = (): void => {
    if (!done) upstream.destroy();
  };
  socket.once('close', abort);
  socket.on('error', () => socket.destroy());

  upstream.once('upgrade', (res, backend, backendHead) => {
    done = true;
    socket.off('close', abort);
    socket.write(headLines(`HTTP/1.1 ${res.statusCode ?? 101} ${res.statusMessage ?? 'Switching Protocols'}`, res.rawHeaders));
    if (backendHead.length) socket.write(backendHead);
    if (head.length) backend.write(head);
    backend.on('error', () => socket.destroy());
    socket.on('error', () => backend.destroy());
    backend.once('close', () => socket.destroy());
    socket.once('close', () => backend.destroy());
    backend.pipe(socket);
    socket.pipe(backend);
  });
  upstream.once('response', (res) => {
    // The backend refused the upgrade: relay its answer as is, then close.
    done = true;
    const lines = res.rawHeaders.filter((_, i, all) => {
      const name = (i % 2 === 0 ? all[i] : all[i - 1])!.toLowerCase();
      return name !== 'connection' && name !== 'transfer-encoding' && name !== 'content-length';
    });
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => {
      const body = Buffer.concat(chunks);
      socket.write(headLines(`HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}`, [...lines, 'Content-Length', String(body.length), 'Connection', 'close']));
      socket.end(body);
    });
    res.once('error', () => socket.destroy());
  });
  upstream.once('error', (err) => {
    if (done) return;
    done = true;
    onError(err);
  });
  upstream.end();
}

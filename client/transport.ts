// Bytes to and from the API server: one keep-alive agent, authentication headers, whole-request timeouts,
// and the one retry that is always safe (a reused keep-alive socket the server had already closed).
// The REST client adds verbs, JSON, rate limiting and typed errors on top.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Clock } from './clock.js';
import { createAgent, type ConnectionConfig } from './connection.js';
import { errorFromStatus } from './status-error.js';

/** A raw answer: status, headers and the whole body. */
export interface RawResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The client-side timeout fired before the server answered. */
export class RequestTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${path}: no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export interface TransportOptions {
  /** Default whole-request timeout, in ms. */
  timeoutMs: number;
  userAgent: string;
  clock: Clock;
}

/** Methods safe to resend when a reused keep-alive socket turns out to have been closed by the server. */
const retryOnStaleSocket = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** How long a token read from a tokenFile is trusted before re-reading (client-go caches for a minute). */
const tokenFileTtlMs = 60_000;

export class HttpTransport {
  readonly server: URL;
  readonly agent: http.Agent;
  private cachedToken: { value: string; readAtMs: number } | undefined;

  constructor(
    private readonly connection: ConnectionConfig,
    private readonly options: TransportOptions,
  ) {
    this.server = new URL(connection.server);
    this.agent = createAgent(connection);
  }

  /** Sends one request and reads the whole answer, whatever its status. */
  send(
    method: string,
    path: string,
    body: Buffer | undefined,
    headers: Record<string, string>,
    call: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined },
    mayRetry = true,
  ): Promise<RawResponse> {
    const timeoutMs = call.timeoutMs ?? this.options.timeoutMs;
    const signal = call.signal;
    return new Promise<RawResponse>((resolve, reject) => {
      const req = this.newRequest(method, path, headers, body);
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const timer = setTimeout(() => req.destroy(new RequestTimeoutError(method, path, timeoutMs)), timeoutMs);
      const onAbort = (): void => {
        req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (!settle()) return;
        // A keep-alive socket the server closed while idle fails on first use; the request never
        // reached the server, so sending it again on a fresh socket is safe for idempotent verbs.
        if (mayRetry && req.reusedSocket && err.code === 'ECONNRESET' && retryOnStaleSocket.has(method)) {
          this.send(method, path, body, headers, call, false).then(resolve, reject);
          return;
        }
        reject(err);
      });
      req.on('response', (res) => {
        readAll(res).then(
          (buf) => {
            if (settle()) resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: buf });
          },
          (err: Error) => {
            if (settle()) reject(err);
          },
        );
      });
      req.end(body);
    });
  }

  /**
   * Opens a long-running GET (watch, log follow) and resolves with the response once a 2xx status line
   * arrives; a non-2xx answer is read and thrown as a typed error. No whole-request timeout applies:
   * abort `signal` to end it.
   */
  open(path: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.newRequest('GET', path, headers, undefined);
      const onAbort = (): void => {
        req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      });
      req.on('response', (res) => {
        res.on('close', () => signal.removeEventListener('abort', onAbort));
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) {
          resolve(res);
          return;
        }
        readAll(res).then((buf) => reject(errorFromStatus(code, decodeBody(buf, res.headers))), reject);
      });
      req.end();
    });
  }

  /** Closes idle keep-alive sockets so the process can exit. */
  close(): void {
    this.agent.destroy();
  }

  private newRequest(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): http.ClientRequest {
    const url = new URL(joinPath(this.server.pathname, path), this.server);
    const all: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent,
      ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
      ...this.authorization(),
      ...lowerKeys(headers),
    };
    const requestOptions: http.RequestOptions = { method, headers: all, agent: this.agent };
    return url.protocol === 'https:' ? https.request(url, requestOptions) : http.request(url, requestOptions);
  }

  private authorization(): Record<string, string> {
    const token = this.bearerToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  private bearerToken(): string | undefined {
    if (this.connection.token) return this.connection.token;
    const file = this.connection.tokenFile;
    if (!file) return undefined;
    const now = this.options.clock.now();
    if (!this.cachedToken || now - this.cachedToken.readAtMs > tokenFileTtlMs) {
      this.cachedToken = { value: readFileSync(file, 'utf8').trim(), readAtMs: now };
    }
    return this.cachedToken.value;
  }
}

/** The answer body as JSON when it is JSON, else as text; undefined when empty. */
export function decodeBody(buf: Buffer, headers: http.IncomingHttpHeaders): unknown {
  if (buf.length === 0) return undefined;
  const text = buf.toString('utf8');
  const type = headers['content-type'] ?? '';
  if (type.includes('json') || text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function joinPath(prefix: string, path: string): string {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return `${base}${path.startsWith('/') ? path : `/${path}`}`;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function readAll(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

// Raw HTTP(S) requests to a started API server (or a kubelet endpoint) with the credentials of a kubeconfig,
// for tests and benchmarks that must see exactly what goes over the wire (status codes, headers, odd bodies,
// streams) and so cannot use the RestClient. `skiff server` serves HTTPS with client certificates by
// default and plain HTTP only with --insecure-http; everything here works for both, chosen by the URL scheme.
import * as http from 'node:http';
import * as https from 'node:https';
import type { ConnectionConfig } from '../../client/index.js';

/** TLS options for node:https, an https.Agent or a `ws` WebSocket: the CA to trust and the client certificate. */
export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export interface RawRequestInit {
  /** Default GET. */
  method?: string;
  headers?: Record<string, string>;
  /** Sent as is; set content-type in `headers`. Use `jsonBody` for JSON. */
  body?: string | Buffer;
  /** Serialized with JSON.stringify and sent with content-type application/json (unless `headers` sets one). */
  jsonBody?: unknown;
  /** Give up (reject) after this long; default 30 s. For `openStream`, only until the response headers arrive. */
  timeoutMs?: number;
  /** Aborts the request (and a stream's body). */
  signal?: AbortSignal;
  /** Use this agent (e.g. one from `agentFor` with a socket limit) instead of the caller's default. */
  agent?: http.Agent;
}

/** A whole answer. `body` is the UTF-8 text; `json()` parses it (throws with the text when it is not JSON). */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = any>(): T;
}

/** The TLS material of a connection (empty for an http:// server). */
export function tlsOptionsOf(connection: ConnectionConfig): TlsOptions {
  return {
    ...(connection.ca ? { ca: connection.ca } : {}),
    ...(connection.cert ? { cert: connection.cert } : {}),
    ...(connection.key ? { key: connection.key } : {}),
    ...(connection.insecureSkipTLSVerify ? { rejectUnauthorized: false } : {}),
    ...(connection.tlsServerName ? { servername: connection.tlsServerName } : {}),
  };
}

/** A keep-alive agent for the connection's scheme, carrying its TLS material; `options` adds e.g. maxSockets. */
export function agentFor(connection: ConnectionConfig, options: http.AgentOptions = {}): http.Agent {
  const scheme = new URL(connection.server).protocol;
  if (scheme === 'http:') return new http.Agent({ keepAlive: true, ...options });
  if (scheme !== 'https:') throw new Error(`unsupported server URL scheme ${scheme} in ${connection.server}`);
  return new https.Agent({ keepAlive: true, ...tlsOptionsOf(connection), ...options });
}

function start(
  connection: ConnectionConfig,
  defaultAgent: http.Agent,
  path: string,
  init: RawRequestInit,
  onResponse: (res: http.IncomingMessage) => void,
  onError: (err: Error) => void,
): http.ClientRequest {
  const url = new URL(path, connection.server);
  const json = init.jsonBody !== undefined ? JSON.stringify(init.jsonBody) : undefined;
  const body = json ?? init.body;
  const headers: Record<string, string | number> = {
    ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}),
    ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...init.headers,
  };
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['content-length'] = Buffer.byteLength(body);
  }
  const send = url.protocol === 'https:' ? https.request : http.request;
  const req = send(url, { method: init.method ?? 'GET', agent: init.agent ?? defaultAgent, headers }, onResponse);
  req.on('error', onError);
  const timeoutMs = init.timeoutMs ?? 30_000;
  const timer = setTimeout(() => req.destroy(new Error(`${init.method ?? 'GET'} ${path}: no answer within ${timeoutMs} ms`)), timeoutMs);
  req.once('response', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  if (init.signal) {
    const abort = (): void => {
      req.destroy(new Error(`${init.method ?? 'GET'} ${path}: aborted`));
    };
    if (init.signal.aborted) abort();
    else init.signal.addEventListener('abort', abort, { once: true });
    req.once('close', () => init.signal?.removeEventListener('abort', abort));
  }
  if (body !== undefined) req.write(body);
  req.end();
  return req;
}

/** Sends one request and reads the whole answer, whatever its status. Rejects only on transport errors. */
export function sendRequest(connection: ConnectionConfig, agent: http.Agent, path: string, init: RawRequestInit = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    start(
      connection,
      agent,
      path,
      init,
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json() {
              try {
                return JSON.parse(body);
              } catch {
                throw new Error(`not JSON (HTTP ${res.statusCode}): ${body.slice(0, 500)}`);
              }
            },
          });
        });
      },
      reject,
    );
  });
}

/**
 * Sends a request and resolves with the response as soon as its headers arrive, for watches and followed
 * logs: read the body as a stream; `res.destroy()` (or the init's signal) ends it.
 */
export function openStream(connection: ConnectionConfig, agent: http.Agent, path: string, init: RawRequestInit = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    start(connection, agent, path, init, resolve, reject);
  });
}

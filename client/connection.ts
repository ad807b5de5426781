// How to reach and authenticate to an API server: what a kubeconfig resolves to, and what the REST
// client needs. Kept apart from kubeconfig parsing so in-cluster or test code can build one directly.
import * as http from 'node:http';
import * as https from 'node:https';

export interface ConnectionConfig {
  /** Base URL, `https://host:port` or `http://127.0.0.1:port`; a path prefix is kept. */
  server: string;
  /** PEM bundle of the CA(s) that signed the server certificate; the system roots when absent. */
  ca?: Buffer;
  /** PEM client certificate and key for mutual TLS. */
  cert?: Buffer;
  key?: Buffer;
  /** Skip server certificate verification (kubeconfig `insecure-skip-tls-verify`). */
  insecureSkipTLSVerify?: boolean;
  /** Name to verify the server certificate against, when it differs from the URL's host. */
  tlsServerName?: string;
  /** Bearer token sent as `Authorization: Bearer ...`. */
  token?: string;
  /** File holding the bearer token; re-read periodically so rotated tokens are picked up. */
  tokenFile?: string;
  /** The namespace of the kubeconfig context, `default` when it names none. */
  namespace?: string;
}

/**
 * A keep-alive agent for the connection: https with the CA and client certificate when the server URL
 * is https, plain http otherwise. One agent per client reuses sockets across requests.
 */
export function createAgent(config: ConnectionConfig): http.Agent {
  const url = new URL(config.server);
  if (url.protocol === 'http:') return new http.Agent({ keepAlive: true });
  if (url.protocol !== 'https:') throw new Error(`unsupported server URL scheme ${url.protocol} in ${config.server}`);
  return new https.Agent({
    keepAlive: true,
    ...(config.ca ? { ca: config.ca } : {}),
    ...(config.cert ? { cert: config.cert } : {}),
    ...(config.key ? { key: config.key } : {}),
    ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
    rejectUnauthorized: !config.insecureSkipTLSVerify,
  });
}

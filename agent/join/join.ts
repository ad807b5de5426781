// TLS bootstrap of a node, as `kubeadm join` + the kubelet's bootstrap do it: pin the cluster CA by its
// hash (before anything secret is sent), ask for a client certificate for `system:node:<name>` with a
// CertificateSigningRequest authenticated by the bootstrap token, wait for the cluster to approve and
// sign it, and keep the result under the data dir. A later start finds a usable kubeconfig there and
// skips all of it, so an expired token does not stop a node that already joined from restarting.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Logger } from 'pino';
import { ApiError, ForbiddenError, UnauthorizedError } from '../../api/errors.js';
import { RealClock, RestClient, type Clock, type ConnectionConfig } from '../../client/index.js';
import type { CertificateSigningRequest } from '../../api/types/certificates.js';
import { requireResource } from '../../api/resources.js';
import { discoverPinnedCa, generateRsaKeyPair, nodeUserPrefix, parseBootstrapToken } from '../../pki/index.js';
import { nodeCsrObject, submitCsr, waitForCertificate, type CsrApi } from './certificate-request.js';
import { JoinError, joinFailed, joinRefused } from './join-error.js';
import { nodeCredentialPaths, unusableReason, writeNodeCredentials } from './node-credentials.js';

const csrResource = requireResource('certificates.k8s.io', 'v1', 'certificatesigningrequests');

/** kubeadm's TLS bootstrap budget is minutes; two is plenty for an in-process signer. */
export const defaultJoinTimeoutMs = 120_000;
const defaultPollIntervalMs = 1000;
const pinPattern = /^sha256:[0-9a-fA-F]{64}$/;

/** A CsrApi that can also let go of its sockets. */
export type ClosableCsrApi = CsrApi & { close(): void };

export interface JoinOptions {
  /** `https://host:port` of the API server (`--server`). */
  server: string;
  /** `<id>.<secret>` (`--token`); only needed when there is no usable kubeconfig yet. */
  token: string | undefined;
  /** `sha256:<hex>` (`--ca-cert-hash`); when given, a stored kubeconfig must also match it. */
  caCertHash: string | undefined;
  nodeName: string;
  dataDir: string;
  logger: Logger;
  clock?: Clock;
  /** How long to wait for the certificate, in ms (default 120 s). */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** Seams for tests: CA discovery (default discoverPinnedCa) and the CSR calls (default over a RestClient). */
  discoverCa?: (host: string, port: number, pin: string) => Promise<string>;
  csrApiFor?: (connection: ConnectionConfig) => ClosableCsrApi;
}

export interface JoinResult {
  /** The kubeconfig to run with: <data-dir>/kubelet.kubeconfig. */
  kubeconfig: string;
  /** False when an existing kubeconfig was reused. */
  joined: boolean;
}

/** The CSR calls over HTTPS with the pinned CA and the bearer token. */
export function restCsrApi(connection: ConnectionConfig): ClosableCsrApi {
  const client = new RestClient(connection, { userAgent: 'skiff-agent/join', rateLimit: false, maxRetries: 2 });
  return {
    create: (csr) => client.create<CertificateSigningRequest>(csrResource, csr),
    get: (name) => client.get<CertificateSigningRequest>(csrResource, name),
    close: () => client.close(),
  };
}

function serverUrl(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw joinFailed(`--server "${server}" is not a URL (expected https://HOST:PORT)`);
  }
  if (url.protocol !== 'https:') throw joinFailed(`--server must be an https:// URL to join with a token, not ${url.protocol}//`);
  return url;
}

/** Connection failures may pass; anything about the chain or the pin is the server not being the one pinned. */
function discoveryError(err: unknown): JoinError {
  const message = err instanceof Error ? err.message : String(err);
  if (/^(cannot fetch|timed out)/.test(message)) return joinFailed(message);
  return joinRefused(message);
}

/** The API's answer to the bootstrap token, as one line; other errors are a failure to reach it. */
function apiError(err: unknown, server: string): JoinError {
  if (err instanceof JoinError) return err;
  if (err instanceof UnauthorizedError) {
    // The server's own words say which (expired, unknown id, wrong secret) and never carry the secret.
    const detail = err.message && err.message !== 'Unauthorized' ? `: ${err.message}` : '';
    return joinRefused(`the bootstrap token is invalid or expired (401 Unauthorized${detail})`);
  }
  if (err instanceof ForbiddenError) return joinRefused(`the bootstrap token may not request a node certificate (403 Forbidden): ${err.message}`);
  if (err instanceof ApiError) return joinFailed(`the server answered ${err.code}: ${err.message}`);
  return joinFailed(`cannot reach ${server}: ${err instanceof Error ? err.message : String(err)}`);
}

/** Throws unless `certPem` is for `keyPem`, signed by the CA, and names the node. */
function checkIssued(certPem: string, keyPem: string, caPem: string, nodeName: string): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw joinFailed(`the issued certificate cannot be parsed: ${(err as Error).message}`);
  }
  if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw joinFailed('the issued certificate is not for the key this node generated');
  if (!cert.verify(new X509Certificate(caPem).publicKey)) throw joinFailed('the issued certificate is not signed by the pinned cluster CA');
  if (!cert.subject.split('\n').includes(`CN=${nodeUserPrefix}${nodeName}`)) {
    throw joinFailed(`the issued certificate does not name ${nodeUserPrefix}${nodeName}`);
  }
}

/**
 * Answers the kubeconfig the node runs with: the existing <data-dir>/kubelet.kubeconfig when usable, else
 * one obtained by joining with the token. Throws a JoinError (one line, never the token's secret) when the
 * pin, the token or the request is refused, or the certificate does not come in time.
 */
export async function ensureNodeCredentials(options: JoinOptions): Promise<JoinResult> {
  const log = options.logger.child({ component: 'join' });
  const url = serverUrl(options.server);
  const paths = nodeCredentialPaths(options.dataDir);
  const reason = unusableReason(paths.kubeconfig, options.caCertHash);
  if (reason === undefined) {
    log.info({ kubeconfig: paths.kubeconfig }, 'using the credentials of an earlier join');
    return { kubeconfig: paths.kubeconfig, joined: false };
  }
  if (!options.token || !options.caCertHash) {
    throw joinFailed(`no usable ${paths.kubeconfig} (${reason}): joining needs --token and --ca-cert-hash`);
  }
  // Checked locally first: a malformed token or pin never reaches the network, and is never echoed.
  if (!parseBootstrapToken(options.token)) throw joinRefused('--token is not a bootstrap token (expected the form [a-z0-9]{6}.[a-z0-9]{16})');
  if (!pinPattern.test(options.caCertHash)) throw joinRefused(`--ca-cert-hash must be sha256:<64 hex digits>, not "${options.caCertHash}"`);

  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 443);
  const server = `https://${url.host}`;
  log.info({ server, node: options.nodeName }, 'joining the cluster');
  const discover = options.discoverCa ?? discoverPinnedCa;
  const caPem = await discover(host, port, options.caCertHash).catch((err: unknown) => {
    throw discoveryError(err);
  });
  log.info({ server }, 'cluster CA pinned');

  const key = generateRsaKeyPair();
  const request = nodeCsrObject(options.nodeName, key.privateKeyPem);
  const api = (options.csrApiFor ?? restCsrApi)({ server, ca: Buffer.from(caPem, 'utf8'), token: options.token });
  let certPem: string;
  try {
    const created = await submitCsr(api, request);
    log.info({ csr: created.metadata.name }, 'certificate signing request created; waiting for the certificate');
    certPem = await waitForCertificate(api, created, {
      clock: options.clock ?? new RealClock(),
      timeoutMs: options.timeoutMs ?? defaultJoinTimeoutMs,
      pollIntervalMs: options.pollIntervalMs ?? defaultPollIntervalMs,
    });
  } catch (err) {
    throw apiError(err, server);
  } finally {
    api.close();
  }
  checkIssued(certPem, key.privateKeyPem, caPem, options.nodeName);
  writeNodeCredentials(options.dataDir, { server, nodeName: options.nodeName, caPem, certPem, keyPem: key.privateKeyPem });
  log.info({ node: options.nodeName, csr: request.metadata.name, kubeconfig: paths.kubeconfig }, 'joined: node client certificate stored');
  return { kubeconfig: paths.kubeconfig, joined: true };
}

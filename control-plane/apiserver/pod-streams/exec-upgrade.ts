// pods/{name}/exec, /attach and /portforward arrive as HTTP Upgrade requests, which node's http server
// hands to its 'upgrade' event and never to fastify's router. This handler authenticates and authorizes
// them itself (the same seams the onRequest hook uses), validates pod and container, and passes the
// upgrade through to the kubelet's /exec, /attach or /portForward with the same query string. The bytes
// after the 101 are not interpreted here: WebSocket (v5/v4.channel.k8s.io) and SPDY/3.1 pass alike.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { type ApiError, BadRequestError, InternalError, isApiError } from '../../../api/errors.js';
import type { Store } from '../../storage/store.js';
import { tlsPeerOf } from '../../auth/index.js';
import type { Authenticator, Authorizer } from '../security.js';
import type { KubeletTransport } from './kubelet-transport.js';
import { findPodKubelet, findStreamTarget } from './pod-target.js';
import { proxyUpgrade, rejectUpgrade } from '../../../client/upgrade-proxy.js';

export type StreamKind = 'exec' | 'attach' | 'portforward';

export interface StreamPath {
  namespace: string;
  pod: string;
  kind: StreamKind;
}

const pathPattern = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)\/?$/;

/** The pod stream a path addresses, or undefined for every other path. */
export function parseStreamPath(url: string): StreamPath | undefined {
  const m = pathPattern.exec(url.split('?')[0] ?? '');
  if (!m) return undefined;
  try {
    return { namespace: decodeURIComponent(m[1]!), pod: decodeURIComponent(m[2]!), kind: m[3] as StreamKind };
  } catch {
    return undefined;
  }
}

/**
 * kubectl (1.31+) first tries port-forward as SPDY tunnelled in a WebSocket (subprotocol
 * `SPDY/3.1+portforward.k8s.io`), which upstream's API server translates; Skiff does not. Refusing that
 * upgrade makes kubectl fall back to plain SPDY/3.1, which is passed through to the kubelet and the CRI.
 */
export const tunnelledPortForwardProtocol = 'SPDY/3.1+portforward.k8s.io';

export function tunnellingUnsupported(): ApiError {
  return new BadRequestError(
    `port-forward tunnelled over WebSocket (${tunnelledPortForwardProtocol}) is not supported by this API server; retry with SPDY/3.1 (kubectl falls back by itself)`,
  );
}

function offersProtocol(req: http.IncomingMessage, protocol: string): boolean {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim().toLowerCase());
  return offered.includes(protocol.toLowerCase());
}

function isWebSocket(req: http.IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

export interface UpgradeDeps {
  store: Store;
  authenticator: Authenticator;
  authorizer: Authorizer;
  logger: Logger;
  transport: KubeletTransport;
}

/**
 * proxyUpgrade with the kubelet agent as a sixth argument. client/upgrade-proxy.ts must pass it on to
 * http.request (requested of its owner); until it does, the argument is ignored and HTTPS dialling fails
 * with "Protocol https: not supported", reported to the caller as an error dialing the kubelet.
 */
type UpgradeProxy = (req: http.IncomingMessage, socket: Duplex, head: Buffer, target: URL, onError: (err: Error) => void, agent?: http.Agent) => void;
const proxyToKubelet: UpgradeProxy = proxyUpgrade;

export async function handleStreamUpgrade(deps: UpgradeDeps, target: StreamPath, req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  try {
    const peer = tlsPeerOf(req.socket);
    const user = await deps.authenticator.authenticate({ headers: req.headers, ...(peer ? { peerCertificate: peer } : {}) });
    // Upstream authorizes exec, attach and portforward as `create` (the connect verb of a POST; kubectl's
    // WebSocket GET is authorized the same way since 1.30).
    await deps.authorizer.authorize({ user, verb: 'create', resource: 'pods', apiGroup: '', namespace: target.namespace, name: target.pod, subresource: target.kind });
    const query = new URL(req.url ?? '/', 'http://apiserver');
    let url: URL;
    const ns = encodeURIComponent(target.namespace);
    const pod = encodeURIComponent(target.pod);
    if (target.kind === 'portforward') {
      const found = await findPodKubelet(deps.store, target.namespace, target.pod);
      if (isWebSocket(req) && offersProtocol(req, tunnelledPortForwardProtocol)) throw tunnellingUnsupported();
      // Upstream's kubelet path for port-forward.
      url = deps.transport.url(found.kubeletBase, `/portForward/${ns}/${pod}${query.search}`);
    } else {
      const found = await findStreamTarget(deps.store, target.namespace, target.pod, query.searchParams.get('container') ?? undefined);
      url = deps.transport.url(found.kubeletBase, `/${target.kind}/${ns}/${pod}/${encodeURIComponent(found.container)}${query.search}`);
    }
    const onError = (err: Error): void => {
      deps.logger.warn({ err: err.message, pod: `${target.namespace}/${target.pod}`, kind: target.kind }, 'proxying a pod stream to the kubelet failed');
      rejectUpgrade(socket, new InternalError(`error dialing the kubelet: ${err.message}`));
    };
    proxyToKubelet(req, socket, head, url, onError, deps.transport.agent);
  } catch (err) {
    if (isApiError(err)) rejectUpgrade(socket, err);
    else {
      deps.logger.error({ err, url: req.url }, 'pod stream upgrade failed');
      rejectUpgrade(socket, new InternalError(err instanceof Error ? err.message : String(err)));
    }
  }
}

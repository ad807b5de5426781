// Pod streams: pods/{name}/log (proxied to the kubelet's /containerLogs), pods/{name}/exec and /attach
// and /portforward (HTTP upgrades passed through to the kubelet's /exec, /attach and /portForward, which
// pass them on to the CRI streaming server).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { BadRequestError, NotFoundError } from '../../../api/errors.js';
import type { Store } from '../../storage/store.js';
import type { Authenticator, Authorizer } from '../security.js';
import { handleStreamUpgrade, parseStreamPath, type StreamKind } from './exec-upgrade.js';
import { kubeletTransport } from './kubelet-transport.js';
import { servePodLog } from './log-proxy.js';
import { rejectUpgrade } from '../../../client/upgrade-proxy.js';

/** Container defaulting/validation, kubelet endpoint lookup and kubelet error mapping (see pod-target.ts). */
export { resolveContainer, kubeletEndpointOf, kubeletError, findStreamTarget, findPodKubelet } from './pod-target.js';
/** Which pod stream (exec, attach, portforward) an upgrade request's path addresses. */
export { parseStreamPath } from './exec-upgrade.js';
/** The kubelet's /containerLogs path for a pods/log request. */
export { kubeletLogPath } from './log-proxy.js';

export interface PodStreamDeps {
  store: Store;
  authenticator: Authenticator;
  authorizer: Authorizer;
  logger: Logger;
  /** The API server's client certificate towards kubelets: set → kubelets are dialled over HTTPS. */
  kubeletClient?: { certPem: string; keyPem: string };
}

const anonymous = { name: 'system:anonymous', groups: [] };

/**
 * Registers the pod stream routes on `app` (more specific than the `/api/*` resource route, so they win)
 * and a listener for upgrade requests on its http server.
 */
export function registerPodStreams(app: FastifyInstance, deps: PodStreamDeps): void {
  const transport = kubeletTransport(deps.kubeletClient);
  app.get<{ Params: { namespace: string; name: string } }>('/api/v1/namespaces/:namespace/pods/:name/log', async (request, reply) => {
    const { namespace, name } = request.params;
    await deps.authorizer.authorize({ user: request.skiffUser ?? anonymous, verb: 'get', resource: 'pods', apiGroup: '', namespace, name, subresource: 'log' });
    await servePodLog(deps.store, transport, request, reply, namespace, name);
  });

  for (const kind of ['exec', 'attach', 'portforward'] as StreamKind[]) {
    app.route<{ Params: { namespace: string; name: string } }>({
      method: ['GET', 'POST'],
      url: `/api/v1/namespaces/:namespace/pods/:name/${kind}`,
      handler: async (request) => {
        const { namespace, name } = request.params;
        await deps.authorizer.authorize({ user: request.skiffUser ?? anonymous, verb: 'create', resource: 'pods', apiGroup: '', namespace, name, subresource: kind });
        // Reached only without an Upgrade header: upgrades go to the 'upgrade' listener below.
        throw new BadRequestError('Upgrade request required');
      },
    });
  }

  // Upgraded sockets are no longer the http server's: closing the app ends them here.
  const upgraded = new Set<Duplex>();
  app.addHook('preClose', (done) => {
    for (const socket of upgraded) socket.destroy();
    done();
  });
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = parseStreamPath(req.url ?? '/');
    if (target) {
      upgraded.add(socket);
      socket.once('close', () => upgraded.delete(socket));
      void handleStreamUpgrade({ ...deps, transport }, target, req, socket, head);
      return;
    }
    // Another upgrade listener may own this path; only when there is none is it answered here.
    if (app.server.listenerCount('upgrade') === 1) {
      rejectUpgrade(socket, new NotFoundError({}, 'the server could not find the requested resource'));
    }
  });
}

// The API server factory: a fastify instance with the resource routes, discovery, OpenAPI, health,
// the security hooks and the one error handler, plus the watch caches and the service allocator.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Store } from '../storage/store.js';
import { defaultAdmissionSettings, type AdmissionSettings } from './admission.js';
import { decodeBody, isRecord, maxBodyBytes, mediaType, rawBody } from './body.js';
import { bootstrapCluster } from './bootstrap.js';
import { registerDiscoveryRoutes } from './discovery/index.js';
import { installErrorHandling, sendStatus } from './error-handler.js';
import { BadRequestError, UnauthorizedError } from '../../api/errors.js';
import { nodeNameOf, tlsPeerOf, type TlsPeer } from '../auth/index.js';
import { registerHealthRoutes } from './health.js';
import { advertisedIp, reconcileKubernetesEndpoints } from './kubernetes-endpoints.js';
import { registerOpenApiRoutes } from './openapi/index.js';
import { registerPodStreams } from './pod-streams/index.js';
import { parseResourcePath } from './request-info.js';
import { handleResourceRequest } from './resource-handler.js';
import type { ResourceContext } from './resource-context.js';
import {
  adminAuthenticator,
  allowAllAuthorizer,
  anonymousUser,
  isOpenHealthPath,
  type Authenticator,
  type AuthorizationAttributes,
  type Authorizer,
  type UserInfo,
} from './security.js';
import { ServiceAllocator, parsePortRange, type PortRange } from './service-allocator.js';
import { WatchCacheSet } from './watch-cache.js';

export interface ApiServerOptions {
  store: Store;
  logger?: Logger;
  /** Service ClusterIP range; default 10.96.0.0/12 (its first address goes to the `kubernetes` Service). */
  serviceCIDR?: string;
  /** NodePort range, `30000-32767` by default. */
  nodePortRange?: string | PortRange;
  authenticator?: Authenticator;
  authorizer?: Authorizer;
  /** How often watches with allowWatchBookmarks get a BOOKMARK, in ms (default 60 s, as upstream). */
  watchBookmarkIntervalMs?: number;
  /** Events each resource's watch cache keeps for resuming watches (default 1000). */
  watchCacheCapacity?: number;
  /** tolerationSeconds of the not-ready NoExecute toleration DefaultTolerationSeconds adds to pods (300). */
  defaultNotReadyTolerationSeconds?: number;
  /** tolerationSeconds of the unreachable NoExecute toleration DefaultTolerationSeconds adds to pods (300). */
  defaultUnreachableTolerationSeconds?: number;
  /**
   * The IPv4 address the `kubernetes` Service's Endpoints/EndpointSlice list; by default the listen
   * host when it is one IPv4 address, else 127.0.0.1.
   */
  advertiseAddress?: string;
  /**
   * Serve HTTPS with this serving certificate (its chain: the leaf, then the CA) and ask clients for a
   * certificate signed by `caPem`. Without it the server speaks plain HTTP (`--insecure-http`, tests).
   */
  tls?: ApiServerTls;
  /** The client certificate pod streams present to kubelets over HTTPS; plain HTTP to kubelets without it. */
  kubeletClient?: { certPem: string; keyPem: string };
}

export interface ApiServerTls {
  certPem: string;
  keyPem: string;
  caPem: string;
}

export interface ApiServer {
  app: FastifyInstance;
  allocator: ServiceAllocator;
  /** Creates the system namespaces and the `kubernetes` Service if missing; `listen` calls it. */
  start(): Promise<void>;
  /** Starts serving; port 0 picks a free port. Resolves with the real address. */
  listen(options: { host: string; port: number }): Promise<{ url: string; port: number }>;
  /** Ends all watches and closes the listener. Does not close the store (its owner does). */
  stop(): Promise<void>;
  /** Open watches served from the watch caches, and how many store watches feed them (one per resource watched). */
  watchStats(): { watchers: number; storeWatches: number };
}

declare module 'fastify' {
  interface FastifyRequest {
    skiffUser?: UserInfo;
  }
}

/**
 * Node identities may create only their own Node and Lease (upstream's NodeRestriction). A create's path
 * has no name, so for node users the body's metadata.name goes into the attributes ('' for a body without
 * one, e.g. generateName, which a node may not use for those). Other users keep upstream's nameless create
 * attributes, so RBAC resourceNames never match a create, as upstream.
 */
function withCreatedName(authorizer: Authorizer, request: FastifyRequest): Authorizer {
  return {
    authorize(a: AuthorizationAttributes): Promise<void> {
      if (a.verb !== 'create' || a.name !== undefined || a.subresource !== undefined || nodeNameOf(a.user) === undefined) {
        return authorizer.authorize(a);
      }
      let name = '';
      try {
        const body = decodeBody(rawBody(request.body), mediaType(request.headers['content-type']));
        const meta = isRecord(body) ? body['metadata'] : undefined;
        if (isRecord(meta) && typeof meta['name'] === 'string') name = meta['name'];
      } catch {
        // An undecodable body is refused by the create itself; authorization sees no name.
      }
      return authorizer.authorize({ ...a, name });
    },
  };
}

/**
 * The TLS peer of a connection, read once per socket: a keep-alive connection carries many requests. A
 * TLS 1.2 client that renegotiates keeps the identity it proved first (TLS 1.3 has no renegotiation).
 */
const peers = new WeakMap<object, TlsPeer | undefined>();
function peerOf(socket: object): TlsPeer | undefined {
  if (!peers.has(socket)) peers.set(socket, tlsPeerOf(socket));
  return peers.get(socket);
}

function isResourcePath(url: string): boolean {
  try {
    parseResourcePath(url);
    return true;
  } catch {
    return false;
  }
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const logger = options.logger ?? pino({ level: 'info' });
  const authenticator = options.authenticator ?? adminAuthenticator;
  const authorizer = options.authorizer ?? allowAllAuthorizer;
  const ports = typeof options.nodePortRange === 'string' ? parsePortRange(options.nodePortRange) : (options.nodePortRange ?? { min: 30000, max: 32767 });
  const allocator = new ServiceAllocator(options.store, options.serviceCIDR ?? '10.96.0.0/12', ports);
  const admission: AdmissionSettings = {
    defaultNotReadyTolerationSeconds: options.defaultNotReadyTolerationSeconds ?? defaultAdmissionSettings.defaultNotReadyTolerationSeconds,
    defaultUnreachableTolerationSeconds: options.defaultUnreachableTolerationSeconds ?? defaultAdmissionSettings.defaultUnreachableTolerationSeconds,
  };
  const ctx: ResourceContext = { store: options.store, logger, allocator, admission };
  const caches = new WatchCacheSet(options.store, logger, options.watchCacheCapacity ?? 1000);
  let ready = false;
  let started: Promise<void> | undefined;

  const tls = options.tls;
  const common = {
    loggerInstance: logger as FastifyBaseLogger,
    // Our own onResponse hook logs one line per request, at debug.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: maxBodyBytes,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 100_000 },
    return503OnClosing: true,
    // Errors fastify raises before routing (a URL that does not decode, ...) are answered as Status too.
    frameworkErrors: (err: Error, _request: FastifyRequest, reply: FastifyReply) => {
      sendStatus(reply, new BadRequestError(err.message));
    },
  };
  // Token clients (a joining node) have no certificate yet: the listener asks for one and lets the
  // authenticators decide (requestCert without rejectUnauthorized), as kube-apiserver does.
  const app = (
    tls
      ? Fastify({
          ...common,
          https: { cert: `${tls.certPem.trim()}\n${tls.caPem.trim()}\n`, key: tls.keyPem, ca: tls.caPem, requestCert: true, rejectUnauthorized: false },
        })
      : Fastify(common)
  ) as unknown as FastifyInstance;
  app.decorateRequest('skiffUser', undefined);
  // Every body arrives as bytes; handlers decode it by media type so bad input is always a Status.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  installErrorHandling(app);

  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    const peer = peerOf(request.raw.socket);
    let user: UserInfo;
    try {
      user = await authenticator.authenticate({ headers: request.headers, ...(peer ? { peerCertificate: peer } : {}) });
    } catch (e) {
      // Probes and scripts check health without credentials (see isOpenHealthPath); everything else is 401.
      if (e instanceof UnauthorizedError && isOpenHealthPath(path)) {
        request.skiffUser = anonymousUser;
        return;
      }
      throw e;
    }
    request.skiffUser = user;
    if (!isResourcePath(request.url)) {
      await authorizer.authorize({ user, verb: request.method.toLowerCase(), resource: '', apiGroup: '', path });
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), user: request.skiffUser?.name }, 'request');
  });

  registerHealthRoutes(app, () => ready);
  registerDiscoveryRoutes(app);
  registerOpenApiRoutes(app);
  registerPodStreams(app, {
    store: options.store,
    authenticator,
    authorizer,
    logger,
    ...(options.kubeletClient ? { kubeletClient: options.kubeletClient } : {}),
  });
  const deps = { ctx, caches, authorizer, bookmarkIntervalMs: options.watchBookmarkIntervalMs ?? 60_000 };
  for (const url of ['/api/*', '/apis/*']) {
    app.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url,
      handler: (request, reply) =>
        handleResourceRequest({ ...deps, authorizer: withCreatedName(authorizer, request) }, request, reply, request.skiffUser ?? anonymousUser),
    });
  }

  const start = (): Promise<void> => {
    started ??= bootstrapCluster(ctx).then(() => {
      ready = true;
    });
    return started;
  };

  return {
    app,
    allocator,
    start,
    async listen({ host, port }) {
      await start();
      await app.listen({ host, port });
      const address = app.server.address();
      const realPort = typeof address === 'object' && address ? address.port : port;
      // As upstream's endpoint reconciler: the `kubernetes` Service leads to this server. A failure here
      // must not keep the server from serving; it is logged.
      await reconcileKubernetesEndpoints(ctx, { ip: advertisedIp(host, options.advertiseAddress), port: realPort }).catch((e: unknown) => {
        logger.error({ err: e }, 'reconciling the kubernetes service endpoints failed');
      });
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return { url: `${tls ? 'https' : 'http'}://${shownHost}:${realPort}`, port: realPort };
    },
    watchStats() {
      const all = caches.all();
      return { watchers: all.reduce((n, c) => n + c.subscriberCount, 0), storeWatches: all.length };
    },
    async stop() {
      ready = false;
      caches.stop();
      await app.close();
    },
  };
}

// The two security seams of the request path. Every request is authenticated (who is this?) and then
// authorized with upstream's attribute set (may this user do this verb on this resource?). The real
// implementations (client certificates, bootstrap tokens, node authorizer, RBAC) arrive with the
// security issue; until then everyone is the cluster admin, but the hooks already run on every request.
import type { IncomingHttpHeaders } from 'node:http';

export interface UserInfo {
  name: string;
  groups: string[];
}

/** What an authenticator may look at: headers and, for TLS client certificates, the socket. */
export interface AuthenticationRequest {
  headers: IncomingHttpHeaders;
  /** The TLS peer when the listener is TLS: auth's `TlsPeer` (`tlsPeerOf(socket)`), left opaque at this seam. */
  peerCertificate?: unknown;
}

export interface Authenticator {
  /** Resolves the caller, or throws UnauthorizedError (401). */
  authenticate(request: AuthenticationRequest): Promise<UserInfo>;
}

/** Upstream's authorizer.Attributes, reduced to what Skiff decides on. */
export interface AuthorizationAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection; for non-resource paths the HTTP verb lower-cased. */
  verb: string;
  /** Plural resource ('' for non-resource requests such as /healthz). */
  resource: string;
  apiGroup: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Set for non-resource requests (/version, /openapi/v2, /healthz). */
  path?: string;
}

export interface Authorizer {
  /** Returns when allowed; throws ForbiddenError (403) otherwise. */
  authorize(attributes: AuthorizationAttributes): Promise<void>;
}

/** Who a request without credentials is; only the open health paths serve it. */
export const anonymousUser: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/**
 * Paths answered without credentials: /healthz, /livez, /readyz (and their sub-checks), so load balancers,
 * probes and scripts can wait for the server without a certificate. Upstream serves these to anonymous
 * users through system:public-info-viewer only when anonymous auth is on; Skiff turns anonymous auth off
 * everywhere else (401) but keeps these open. /version is not among them: it needs an authenticated user.
 */
export function isOpenHealthPath(path: string): boolean {
  return ['/healthz', '/livez', '/readyz'].some((p) => path === p || path.startsWith(`${p}/`));
}

export const adminUser: UserInfo = { name: 'system:admin', groups: ['system:masters', 'system:authenticated'] };

/** Treats every caller as the cluster admin: the placeholder until certificates and tokens exist. */
export const adminAuthenticator: Authenticator = {
  authenticate: () => Promise.resolve(adminUser),
};

/** Allows everything, as upstream's AlwaysAllow authorizer. */
export const allowAllAuthorizer: Authorizer = {
  authorize: () => Promise.resolve(),
};

// The API server room's public surface.

/** Builds the API server (routes, watch caches, allocators) over a Store; see ApiServerOptions. */
export { createApiServer } from './server.js';
export type { ApiServer, ApiServerOptions } from './server.js';
/** The security seams every request passes, and the placeholder admin implementations. */
export { adminAuthenticator, allowAllAuthorizer, adminUser } from './security.js';
export type { Authenticator, Authorizer, AuthorizationAttributes, AuthenticationRequest, UserInfo } from './security.js';
/** The system namespaces the server creates at start. */
export { systemNamespaces } from './bootstrap.js';

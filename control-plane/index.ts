// The control plane's public surface for other rooms and tools.

/** The API server factory and its security seams (see control-plane/apiserver/index.ts). */
export {
  createApiServer,
  adminAuthenticator,
  allowAllAuthorizer,
  adminUser,
  systemNamespaces,
} from './apiserver/index.js';
export type {
  ApiServer,
  ApiServerOptions,
  Authenticator,
  Authorizer,
  AuthorizationAttributes,
  AuthenticationRequest,
  UserInfo,
} from './apiserver/index.js';
/** `skiff server`'s entry point. */
export { main as serverMain } from './cmd/server.js';

// OpenAPI v2 and v3 documents generated from api/schema, served as kubectl expects them.

/** Registers GET /openapi/v2, /openapi/v3 (root index) and /openapi/v3/<api/v1 | apis/g/v>. */
export { registerOpenApiRoutes } from './routes.js';
/** The cached documents (built once), for tests and for a server that wants to warm them at start. */
export { openApiV2Document, openApiV3Document, openApiV3Root, openApiV3Key } from './documents.js';
export type { CachedDocument } from './documents.js';

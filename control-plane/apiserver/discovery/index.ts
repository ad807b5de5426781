// Discovery: /version, /api, /apis, and the per-group/version resource lists, in both the legacy and the
// aggregated (apidiscovery.k8s.io/v2) forms, all built from api/resources.ts.

/**
 * Registers GET /version, /api, /apis, /api/v1, /apis/:group and /apis/:group/:version on the API
 * server. /api and /apis answer the aggregated APIGroupDiscoveryList when the client's Accept asks for it.
 */
export { registerDiscoveryRoutes } from './routes.js';
/** The /version body (Kubernetes 1.33, `gitVersion: v1.33.0-skiff`). */
export { versionInfo, servedKubernetesVersion } from './version-info.js';
/** The legacy discovery documents as plain objects, for other routes or clients that need them. */
export { apiGroupList, apiResourceList, apiVersions, servedGroups } from './legacy-discovery.js';
/** The aggregated discovery document and the Accept negotiation that selects it. */
export { aggregatedDiscovery } from './aggregated-discovery.js';
export { preferredDiscovery, aggregatedContentType } from './negotiation.js';

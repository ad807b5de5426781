// Aggregated discovery (apidiscovery.k8s.io v2, and v2beta1 for older clients): every resource of every
// group in one answer to GET /api or /apis, which kubectl asks for first and caches, instead of one
// request per group/version.
import { builtinResources, type ResourceInfo } from '../../../api/resources.js';
import { servedGroups } from './legacy-discovery.js';
import { subresourceInfo } from './subresources.js';

export type DiscoveryVersion = 'v2' | 'v2beta1';

interface ResourceDiscovery {
  resource: string;
  responseKind: { group: string; version: string; kind: string };
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: Array<{ subresource: string; responseKind: { group: string; version: string; kind: string }; verbs: string[] }>;
}

function resourceDiscovery(r: ResourceInfo): ResourceDiscovery {
  const subresources = r.subresources.map((name) => {
    const s = subresourceInfo(r, name);
    return { subresource: name, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: s.verbs };
  });
  return {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}

function groupDiscovery(group: string, versions: string[]): object {
  return {
    // The core group has no name: upstream leaves metadata.name empty in the /api document.
    metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      resources: builtinResources.filter((r) => r.group === group && r.version === version).map(resourceDiscovery),
      freshness: 'Current',
    })),
  };
}

/** The APIGroupDiscoveryList for /api (`root: 'api'`, the core group) or /apis (every named group). */
export function aggregatedDiscovery(root: 'api' | 'apis', version: DiscoveryVersion): object {
  const items =
    root === 'api'
      ? [groupDiscovery('', ['v1'])]
      : servedGroups().map((g) => groupDiscovery(g.name, g.versions.map((v) => v.version)));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

// The unaggregated discovery documents: /api (APIVersions), /apis (APIGroupList), and one
// APIResourceList per group/version. Old clients, and kubectl when it falls back, walk these.
import { builtinResources, groupVersion, type ResourceInfo } from '../../../api/resources.js';
import { subresourceInfo } from './subresources.js';

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface ApiGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

/** The API groups served under /apis, in the order of builtinResources, each with its versions. */
export function servedGroups(): ApiGroup[] {
  const groups = new Map<string, ApiGroup>();
  for (const r of builtinResources) {
    if (!r.group) continue;
    const gv = { groupVersion: groupVersion(r), version: r.version };
    const existing = groups.get(r.group);
    if (!existing) {
      groups.set(r.group, { name: r.group, versions: [gv], preferredVersion: gv });
    } else if (!existing.versions.some((v) => v.version === r.version)) {
      existing.versions.push(gv);
    }
  }
  return [...groups.values()];
}

export function resourcesIn(group: string, version: string): ResourceInfo[] {
  return builtinResources.filter((r) => r.group === group && r.version === version);
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups() };
}

/** One row per resource and one per subresource (`pods/status`), as upstream lists them. */
export function apiResourceRows(r: ResourceInfo): ApiResource[] {
  const main: ApiResource = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
  };
  const subs = r.subresources.map((name): ApiResource => {
    const s = subresourceInfo(r, name);
    const crossGroup = s.group !== r.group || s.version !== r.version;
    return {
      name: `${r.plural}/${name}`,
      singularName: '',
      namespaced: r.namespaced,
      ...(crossGroup ? { group: s.group, version: s.version } : {}),
      kind: s.kind,
      verbs: s.verbs,
    };
  });
  return [main, ...subs];
}

/** The APIResourceList of one group/version, or undefined when Skiff does not serve it. */
export function apiResourceList(group: string, version: string): object | undefined {
  const resources = resourcesIn(group, version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: resources.flatMap(apiResourceRows),
  };
}

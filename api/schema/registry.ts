// Every definition by name, built once from the per-group files.
import type { ResourceInfo } from '../resources.js';
import { appsDefinitions } from './apps-v1.js';
import { batchDefinitions } from './batch-v1.js';
import { certificatesDefinitions } from './certificates-v1.js';
import { configDefinitions } from './core-config.js';
import { nodeDefinitions } from './core-node.js';
import { podDefinitions } from './core-pod.js';
import { serviceDefinitions } from './core-service.js';
import { volumeDefinitions } from './core-volume.js';
import type { Definition } from './field-schema.js';
import { metaDefinitions } from './meta-v1.js';
import { otherGroupDefinitions } from './other-groups.js';
import { rbacDefinitions } from './rbac-v1.js';

const definitions: ReadonlyMap<string, Definition> = new Map(
  [
    ...metaDefinitions,
    ...podDefinitions,
    ...volumeDefinitions,
    ...nodeDefinitions,
    ...serviceDefinitions,
    ...configDefinitions,
    ...appsDefinitions,
    ...batchDefinitions,
    ...otherGroupDefinitions,
    ...rbacDefinitions,
    ...certificatesDefinitions,
  ].map((d) => [d.name, d]),
);

export function getDefinition(name: string): Definition | undefined {
  return definitions.get(name);
}

export function allDefinitions(): readonly Definition[] {
  return [...definitions.values()];
}

export function findDefinitionByGvk(group: string, version: string, kind: string): Definition | undefined {
  for (const d of definitions.values()) {
    if (d.gvk && d.gvk.group === group && d.gvk.version === version && d.gvk.kind === kind) return d;
  }
  return undefined;
}

export function definitionForResource(r: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): Definition {
  const d = findDefinitionByGvk(r.group, r.version, r.kind);
  if (!d) throw new Error(`no schema for ${r.group || 'core'}/${r.version} ${r.kind}`);
  return d;
}

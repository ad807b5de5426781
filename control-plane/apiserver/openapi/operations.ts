// The REST operations Skiff serves for each resource, described once and rendered into both OpenAPI
// flavours. kubectl decides to use server-side field validation by finding the `fieldValidation` query
// parameter on the PATCH operation of a kind (k8s.io/cli-runtime queryParamVerifierV3), so every write
// operation lists it.
import { groupVersion, type ResourceInfo } from '../../../api/resources.js';
import { definitionForResource } from '../../../api/schema/index.js';
import { subresourceInfo } from '../discovery/subresources.js';

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

export interface Operation {
  method: HttpMethod;
  path: string;
  operationId: string;
  /** x-kubernetes-action */
  action: 'get' | 'list' | 'put' | 'patch' | 'post' | 'delete' | 'deletecollection' | 'connect';
  gvk: { group: string; version: string; kind: string };
  /** Names from `queryParameters`. */
  query: readonly string[];
  /** Definition name of the request body, or 'Patch' for PATCH bodies. */
  body?: string;
  /** Definition name of the 200 answer; absent for text answers (logs). */
  response?: string;
  pathParams: readonly ('namespace' | 'name')[];
  description: string;
  tag: string;
}

/** Every query parameter Skiff documents, with upstream's types. */
export const queryParameters: Record<string, { type: 'string' | 'boolean' | 'integer'; description: string }> = {
  pretty: { type: 'string', description: "If 'true', then the output is pretty printed." },
  dryRun: { type: 'string', description: 'When present, indicates that modifications should not be persisted. Valid value: All.' },
  fieldManager: { type: 'string', description: 'A name associated with the actor or entity that is making these changes.' },
  fieldValidation: {
    type: 'string',
    description:
      'How the server handles fields in the request object that it does not know: Ignore, Warn (the default) or Strict.',
  },
  force: { type: 'boolean', description: 'Force is going to "force" Apply requests. Only for apply patches.' },
  allowWatchBookmarks: { type: 'boolean', description: 'Requests watch events with type "BOOKMARK".' },
  continue: { type: 'string', description: 'The continue token from a previous, limited list.' },
  fieldSelector: { type: 'string', description: 'A selector to restrict the list of returned objects by their fields.' },
  labelSelector: { type: 'string', description: 'A selector to restrict the list of returned objects by their labels.' },
  limit: { type: 'integer', description: 'The maximum number of objects to return in one list answer.' },
  resourceVersion: { type: 'string', description: 'Constrains the resource versions a request may be served from.' },
  resourceVersionMatch: { type: 'string', description: 'How resourceVersion applies to list calls.' },
  sendInitialEvents: { type: 'boolean', description: 'Start a watch with synthetic ADDED events for the current state.' },
  timeoutSeconds: { type: 'integer', description: 'Timeout for the list/watch call.' },
  watch: { type: 'boolean', description: 'Watch for changes to the described resources.' },
  gracePeriodSeconds: { type: 'integer', description: 'The duration in seconds before the object should be deleted.' },
  propagationPolicy: { type: 'string', description: 'Whether and how garbage collection will be performed: Orphan, Background, Foreground.' },
  orphanDependents: { type: 'boolean', description: 'Deprecated: use propagationPolicy.' },
  container: { type: 'string', description: 'The container for which to stream logs.' },
  follow: { type: 'boolean', description: 'Follow the log stream of the pod.' },
  previous: { type: 'boolean', description: 'Return previous terminated container logs.' },
  tailLines: { type: 'integer', description: 'The number of lines from the end of the logs to show.' },
  sinceSeconds: { type: 'integer', description: 'A relative time in seconds before the current time from which to show logs.' },
  timestamps: { type: 'boolean', description: 'Add an RFC3339 timestamp at the beginning of every line.' },
};

const writeQuery = ['dryRun', 'fieldManager', 'fieldValidation'];
const patchQuery = [...writeQuery, 'force'];
const listQuery = [
  'allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion',
  'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch',
];
const deleteQuery = ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy'];
const logQuery = ['container', 'follow', 'previous', 'sinceSeconds', 'tailLines', 'timestamps'];

const metaDef = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** upstream-style operation id prefix: `CoreV1`, `AppsV1`, `DiscoveryV1`, `CoordinationV1`. */
function groupPrefix(r: ResourceInfo): string {
  const group = r.group ? r.group.split('.')[0] ?? r.group : 'core';
  return `${pascal(group)}${pascal(r.version)}`;
}

interface Scope {
  resource: ResourceInfo;
  kindDef: string;
  gvk: Operation['gvk'];
  tag: string;
  /** `CoreV1Namespaced`-style middle of operation ids. */
  id: string;
}

function op(scope: Scope, o: Omit<Operation, 'gvk' | 'tag'>): Operation {
  return { ...o, gvk: scope.gvk, tag: scope.tag };
}

/** The operations served for one resource and its schema-bearing subresources. */
export function resourceOperations(r: ResourceInfo): Operation[] {
  const base = r.group ? `/apis/${groupVersion(r)}` : '/api/v1';
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
  const item = `${collection}/{name}`;
  const ns: Operation['pathParams'] = r.namespaced ? ['namespace'] : [];
  const named: Operation['pathParams'] = [...ns, 'name'];
  const scope: Scope = {
    resource: r,
    kindDef: definitionForResource(r).name,
    gvk: { group: r.group, version: r.version, kind: r.kind },
    tag: r.group ? `${r.group.split('.')[0]}_${r.version}` : 'core_v1',
    id: `${groupPrefix(r)}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
  };
  const { kindDef, id } = scope;
  const listDef = `${kindDef}List`;
  const has = (verb: string) => r.verbs.includes(verb);
  const ops: Operation[] = [];
  if (has('list')) {
    ops.push(op(scope, {
      method: 'get', path: collection, operationId: `list${id}`, action: 'list', query: listQuery,
      response: listDef, pathParams: ns, description: `list or watch objects of kind ${r.kind}`,
    }));
    if (r.namespaced) {
      ops.push(op(scope, {
        method: 'get', path: `${base}/${r.plural}`, operationId: `list${groupPrefix(r)}${r.kind}ForAllNamespaces`,
        action: 'list', query: listQuery, response: listDef, pathParams: [],
        description: `list or watch objects of kind ${r.kind} in all namespaces`,
      }));
    }
  }
  if (has('create')) {
    ops.push(op(scope, {
      method: 'post', path: collection, operationId: `create${id}`, action: 'post', query: writeQuery,
      body: kindDef, response: kindDef, pathParams: ns, description: `create a ${r.kind}`,
    }));
  }
  if (has('deletecollection')) {
    ops.push(op(scope, {
      method: 'delete', path: collection, operationId: `deleteCollection${id}`, action: 'deletecollection',
      query: [...deleteQuery, ...listQuery.filter((q) => q !== 'watch' && q !== 'allowWatchBookmarks')],
      body: `${metaDef}DeleteOptions`, response: `${metaDef}Status`, pathParams: ns,
      description: `delete collection of ${r.kind}`,
    }));
  }
  if (has('get')) {
    ops.push(op(scope, {
      method: 'get', path: item, operationId: `read${id}`, action: 'get', query: [], response: kindDef,
      pathParams: named, description: `read the specified ${r.kind}`,
    }));
  }
  if (has('update')) {
    ops.push(op(scope, {
      method: 'put', path: item, operationId: `replace${id}`, action: 'put', query: writeQuery, body: kindDef,
      response: kindDef, pathParams: named, description: `replace the specified ${r.kind}`,
    }));
  }
  if (has('patch')) {
    ops.push(op(scope, {
      method: 'patch', path: item, operationId: `patch${id}`, action: 'patch', query: patchQuery, body: 'Patch',
      response: kindDef, pathParams: named, description: `partially update the specified ${r.kind}`,
    }));
  }
  if (has('delete')) {
    ops.push(op(scope, {
      method: 'delete', path: item, operationId: `delete${id}`, action: 'delete', query: deleteQuery,
      body: `${metaDef}DeleteOptions`, response: `${metaDef}Status`, pathParams: named,
      description: `delete a ${r.kind}`,
    }));
  }
  for (const sub of r.subresources) ops.push(...subresourceOperations(scope, sub, item, named));
  return ops;
}

function subresourceOperations(
  scope: Scope,
  sub: string,
  item: string,
  named: Operation['pathParams'],
): Operation[] {
  const r = scope.resource;
  const info = subresourceInfo(r, sub);
  const path = `${item}/${sub}`;
  const id = `${scope.id}${pascal(sub)}`;
  const subScope: Scope = { ...scope, gvk: { group: info.group, version: info.version, kind: info.kind } };
  const mk = (o: Omit<Operation, 'gvk' | 'tag' | 'path' | 'pathParams'>): Operation =>
    op(subScope, { ...o, path, pathParams: named });
  switch (sub) {
    case 'status':
    case 'approval':
    case 'scale': {
      const def = sub === 'scale' ? 'io.k8s.api.autoscaling.v1.Scale' : scope.kindDef;
      return [
        mk({ method: 'get', operationId: `read${id}`, action: 'get', query: [], response: def, description: `read ${sub} of the specified ${r.kind}` }),
        mk({ method: 'put', operationId: `replace${id}`, action: 'put', query: writeQuery, body: def, response: def, description: `replace ${sub} of the specified ${r.kind}` }),
        mk({ method: 'patch', operationId: `patch${id}`, action: 'patch', query: patchQuery, body: 'Patch', response: def, description: `partially update ${sub} of the specified ${r.kind}` }),
      ];
    }
    case 'binding': {
      const binding = 'io.k8s.api.core.v1.Binding';
      return [mk({ method: 'post', operationId: `create${id}`, action: 'post', query: writeQuery, body: binding, response: binding, description: `create binding of a ${r.kind}` })];
    }
    case 'log':
      return [mk({ method: 'get', operationId: `read${id}`, action: 'get', query: logQuery, description: `read log of the specified ${r.kind}` })];
    default:
      return [];
  }
}

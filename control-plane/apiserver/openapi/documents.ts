// The OpenAPI documents: v3 split per group/version (what kubectl 1.33 reads for explain, apply's
// strategic merge metadata and the field-validation check), and one v2 document for older clients.
// Built on first use and kept: the schema never changes while the server runs.
import { createHash } from 'node:crypto';
import { builtinResources, groupVersion, type ResourceInfo } from '../../../api/resources.js';
import { allDefinitions, getDefinition } from '../../../api/schema/index.js';
import { servedKubernetesVersion } from '../discovery/index.js';
import { queryParameters, resourceOperations, type Operation } from './operations.js';
import {
  definitionToOpenApi, type JsonObject, leafDefinitions, type OpenApiFlavour, reachableDefinitions,
} from './schema-json.js';

const metaDef = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const patchDef = `${metaDef}Patch`;
const patchContentTypes = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
const answerContentTypes = ['application/json', 'application/yaml'];

const info = () => ({
  title: 'Kubernetes',
  version: `v${servedKubernetesVersion.major}.${servedKubernetesVersion.minor}.${servedKubernetesVersion.patch}`,
});

/** `api/v1` or `apis/apps/v1`: the keys of the v3 root index and the tail of each document's URL. */
export function openApiV3Key(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `apis/${groupVersion(r)}` : `api/${r.version}`;
}

function groupVersionKeys(): string[] {
  return [...new Set(builtinResources.map(openApiV3Key))];
}

function refTo(name: string, flavour: OpenApiFlavour): JsonObject {
  return { $ref: flavour === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}` };
}

function parameterV3(name: string, where: 'query' | 'path'): JsonObject {
  if (where === 'path') {
    return { name, in: 'path', required: true, description: `name of the ${name === 'namespace' ? 'Namespace' : 'object'}`, schema: { type: 'string', uniqueItems: true } };
  }
  const p = queryParameters[name];
  return { name, in: 'query', description: p?.description ?? name, schema: { type: p?.type ?? 'string', uniqueItems: true } };
}

function parameterV2(name: string, where: 'query' | 'path'): JsonObject {
  if (where === 'path') return { name, in: 'path', required: true, type: 'string', uniqueItems: true };
  const p = queryParameters[name];
  return { name, in: 'query', description: p?.description ?? name, type: p?.type ?? 'string', uniqueItems: true };
}

function operationV3(o: Operation): JsonObject {
  const ok = o.response
    ? { content: Object.fromEntries(answerContentTypes.map((t) => [t, { schema: refTo(o.response as string, 'v3') }])) }
    : { content: { 'text/plain': { schema: { type: 'string' } } } };
  const body = o.body
    ? {
        requestBody: {
          ...(o.method === 'post' || o.method === 'put' || o.method === 'patch' ? { required: true } : {}),
          content: Object.fromEntries(
            (o.body === 'Patch' ? patchContentTypes : ['*/*']).map((t) => [t, { schema: refTo(o.body === 'Patch' ? patchDef : (o.body as string), 'v3') }]),
          ),
        },
      }
    : {};
  return {
    tags: [o.tag],
    description: o.description,
    operationId: o.operationId,
    parameters: o.query.map((q) => parameterV3(q, 'query')),
    ...body,
    responses: {
      '200': { description: 'OK', ...ok },
      ...(o.method === 'post' ? { '201': { description: 'Created', ...ok }, '202': { description: 'Accepted', ...ok } } : {}),
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': { ...o.gvk },
  };
}

function operationV2(o: Operation): JsonObject {
  const bodyParam = o.body
    ? [{ name: 'body', in: 'body', required: o.method !== 'delete', schema: refTo(o.body === 'Patch' ? patchDef : o.body, 'v2') }]
    : [];
  return {
    description: o.description,
    consumes: o.body === 'Patch' ? patchContentTypes : ['*/*'],
    produces: o.response ? answerContentTypes : ['text/plain'],
    schemes: ['https'],
    tags: [o.tag],
    operationId: o.operationId,
    parameters: [...bodyParam, ...o.query.map((q) => parameterV2(q, 'query'))],
    responses: {
      '200': { description: 'OK', schema: o.response ? refTo(o.response, 'v2') : { type: 'string' } },
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': { ...o.gvk },
  };
}

function pathsOf(operations: Operation[], flavour: OpenApiFlavour): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const o of operations) {
    const entry = (paths[o.path] ??= {
      parameters: [
        ...o.pathParams.map((p) => (flavour === 'v3' ? parameterV3(p, 'path') : parameterV2(p, 'path'))),
        flavour === 'v3' ? parameterV3('pretty', 'query') : parameterV2('pretty', 'query'),
      ],
    });
    entry[o.method] = flavour === 'v3' ? operationV3(o) : operationV2(o);
  }
  return paths;
}

function schemasFor(operations: Operation[], flavour: OpenApiFlavour): Record<string, JsonObject> {
  const roots = new Set<string>([`${metaDef}Status`, `${metaDef}DeleteOptions`, `${metaDef}APIResourceList`, `${metaDef}WatchEvent`]);
  for (const o of operations) {
    if (o.response) roots.add(o.response);
    if (o.body && o.body !== 'Patch') roots.add(o.body);
  }
  const names = [...reachableDefinitions(roots, getDefinition)].sort();
  const schemas: Record<string, JsonObject> = { ...leafDefinitions(flavour) };
  for (const name of names) {
    const d = getDefinition(name);
    if (d) schemas[name] = definitionToOpenApi(d, flavour);
  }
  // The PATCH body is free-form: its shape depends on the Content-Type.
  schemas[patchDef] = { type: 'object', description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.' };
  return schemas;
}

function buildV3(key: string): JsonObject {
  const operations = builtinResources.filter((r) => openApiV3Key(r) === key).flatMap(resourceOperations);
  return {
    openapi: '3.0.0',
    info: info(),
    paths: pathsOf(operations, 'v3'),
    components: {
      schemas: schemasFor(operations, 'v3'),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

function buildV2(): JsonObject {
  const operations = builtinResources.flatMap(resourceOperations);
  const definitions = schemasFor(operations, 'v2');
  // v2 is one document: include every definition, not only those reachable from paths.
  for (const d of allDefinitions()) definitions[d.name] ??= JSON.parse(JSON.stringify(definitionToOpenApi(d, 'v2'))) as JsonObject;
  return {
    swagger: '2.0',
    info: info(),
    paths: pathsOf(operations, 'v2'),
    definitions,
    securityDefinitions: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}

/** A serialized document and its content hash (upper-case hex SHA-512, as upstream publishes it). */
export interface CachedDocument {
  body: string;
  hash: string;
}

function cache(doc: JsonObject): CachedDocument {
  const body = JSON.stringify(doc);
  return { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
}

let v3Documents: Map<string, CachedDocument> | undefined;
let v3Root: CachedDocument | undefined;
let v2Document: CachedDocument | undefined;

function v3All(): Map<string, CachedDocument> {
  v3Documents ??= new Map(groupVersionKeys().map((k) => [k, cache(buildV3(k))]));
  return v3Documents;
}

/** The v3 document of one group/version key (`api/v1`, `apis/apps/v1`), or undefined. */
export function openApiV3Document(key: string): CachedDocument | undefined {
  return v3All().get(key);
}

/** GET /openapi/v3: each group/version and the URL (with content hash) to fetch its document from. */
export function openApiV3Root(): CachedDocument {
  if (!v3Root) {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [key, doc] of v3All()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
    v3Root = cache({ paths });
  }
  return v3Root;
}

/** GET /openapi/v2 as JSON. */
export function openApiV2Document(): CachedDocument {
  v2Document ??= cache(buildV2());
  return v2Document;
}

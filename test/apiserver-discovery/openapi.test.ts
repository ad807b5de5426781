import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOpenApiRoutes } from '../../control-plane/apiserver/openapi/index.js';

interface Parameter {
  name: string;
  in: string;
}
interface OperationDoc {
  parameters?: Parameter[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string };
  'x-kubernetes-action'?: string;
}
type PathItem = Record<string, OperationDoc | Parameter[]>;
interface V3Doc {
  openapi: string;
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>>; 'x-kubernetes-group-version-kind'?: unknown[] }> };
}

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  registerOpenApiRoutes(app);
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

async function get(url: string, accept = 'application/json') {
  return app.inject({ method: 'GET', url, headers: { accept } });
}

async function rootIndex(): Promise<Record<string, { serverRelativeURL: string }>> {
  const res = await get('/openapi/v3', 'application/json, */*');
  expect(res.statusCode).toBe(200);
  return (res.json() as { paths: Record<string, { serverRelativeURL: string }> }).paths;
}

async function v3(key: string): Promise<V3Doc> {
  const paths = await rootIndex();
  const entry = paths[key];
  expect(entry, key).toBeDefined();
  const res = await get(entry?.serverRelativeURL ?? '');
  expect(res.statusCode).toBe(200);
  return res.json() as V3Doc;
}

function patchOperations(doc: V3Doc): OperationDoc[] {
  return Object.values(doc.paths).flatMap((p) => (p.patch && !Array.isArray(p.patch) ? [p.patch] : []));
}

function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

describe('OpenAPI v3', () => {
  it('indexes every served group/version with a hashed serverRelativeURL', async () => {
    const paths = await rootIndex();
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/discovery.k8s.io/v1', 'apis/coordination.k8s.io/v1', 'apis/events.k8s.io/v1']),
    );
    expect(paths['api/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('lets a client cache a document fetched by its current hash', async () => {
    const url = (await rootIndex())['apis/apps/v1']?.serverRelativeURL ?? '';
    const res = await get(url);
    expect(res.headers['cache-control']).toContain('immutable');
    const unhashed = await get('/openapi/v3/apis/apps/v1');
    expect(unhashed.statusCode).toBe(200);
    expect(unhashed.headers['cache-control']).not.toContain('immutable');
  });

  it('answers a revalidation with the current ETag with 304', async () => {
    const first = await get('/openapi/v3/api/v1');
    const again = await app.inject({ method: 'GET', url: '/openapi/v3/api/v1', headers: { accept: 'application/json', 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('documents fieldValidation on every PATCH so kubectl validates on the server', async () => {
    for (const key of Object.keys(await rootIndex())) {
      const doc = await v3(key);
      const patches = patchOperations(doc);
      expect(patches.length, key).toBeGreaterThan(0);
      for (const op of patches) {
        expect(op.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query'), JSON.stringify(op['x-kubernetes-group-version-kind'])).toBe(true);
      }
    }
  });

  it('tags the pod operations with the Pod group/version/kind and action', async () => {
    const doc = await v3('api/v1');
    const item = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
    expect(item?.patch).toMatchObject({ 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Pod' } });
    expect(item?.put).toMatchObject({ 'x-kubernetes-action': 'put' });
    const collection = doc.paths['/api/v1/namespaces/{namespace}/pods'];
    expect((collection?.post as OperationDoc).parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['fieldValidation', 'fieldManager', 'dryRun']));
    expect(doc.paths['/api/v1/pods']?.get).toMatchObject({ 'x-kubernetes-action': 'list' });
  });

  it('publishes strategic-merge metadata and the kind of each schema', async () => {
    const doc = await v3('api/v1');
    const schemas = doc.components.schemas;
    expect(schemas['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind']).toEqual([{ group: '', version: 'v1', kind: 'Pod' }]);
    expect(schemas['io.k8s.api.core.v1.PodSpec']?.properties?.containers).toMatchObject({
      type: 'array',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' }] },
    });
    expect(schemas['io.k8s.api.core.v1.PodSpec']?.properties?.volumes?.['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
    expect(schemas['io.k8s.api.core.v1.PodSpec']?.properties?.tolerations?.['x-kubernetes-patch-strategy']).toBeUndefined();
  });

  it('resolves every $ref inside each document', async () => {
    for (const key of Object.keys(await rootIndex())) {
      const doc = await v3(key);
      const missing = collectRefs(doc)
        .map((r) => r.replace('#/components/schemas/', ''))
        .filter((name) => !doc.components.schemas[name]);
      expect([...new Set(missing)], key).toEqual([]);
    }
  });

  it('answers an unknown group/version with 404', async () => {
    expect((await get('/openapi/v3/apis/nope.example.com/v1')).statusCode).toBe(404);
  });
});

describe('OpenAPI v2', () => {
  it('serves JSON with definitions and vendor extensions', async () => {
    const res = await get('/openapi/v2', 'application/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { swagger: string; definitions: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.core.v1.Container']?.properties?.env?.['x-kubernetes-patch-merge-key']).toBe('name');
    const missing = collectRefs(doc).map((r) => r.replace('#/definitions/', '')).filter((n) => !doc.definitions[n]);
    expect(missing).toEqual([]);
  });

  it('answers 406 to a client that accepts only protobuf', async () => {
    const res = await get('/openapi/v2', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
    expect(res.statusCode).toBe(406);
    expect(res.json()).toMatchObject({ kind: 'Status', code: 406, reason: 'NotAcceptable' });
  });
});

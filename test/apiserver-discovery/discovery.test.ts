import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDiscoveryRoutes } from '../../control-plane/apiserver/discovery/index.js';

// The Accept header kubectl 1.33 sends for /api and /apis (observed with -v=8).
const kubectlAccept =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface ResourceRow {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  singularName: string;
}

interface AggregatedResource {
  resource: string;
  scope: string;
  singularResource: string;
  responseKind: { group: string; version: string; kind: string };
  shortNames?: string[];
  subresources?: Array<{ subresource: string; responseKind: { group: string; version: string; kind: string }; verbs: string[] }>;
}

interface AggregatedList {
  kind: string;
  apiVersion: string;
  items: Array<{ metadata: { name?: string }; versions: Array<{ version: string; freshness: string; resources: AggregatedResource[] }> }>;
}

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  registerDiscoveryRoutes(app);
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

async function get(url: string, accept?: string) {
  const res = await app.inject({ method: 'GET', url, headers: accept ? { accept } : {} });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.json() as unknown };
}

describe('GET /version', () => {
  it('reports Kubernetes 1.33 so kubectl 1.33 sees no version skew', async () => {
    const { status, body } = await get('/version');
    expect(status).toBe(200);
    expect(body).toMatchObject({ major: '1', minor: '33', gitVersion: 'v1.33.0-skiff' });
  });
});

describe('legacy discovery', () => {
  it('answers /api with APIVersions when plain JSON is asked for', async () => {
    const { status, type, body } = await get('/api', 'application/json, */*');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  it('answers /apis with every served group and its preferred version', async () => {
    const { body } = await get('/apis');
    const groups = (body as { kind: string; groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> });
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(['apps', 'batch', 'discovery.k8s.io', 'coordination.k8s.io', 'events.k8s.io']),
    );
    expect(groups.groups.find((g) => g.name === 'apps')?.preferredVersion.groupVersion).toBe('apps/v1');
  });

  it('lists core resources with short names, categories and subresources', async () => {
    const { body } = await get('/api/v1');
    const list = body as { kind: string; groupVersion: string; resources: ResourceRow[] };
    expect(list).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const byName = new Map(list.resources.map((r) => [r.name, r]));
    expect(byName.get('pods')).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all'] });
    expect(byName.get('pods')?.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'patch']));
    expect(byName.get('pods/status')).toMatchObject({ kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect(byName.get('pods/binding')).toMatchObject({ kind: 'Binding', verbs: ['create'] });
    expect(byName.get('nodes')).toMatchObject({ namespaced: false, shortNames: ['no'] });
  });

  it('names the autoscaling/v1 Scale kind for deployments/scale', async () => {
    const { body } = await get('/apis/apps/v1');
    const list = body as { groupVersion: string; resources: ResourceRow[] };
    expect(list.groupVersion).toBe('apps/v1');
    expect(list.resources.find((r) => r.name === 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('answers an unserved group/version with a 404 Status', async () => {
    const { status, body } = await get('/apis/nope.example.com/v1');
    expect(status).toBe(404);
    expect(body).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
  });
});

describe('caching', () => {
  it('answers a revalidation with the current ETag with 304', async () => {
    const first = await app.inject({ method: 'GET', url: '/apis', headers: { accept: kubectlAccept } });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await app.inject({ method: 'GET', url: '/apis', headers: { accept: kubectlAccept, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    const stale = await app.inject({ method: 'GET', url: '/apis', headers: { accept: kubectlAccept, 'if-none-match': '"old"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('gives the aggregated and the legacy form different ETags', async () => {
    const aggregated = await app.inject({ method: 'GET', url: '/apis', headers: { accept: kubectlAccept } });
    const legacy = await app.inject({ method: 'GET', url: '/apis', headers: { accept: 'application/json' } });
    expect(aggregated.headers.etag).not.toBe(legacy.headers.etag);
  });
});

describe('aggregated discovery', () => {
  it.each([
    ['v2', kubectlAccept],
    ['v2beta1', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'],
  ])('answers /apis as APIGroupDiscoveryList %s with the matching Content-Type', async (version, accept) => {
    const { status, type, body } = await get('/apis', accept);
    expect(status).toBe(200);
    expect(type).toBe(`application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`);
    const list = body as AggregatedList;
    expect(list.kind).toBe('APIGroupDiscoveryList');
    expect(list.apiVersion).toBe(`apidiscovery.k8s.io/${version}`);
    const apps = list.items.find((i) => i.metadata.name === 'apps');
    const deployments = apps?.versions[0]?.resources.find((r) => r.resource === 'deployments');
    expect(deployments).toMatchObject({
      scope: 'Namespaced',
      singularResource: 'deployment',
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      shortNames: ['deploy'],
    });
    expect(deployments?.subresources).toEqual(
      expect.arrayContaining([
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      ]),
    );
  });

  it('answers /api with the nameless core group', async () => {
    const { type, body } = await get('/api', kubectlAccept);
    expect(type).toContain('as=APIGroupDiscoveryList');
    const list = body as AggregatedList;
    expect(list.items).toHaveLength(1);
    expect(list.items[0]?.metadata.name).toBeUndefined();
    const v1 = list.items[0]?.versions[0];
    expect(v1?.version).toBe('v1');
    expect(v1?.freshness).toBe('Current');
    expect(v1?.resources.find((r) => r.resource === 'nodes')?.scope).toBe('Cluster');
  });

  it('prefers plain JSON when the client ranks it first', async () => {
    const { type, body } = await get('/apis', `application/json,${kubectlAccept}`);
    expect(type).toMatch(/^application\/json(;|$)/);
    expect(type).not.toContain('APIGroupDiscoveryList');
    expect((body as { kind: string }).kind).toBe('APIGroupList');
  });
});

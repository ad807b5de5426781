// CRUD through HTTP against a real SqliteStore: create/get/update/patch/delete for several kinds, the
// Status shapes of 404/409/422, admission order, and durability across a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, pod, startHarness, type Harness } from '../apiserver/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  expect((await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crud' } })).status).toBe(201);
});

afterAll(async () => {
  await h?.stop();
});

describe('API server CRUD', () => {
  it('creates the system namespaces and the kubernetes service at start', async () => {
    const list = await h.request('GET', '/api/v1/namespaces');
    const names = list.body.items.map((n: any) => n.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
    const svc = await h.request('GET', '/api/v1/namespaces/default/services/kubernetes');
    expect(svc.body.spec.clusterIP).toBe('10.96.0.1');
    expect(svc.body.spec.ports[0].port).toBe(443);
  });

  it('creates, reads, updates and deletes a ConfigMap', async () => {
    const created = await h.request('POST', '/api/v1/namespaces/crud/configmaps', configMap('one'));
    expect(created.status).toBe(201);
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.metadata.namespace).toBe('crud');
    expect(created.body.metadata.creationTimestamp).toMatch(/Z$/);
    const got = await h.request('GET', '/api/v1/namespaces/crud/configmaps/one');
    expect(got.body.data).toEqual({ k: 'v' });
    const updated = await h.request('PUT', '/api/v1/namespaces/crud/configmaps/one', { ...got.body, data: { k: 'w' } });
    expect(updated.status).toBe(200);
    expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(Number(got.body.metadata.resourceVersion));
    const deleted = await h.request('DELETE', '/api/v1/namespaces/crud/configmaps/one');
    expect(deleted.status).toBe(200);
    expect(deleted.body.metadata.name).toBe('one');
    expect((await h.request('GET', '/api/v1/namespaces/crud/configmaps/one')).status).toBe(404);
  });

  it('answers 404 with a NotFound Status naming the resource', async () => {
    const res = await h.request('GET', '/apis/apps/v1/namespaces/crud/deployments/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'deployments.apps "nope" not found', details: { name: 'nope', group: 'apps', kind: 'deployments' } });
  });

  it('answers 409 AlreadyExists for a duplicate create', async () => {
    await h.request('POST', '/api/v1/namespaces/crud/configmaps', configMap('dup'));
    const res = await h.request('POST', '/api/v1/namespaces/crud/configmaps', configMap('dup'));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "dup" already exists' });
  });

  it('rejects an update with a stale resourceVersion with 409 Conflict', async () => {
    const created = await h.request('POST', '/api/v1/namespaces/crud/configmaps', configMap('stale'));
    await h.request('PUT', '/api/v1/namespaces/crud/configmaps/stale', { ...created.body, data: { a: '1' } });
    const res = await h.request('PUT', '/api/v1/namespaces/crud/configmaps/stale', { ...created.body, data: { a: '2' } });
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('Conflict');
    expect(res.body.message).toContain('the object has been modified');
  });

  it('applies an update without resourceVersion unconditionally', async () => {
    await h.request('POST', '/api/v1/namespaces/crud/configmaps', configMap('uncond'));
    const res = await h.request('PUT', '/api/v1/namespaces/crud/configmaps/uncond', configMap('uncond', {}, { x: 'y' }));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ x: 'y' });
  });

  it('generates names from generateName', async () => {
    const res = await h.request('POST', '/api/v1/namespaces/crud/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    expect(res.status).toBe(201);
    expect(res.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('bumps generation only when the spec changes', async () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    };
    const created = await h.request('POST', '/apis/apps/v1/namespaces/crud/deployments', dep);
    expect(created.status).toBe(201);
    expect(created.body.metadata.generation).toBe(1);
    const labelled = await h.request('PATCH', '/apis/apps/v1/namespaces/crud/deployments/web', { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
    expect(labelled.body.metadata.generation).toBe(1);
    const scaled = await h.request('PATCH', '/apis/apps/v1/namespaces/crud/deployments/web', { spec: { replicas: 3 } }, 'application/merge-patch+json');
    expect(scaled.body.metadata.generation).toBe(2);
  });

  it('merges containers by name in a strategic merge patch', async () => {
    await h.request('POST', '/api/v1/namespaces/crud/pods', pod('smp', { containers: [{ name: 'a', image: 'one' }, { name: 'b', image: 'two' }] }));
    const res = await h.request(
      'PATCH',
      '/api/v1/namespaces/crud/pods/smp',
      { metadata: { labels: { patched: 'yes' } }, spec: { containers: [{ name: 'b', image: 'three' }] } },
      'application/strategic-merge-patch+json',
    );
    expect(res.status).toBe(200);
    expect(res.body.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['a=one', 'b=three']);
    expect(res.body.metadata.labels).toMatchObject({ app: 'smp', patched: 'yes' });
  });

  it('applies a JSON patch and answers 422 when its test operation fails', async () => {
    await h.request('POST', '/api/v1/namespaces/crud/configmaps', configMap('jp'));
    const ok = await h.request('PATCH', '/api/v1/namespaces/crud/configmaps/jp', [{ op: 'test', path: '/data/k', value: 'v' }, { op: 'add', path: '/data/n', value: 'm' }], 'application/json-patch+json');
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ k: 'v', n: 'm' });
    const bad = await h.request('PATCH', '/api/v1/namespaces/crud/configmaps/jp', [{ op: 'test', path: '/data/k', value: 'nope' }], 'application/json-patch+json');
    expect(bad.status).toBe(422);
    expect(bad.body.kind).toBe('Status');
  });

  it('leaves the status alone on main-resource writes and the spec alone on status writes', async () => {
    const created = await h.request('POST', '/api/v1/namespaces/crud/pods', pod('st'));
    expect(created.body.status.phase).toBe('Pending');
    const st = await h.request('PUT', '/api/v1/namespaces/crud/pods/st/status', { ...created.body, spec: { ...created.body.spec, nodeName: 'sneaky' }, status: { phase: 'Running' } });
    expect(st.status).toBe(200);
    expect(st.body.status.phase).toBe('Running');
    expect(st.body.spec.nodeName).toBeUndefined();
    const main = await h.request('PATCH', '/api/v1/namespaces/crud/pods/st', { status: { phase: 'Failed' }, metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json');
    expect(main.body.status.phase).toBe('Running');
    expect(main.body.metadata.labels.a).toBe('b');
    const patchedStatus = await h.request('PATCH', '/api/v1/namespaces/crud/pods/st/status', { status: { phase: 'Succeeded' }, metadata: { labels: { c: 'd' } } }, 'application/merge-patch+json');
    expect(patchedStatus.body.status.phase).toBe('Succeeded');
    expect(patchedStatus.body.metadata.labels.c).toBeUndefined();
  });

  it('does not store anything for dryRun=All', async () => {
    const res = await h.request('POST', '/api/v1/namespaces/crud/configmaps?dryRun=All', configMap('dry'));
    expect(res.status).toBe(201);
    expect((await h.request('GET', '/api/v1/namespaces/crud/configmaps/dry')).status).toBe(404);
  });

  it('rejects unknown fields with fieldValidation=Strict and warns with Warn', async () => {
    const body = { ...configMap('strict'), spec: { foo: 1 } };
    const strict = await h.request('POST', '/api/v1/namespaces/crud/configmaps?fieldValidation=Strict', body);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"');
    const warn = await h.request('POST', '/api/v1/namespaces/crud/configmaps?fieldValidation=Warn', body);
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toContain('unknown field');
  });

  it('accepts YAML bodies', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n';
    const res = await h.request('POST', '/api/v1/namespaces/crud/configmaps', yaml, 'application/yaml');
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ a: 'b' });
  });

  it('answers 404 namespaces "x" not found for a create in a missing namespace', async () => {
    const res = await h.request('POST', '/api/v1/namespaces/ghost/configmaps', configMap('x'));
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('namespaces "ghost" not found');
  });

  it('refuses creates in a terminating namespace with 403', async () => {
    await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dying' } });
    const del = await h.request('DELETE', '/api/v1/namespaces/dying');
    expect(del.status).toBe(200);
    expect(del.body.status.phase).toBe('Terminating');
    const res = await h.request('POST', '/api/v1/namespaces/dying/configmaps', configMap('x'));
    expect(res.status).toBe(403);
    expect(res.body.reason).toBe('Forbidden');
  });

  it('answers malformed input with 4xx Status, never 500', async () => {
    const cases: [string, string, unknown, string?][] = [
      ['POST', '/api/v1/namespaces/crud/configmaps', '{bad json'],
      ['POST', '/api/v1/namespaces/crud/configmaps', '[]'],
      ['POST', '/api/v1/namespaces/crud/configmaps', { metadata: { name: 'x', labels: 'oops' } }],
      ['POST', '/api/v1/namespaces/crud/configmaps', { metadata: [] }],
      ['POST', '/api/v1/namespaces/crud/configmaps', { metadata: { name: 'a/b' } }],
      ['POST', '/api/v1/namespaces/crud/configmaps', { metadata: { name: '..' } }],
      ['POST', '/api/v1/namespaces/crud/configmaps', { metadata: { name: 'x'.repeat(1000) } }],
      ['POST', '/api/v1/namespaces/crud/configmaps', { apiVersion: 'apps/v1', metadata: { name: 'x' } }],
      ['POST', '/api/v1/namespaces/crud/configmaps', configMap('ct'), 'text/plain'],
      ['PATCH', '/api/v1/namespaces/crud/configmaps/jp', { data: 1 }, 'application/json'],
      ['PATCH', '/api/v1/namespaces/crud/configmaps/jp', '{"op":1}', 'application/json-patch+json'],
      ['PATCH', '/api/v1/namespaces/crud/configmaps/jp', [{ op: 'replace', path: '/metadata', value: 'x' }], 'application/json-patch+json'],
      ['GET', '/api/v1/namespaces/crud/widgets', undefined],
      ['GET', '/api/v1/namespaces/crud/configmaps?limit=abc', undefined],
      ['GET', '/api/v1/namespaces/crud/configmaps?labelSelector=%3D%3D%3D', undefined],
      ['GET', '/api/v1/namespaces/crud/configmaps?continue=garbage', undefined],
      ['PUT', '/api/v1/namespaces/crud/configmaps', configMap('x')],
      ['DELETE', '/api/v1/namespaces/crud/services', undefined],
    ];
    for (const [method, path, body, type] of cases) {
      const res = await h.request(method, path, body, type);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      expect(res.body.kind, `${method} ${path}`).toBe('Status');
    }
    const big = await h.request('POST', '/api/v1/namespaces/crud/configmaps', { ...configMap('big'), data: { k: 'x'.repeat(4 * 1024 * 1024) } });
    expect(big.status).toBe(413);
  });

  it('answers 405 for a verb the path does not take and 404 for unknown paths', async () => {
    expect((await h.request('PUT', '/api/v1/namespaces/crud/configmaps', configMap('x'))).status).toBe(405);
    expect((await h.request('GET', '/apis/nope.example.com/v1/things')).status).toBe(404);
    expect((await h.request('GET', '/nowhere')).body.reason).toBe('NotFound');
  });

  it('serves cluster-scoped resources without a namespace', async () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '2' } } };
    const res = await h.request('POST', '/api/v1/nodes', node);
    expect(res.status).toBe(201);
    expect(res.body.metadata.namespace).toBeUndefined();
    expect(res.body.status.capacity.cpu).toBe('2');
    expect((await h.request('GET', '/api/v1/namespaces/crud/nodes/n1')).status).toBe(404);
  });

  it('serves events.k8s.io Events and core Events from one store', async () => {
    const ev = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e1' },
      eventTime: '2024-01-01T00:00:00.000000Z',
      reportingController: 'skiff/test',
      reportingInstance: 'i1',
      action: 'Testing',
      reason: 'Tested',
      type: 'Normal',
      note: 'hello',
      regarding: { kind: 'Pod', name: 'p', namespace: 'crud' },
    };
    const created = await h.request('POST', '/apis/events.k8s.io/v1/namespaces/crud/events', ev);
    expect(created.status).toBe(201);
    expect(created.body.note).toBe('hello');
    const core = await h.request('GET', '/api/v1/namespaces/crud/events/e1');
    expect(core.body).toMatchObject({ apiVersion: 'v1', kind: 'Event', message: 'hello', involvedObject: { name: 'p' }, reportingComponent: 'skiff/test' });
  });

  it('accepts the protobuf bodies kubectl create sends', async () => {
    // `kubectl create configmap c1 --from-literal=a=b` as kubectl v1.33 sends it.
    const body = Buffer.from('6b3873000a0f0a0276311209436f6e6669674d6170121c0a120a02633112001a0022002a0032003800420012060a01611201621a002200', 'hex');
    const res = await fetch(`${h.url}/api/v1/namespaces/crud/configmaps?fieldManager=kubectl-create&fieldValidation=Strict`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf,application/json' },
      body,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(((await res.json()) as any).data).toEqual({ a: 'b' });
  });

  it('refuses to delete the system namespaces', async () => {
    const res = await h.request('DELETE', '/api/v1/namespaces/kube-system');
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('this namespace may not be deleted');
  });

  it('answers 404 for subresources that are not served yet', async () => {
    // pods/eviction is advertised upstream but not served by Skiff yet (log/exec/attach/portforward are).
    await h.request('POST', '/api/v1/namespaces/crud/pods', pod('logless'));
    const res = await h.request('POST', '/api/v1/namespaces/crud/pods/logless/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'logless', namespace: 'crud' } });
    expect(res.status).toBe(404);
    expect(res.body.kind).toBe('Status');
  });

  it('keeps everything across a restart', async () => {
    await h.request('POST', '/api/v1/namespaces/crud/configmaps', configMap('durable'));
    await h.restart();
    const res = await h.request('GET', '/api/v1/namespaces/crud/configmaps/durable');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ k: 'v' });
    const svc = await h.request('GET', '/api/v1/namespaces/default/services/kubernetes');
    expect(svc.body.spec.clusterIP).toBe('10.96.0.1');
  });
});

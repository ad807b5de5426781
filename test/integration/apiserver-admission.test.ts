// What upstream's registry strategies and default admission plugins do to a write: the
// DefaultTolerationSeconds tolerations, the Job selector, which kinds carry metadata.generation, the
// strict decoding error text, and omitempty metadata maps after a patch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, pod, startHarness, type Harness } from '../apiserver/harness.js';

let h: Harness;
let tuned: Harness;
const ns = '/api/v1/namespaces/adm';
const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

beforeAll(async () => {
  h = await startHarness();
  tuned = await startHarness({ defaultNotReadyTolerationSeconds: 20, defaultUnreachableTolerationSeconds: 40 });
  for (const server of [h, tuned]) {
    await server.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'adm' } });
  }
});

afterAll(async () => {
  await h?.stop();
  await tuned?.stop();
});

describe('DefaultTolerationSeconds admission', () => {
  const cases: { what: string; tolerations?: unknown[]; want: unknown[] }[] = [
    { what: 'a pod without tolerations gets both', want: [notReady, unreachable] },
    {
      what: 'a pod tolerating not-ready for NoExecute gets only unreachable',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }, unreachable],
    },
    {
      what: 'a pod tolerating everything gets none',
      tolerations: [{ operator: 'Exists' }],
      want: [{ operator: 'Exists' }],
    },
    {
      what: 'a NoSchedule toleration of unreachable does not count',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }],
      want: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable],
    },
  ];
  cases.forEach(({ what, tolerations, want }, i) => {
    it(what, async () => {
      const res = await h.request('POST', `${ns}/pods`, pod(`tol-${i}`, tolerations ? { tolerations } : {}));
      expect(res.status).toBe(201);
      expect(res.body.spec.tolerations).toEqual(want);
    });
  });

  it('uses the configured toleration seconds', async () => {
    const res = await tuned.request('POST', `${ns}/pods`, pod('tuned'));
    expect(res.body.spec.tolerations).toEqual([
      { ...notReady, tolerationSeconds: 20 },
      { ...unreachable, tolerationSeconds: 40 },
    ]);
  });

  it('adds nothing on update', async () => {
    const created = await h.request('POST', `${ns}/pods`, pod('tol-update'));
    const put = await h.request('PUT', `${ns}/pods/tol-update`, {
      ...created.body,
      metadata: { ...created.body.metadata, labels: { changed: 'yes' } },
    });
    expect(put.status).toBe(200);
    expect(put.body.spec.tolerations).toEqual([notReady, unreachable]);
  });
});

describe('Job selector generation', () => {
  const job = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } }, ...extra },
  });

  it('selects by batch.kubernetes.io/controller-uid and labels the template', async () => {
    const res = await h.request('POST', '/apis/batch/v1/namespaces/adm/jobs', job('gen'));
    expect(res.status).toBe(201);
    const uid = res.body.metadata.uid;
    expect(res.body.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(res.body.spec.template.metadata.labels).toEqual({
      app: 'gen',
      'controller-uid': uid,
      'job-name': 'gen',
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'gen',
    });
    // The job's own labels come from the template before the generated ones are added, as upstream.
    expect(res.body.metadata.labels).toEqual({ app: 'gen' });
  });

  it('keeps a manual selector', async () => {
    const res = await h.request('POST', '/apis/batch/v1/namespaces/adm/jobs', job('manual', { manualSelector: true, selector: { matchLabels: { app: 'manual' } } }));
    expect(res.status).toBe(201);
    expect(res.body.spec.selector).toEqual({ matchLabels: { app: 'manual' } });
    expect(res.body.spec.template.metadata.labels).toEqual({ app: 'manual' });
  });
});

describe('metadata.generation', () => {
  it('is unset for kinds without a spec and stays unset on update', async () => {
    const cm = await h.request('POST', `${ns}/configmaps`, configMap('no-gen'));
    expect(cm.body.metadata.generation).toBeUndefined();
    const patched = await h.request('PATCH', `${ns}/configmaps/no-gen`, { data: { k: 'other' } }, 'application/merge-patch+json');
    expect(patched.body.metadata.generation).toBeUndefined();
    const secret = await h.request('POST', `${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } });
    expect(secret.body.metadata.generation).toBeUndefined();
  });

  it('is 1 for a new pod', async () => {
    const res = await h.request('POST', `${ns}/pods`, pod('gen-pod'));
    expect(res.body.metadata.generation).toBe(1);
  });
});

describe('strict decoding errors', () => {
  it('words unknown fields as upstream’s decoder does', async () => {
    const body = { ...pod('strict'), spec: { ...(pod('strict').spec as object), foo: 1, bar: 2 } };
    const res = await h.request('POST', `${ns}/pods?fieldValidation=Strict`, body);
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
    expect(res.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"');
  });

  it('uses the request version for grouped kinds on update', async () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'strict-dep' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    await h.request('POST', '/apis/apps/v1/namespaces/adm/deployments', dep);
    const res = await h.request('PUT', '/apis/apps/v1/namespaces/adm/deployments/strict-dep?fieldValidation=Strict', { ...dep, spec: { ...dep.spec, foo: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"');
  });
});

describe('omitempty metadata after a patch', () => {
  it('drops annotations and labels a patch emptied', async () => {
    const created = await h.request('POST', `${ns}/configmaps`, { ...configMap('empties', { a: 'b' }), metadata: { name: 'empties', labels: { a: 'b' }, annotations: { x: 'y' } } });
    expect(created.status).toBe(201);
    const patched = await h.request('PATCH', `${ns}/configmaps/empties`, { metadata: { labels: { a: null }, annotations: { x: null } } }, 'application/strategic-merge-patch+json');
    expect(patched.status).toBe(200);
    expect(patched.body.metadata).not.toHaveProperty('labels');
    expect(patched.body.metadata).not.toHaveProperty('annotations');
    const got = await h.request('GET', `${ns}/configmaps/empties`);
    expect(got.body.metadata).not.toHaveProperty('annotations');
  });

  it('does not store empty maps sent on create', async () => {
    const created = await h.request('POST', `${ns}/configmaps`, { ...configMap('empty-create'), metadata: { name: 'empty-create', labels: {}, annotations: {} } });
    expect(created.body.metadata).not.toHaveProperty('labels');
    expect(created.body.metadata).not.toHaveProperty('annotations');
  });
});

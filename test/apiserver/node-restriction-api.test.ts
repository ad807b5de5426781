// NodeRestriction through the API: a node's own writes to its Node keep its taints and the
// node-restriction.kubernetes.io/ labels out of its hands (403 Forbidden Status), while its status,
// conditions and ordinary labels go through, and admins keep full control.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Authenticator } from '../../control-plane/apiserver/security.js';
import { startHarness, type Harness } from './harness.js';

/** `x-test-user: name|group,group` picks the caller, as a client certificate would; else the admin. */
const headerAuthenticator: Authenticator = {
  authenticate: ({ headers }) => {
    const raw = headers['x-test-user'];
    if (typeof raw !== 'string') return Promise.resolve({ name: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
    const [name = '', groups = ''] = raw.split('|');
    return Promise.resolve({ name, groups: groups ? groups.split(',') : [] });
  },
};

const asNode = { 'x-test-user': 'system:node:n1|system:nodes,system:authenticated' };
const merge = 'application/merge-patch+json';
const strategic = 'application/strategic-merge-patch+json';
const notReadyTaint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ authenticator: headerAuthenticator });
});

afterAll(async () => {
  await h?.stop();
});

beforeEach(async () => {
  await h.request('DELETE', '/api/v1/nodes/n1');
  const created = await h.request('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
    spec: { taints: [notReadyTaint] },
  });
  expect(created.status).toBe(201);
});

function expectForbidden(res: { status: number; body: any }, message: string): void {
  expect(res.status).toBe(403);
  expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message, details: { name: 'n1', kind: 'nodes' } });
}

describe('a node writing its own Node', () => {
  it('may not remove its taints by merge patch, strategic merge patch or PUT', async () => {
    const want = 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints';
    expectForbidden(await h.request('PATCH', '/api/v1/nodes/n1', { spec: { taints: null } }, merge, asNode), want);
    expectForbidden(await h.request('PATCH', '/api/v1/nodes/n1', { spec: { taints: [] } }, strategic, asNode), want);
    const current = (await h.request('GET', '/api/v1/nodes/n1')).body;
    expectForbidden(await h.request('PUT', '/api/v1/nodes/n1', { ...current, spec: { ...current.spec, taints: [{ key: 'mine', effect: 'NoSchedule' }] } }, undefined, asNode), want);
    expect((await h.request('GET', '/api/v1/nodes/n1')).body.spec.taints).toEqual([notReadyTaint]);
  });

  it('may change its status and conditions, by patch or PUT of /status', async () => {
    const conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }];
    const patched = await h.request('PATCH', '/api/v1/nodes/n1/status', { status: { conditions } }, merge, asNode);
    expect(patched.status).toBe(200);
    expect(patched.body.status.conditions).toMatchObject([{ type: 'Ready', status: 'True' }]);
    // A status write whose body carries other taints does not change them, so it is not refused.
    const current = patched.body;
    const put = await h.request('PUT', '/api/v1/nodes/n1/status', { ...current, spec: { taints: [] }, status: { ...current.status, conditions: [{ ...conditions[0], status: 'False' }] } }, undefined, asNode);
    expect(put.status).toBe(200);
    expect(put.body.status.conditions[0].status).toBe('False');
    expect(put.body.spec.taints).toEqual([notReadyTaint]);
  });

  it('may add and change labels outside node-restriction.kubernetes.io/', async () => {
    const res = await h.request('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'example.com/disk': 'ssd', 'kubernetes.io/hostname': 'n1-renamed' } } }, merge, asNode);
    expect(res.status).toBe(200);
    expect(res.body.metadata.labels).toEqual({ 'example.com/disk': 'ssd', 'kubernetes.io/hostname': 'n1-renamed' });
  });

  it('may not add, change or remove a node-restriction.kubernetes.io/ label', async () => {
    expectForbidden(
      await h.request('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'node-restriction.kubernetes.io/x': 'y' } } }, merge, asNode),
      'nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/x',
    );
    expect((await h.request('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'node-restriction.kubernetes.io/x': 'y' } } }, merge)).status).toBe(200);
    expectForbidden(
      await h.request('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'node-restriction.kubernetes.io/x': 'z' } } }, merge, asNode),
      'nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/x',
    );
    expectForbidden(
      await h.request('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'node-restriction.kubernetes.io/x': null } } }, merge, asNode),
      'nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/x',
    );
    expect((await h.request('GET', '/api/v1/nodes/n1')).body.metadata.labels['node-restriction.kubernetes.io/x']).toBe('y');
  });

  it('may register with taints but not with a node-restriction.kubernetes.io/ label', async () => {
    expect((await h.request('DELETE', '/api/v1/nodes/n1')).status).toBe(200);
    const node = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels }, spec: { taints: [notReadyTaint] } });
    const refused = await h.request('POST', '/api/v1/nodes', node({ 'node-restriction.kubernetes.io/x': 'y' }), undefined, asNode);
    expectForbidden(refused, 'nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: node-restriction.kubernetes.io/x');
    const registered = await h.request('POST', '/api/v1/nodes', node({ 'kubernetes.io/hostname': 'n1' }), undefined, asNode);
    expect(registered.status).toBe(201);
    expect(registered.body.spec.taints).toEqual([notReadyTaint]);
  });
});

describe('other users writing a Node', () => {
  it('an admin may change taints and node-restriction.kubernetes.io/ labels', async () => {
    const res = await h.request('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'node-restriction.kubernetes.io/x': 'y' } }, spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }, merge);
    expect(res.status).toBe(200);
    expect(res.body.spec.taints).toEqual([{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    expect(res.body.metadata.labels['node-restriction.kubernetes.io/x']).toBe('y');
  });

  it('a controller identity may change taints', async () => {
    const controller = { 'x-test-user': 'system:serviceaccount:kube-system:node-controller|system:serviceaccounts,system:authenticated' };
    const res = await h.request('PATCH', '/api/v1/nodes/n1', { spec: { taints: null } }, merge, controller);
    expect(res.status).toBe(200);
    expect(res.body.spec.taints).toBeUndefined();
  });
});

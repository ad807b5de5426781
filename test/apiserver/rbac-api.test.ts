// The four RBAC kinds served like every built-in kind: discovery, CRUD, roleRef immutability (422),
// Table rows for kubectl, and the authorizer's store source reading what the API wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeRbacSource } from '../../control-plane/auth/index.js';
import { startHarness, type Harness } from './harness.js';

const base = '/apis/rbac.authorization.k8s.io/v1';
const group = 'rbac.authorization.k8s.io';
const tableAccept = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
});

afterAll(async () => {
  await h?.stop();
});

function clusterRoleBinding(name: string, role = 'view'): Record<string, unknown> {
  return {
    apiVersion: `${group}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: group, kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'User', name: 'bob' }],
  };
}

describe('RBAC kinds in discovery', () => {
  it('lists the group with its four resources and their scopes', async () => {
    const res = await h.request('GET', base);
    expect(res.status).toBe(200);
    const scopes = Object.fromEntries(res.body.resources.filter((r: any) => !r.name.includes('/')).map((r: any) => [r.name, r.namespaced]));
    expect(scopes).toEqual({ clusterrolebindings: false, clusterroles: false, rolebindings: true, roles: true });
  });
});

describe('ClusterRoles and ClusterRoleBindings', () => {
  it('creates, reads and lists a ClusterRole', async () => {
    const role = { apiVersion: `${group}/v1`, kind: 'ClusterRole', metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] };
    expect((await h.request('POST', `${base}/clusterroles`, role)).status).toBe(201);
    const got = await h.request('GET', `${base}/clusterroles/pod-reader`);
    expect(got.body.rules).toEqual(role.rules);
    const list = await h.request('GET', `${base}/clusterroles`);
    expect(list.body.kind).toBe('ClusterRoleList');
    expect(list.body.items.map((i: any) => i.metadata.name)).toContain('pod-reader');
  });

  it('defaults the subject apiGroup and refuses a changed roleRef with upstream\'s 422', async () => {
    const created = await h.request('POST', `${base}/clusterrolebindings`, clusterRoleBinding('bob-view'));
    expect(created.status).toBe(201);
    expect(created.body.subjects).toEqual([{ kind: 'User', apiGroup: group, name: 'bob' }]);
    const res = await h.request('PUT', `${base}/clusterrolebindings/bob-view`, clusterRoleBinding('bob-view', 'edit'));
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'roleRef',
        message: 'Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
      },
    ]);
    expect(res.body.message).toContain('ClusterRoleBinding.rbac.authorization.k8s.io "bob-view" is invalid: roleRef: Invalid value');
  });

  it('refuses a binding without roleRef', async () => {
    const res = await h.request('POST', `${base}/clusterrolebindings`, { ...clusterRoleBinding('x'), roleRef: undefined });
    expect(res.status).toBe(422);
    expect(res.body.details.causes.map((c: any) => c.field)).toEqual(expect.arrayContaining(['roleRef.kind', 'roleRef.name']));
  });

  it('lets subjects change with a merge patch', async () => {
    const res = await h.request('PATCH', `${base}/clusterrolebindings/bob-view`, { subjects: [{ kind: 'Group', name: 'devs' }] }, 'application/merge-patch+json');
    expect(res.status).toBe(200);
    expect(res.body.subjects).toEqual([{ kind: 'Group', apiGroup: group, name: 'devs' }]);
  });

  it('prints bindings with ROLE and the wide subject columns', async () => {
    const res = await h.request('GET', `${base}/clusterrolebindings`, undefined, undefined, tableAccept);
    expect(res.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts']);
    const row = res.body.rows.find((r: any) => r.cells[0] === 'bob-view');
    expect(row.cells[1]).toBe('ClusterRole/view');
    expect(row.cells[4]).toBe('devs');
  });

  it('prints roles with an absolute CREATED AT', async () => {
    const res = await h.request('GET', `${base}/clusterroles/pod-reader`, undefined, undefined, tableAccept);
    expect(res.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Created At']);
    expect(res.body.rows[0].cells[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe('Roles and RoleBindings', () => {
  it('serves them per namespace and refuses a namespaced rule on URLs', async () => {
    const role = { apiVersion: `${group}/v1`, kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
    expect((await h.request('POST', `${base}/namespaces/team/roles`, role)).status).toBe(201);
    const bad = await h.request('POST', `${base}/namespaces/team/roles`, { ...role, metadata: { name: 'bad' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] });
    expect(bad.status).toBe(422);
    const rb = { apiVersion: `${group}/v1`, kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: { apiGroup: group, kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'team' }] };
    expect((await h.request('POST', `${base}/namespaces/team/rolebindings`, rb)).status).toBe(201);
    expect((await h.request('GET', `${base}/rolebindings`)).body.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`)).toContain('team/rb');
    expect((await h.request('GET', `${base}/namespaces/default/roles/r`)).status).toBe(404);
  });
});

describe('storeRbacSource over what the API stored', () => {
  it('finds the bindings and roles under the registry keys', async () => {
    const source = storeRbacSource(h.store);
    expect((await source.listClusterRoleBindings()).map((b) => b.metadata.name)).toContain('bob-view');
    expect((await source.getClusterRole('pod-reader'))?.rules?.[0]?.verbs).toEqual(['get', 'list']);
    expect((await source.listRoleBindings('team')).map((b) => b.roleRef.name)).toEqual(['r']);
    expect((await source.getRole('team', 'r'))?.metadata.name).toBe('r');
  });
});

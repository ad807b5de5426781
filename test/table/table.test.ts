import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { builtinResources, findResource, type ResourceInfo } from '../../api/resources.js';
import { humanDuration, toTable, type Table } from '../../control-plane/apiserver/table/index.js';
import * as f from './fixtures.js';

// Regenerate with: UPDATE_GOLDEN=1 npx vitest run test/table
const goldenDir = join(import.meta.dirname, 'golden');
const updateGolden = process.env.UPDATE_GOLDEN === '1';

function resource(group: string, plural: string): ResourceInfo {
  const r = findResource(group, 'v1', plural);
  if (!r) throw new Error(`no resource ${group}/${plural}`);
  return r;
}

/** What kubectl prints with `-o wide`: upper-cased headers, then one line per row, columns padded. */
function render(table: Table): string {
  const header = table.columnDefinitions.map((c) => (c.priority > 0 ? `${c.name.toUpperCase()}*` : c.name.toUpperCase()));
  const lines = [header, ...table.rows.map((r) => r.cells.map(String))];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  return `${lines.map((l) => l.map((c, i) => c.padEnd(widths[i] ?? 0)).join('   ').trimEnd()).join('\n')}\n`;
}

function checkGolden(name: string, text: string): void {
  const file = join(goldenDir, `${name}.txt`);
  if (updateGolden) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const cases: Array<[string, ResourceInfo, KubeObject[]]> = [
  ['pods', resource('', 'pods'), f.pods],
  ['nodes', resource('', 'nodes'), f.nodes],
  ['services', resource('', 'services'), f.services],
  ['deployments', resource('apps', 'deployments'), f.deployments],
  ['replicasets', resource('apps', 'replicasets'), f.replicaSets],
  ['daemonsets', resource('apps', 'daemonsets'), f.daemonSets],
  ['controllerrevisions', resource('apps', 'controllerrevisions'), f.controllerRevisions],
  ['jobs', resource('batch', 'jobs'), f.jobs],
  ['namespaces', resource('', 'namespaces'), f.namespaces],
  ['endpoints', resource('', 'endpoints'), f.endpoints],
  ['endpointslices', resource('discovery.k8s.io', 'endpointslices'), f.endpointSlices],
  ['events', resource('', 'events'), f.coreEvents],
  ['events.events.k8s.io', resource('events.k8s.io', 'events'), f.newEvents],
  ['configmaps', resource('', 'configmaps'), f.configMaps],
  ['secrets', resource('', 'secrets'), f.secrets],
  ['serviceaccounts', resource('', 'serviceaccounts'), f.serviceAccounts],
  ['leases', resource('coordination.k8s.io', 'leases'), f.leases],
  ['roles', resource('rbac.authorization.k8s.io', 'roles'), f.roles],
  ['clusterroles', resource('rbac.authorization.k8s.io', 'clusterroles'), f.clusterRoles],
  ['rolebindings', resource('rbac.authorization.k8s.io', 'rolebindings'), f.roleBindings],
  ['clusterrolebindings', resource('rbac.authorization.k8s.io', 'clusterrolebindings'), f.clusterRoleBindings],
  ['certificatesigningrequests', resource('certificates.k8s.io', 'certificatesigningrequests'), f.certificateSigningRequests],
];

describe('toTable golden rows', () => {
  it.each(cases)('prints %s as upstream does', (name, r, objects) => {
    const table = toTable(r, objects, { now: f.now });
    for (const row of table.rows) expect(row.cells).toHaveLength(table.columnDefinitions.length);
    checkGolden(name, render(table));
  });

  it('covers every built-in resource', () => {
    const covered = new Set(cases.map(([, r]) => r));
    expect(builtinResources.filter((r) => !covered.has(r)).map((r) => r.plural)).toEqual([]);
  });
});

describe('toTable shape', () => {
  const pods = resource('', 'pods');

  it('is a meta.k8s.io/v1 Table carrying the list metadata', () => {
    const table = toTable(pods, [], { listMeta: { resourceVersion: '42', continue: 'abc' } });
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '42', continue: 'abc' }, rows: [] });
    expect(table.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0],
      ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
    ]);
    expect(table.columnDefinitions[0]?.format).toBe('name');
  });

  it.each([
    [undefined, 'PartialObjectMetadata'],
    ['Metadata' as const, 'PartialObjectMetadata'],
    ['Object' as const, 'Pod'],
  ])('includes the row object for includeObject=%s as %s', (includeObject, kind) => {
    const [row] = toTable(pods, [f.pods[0] as KubeObject], { includeObject, now: f.now }).rows;
    expect(row?.object?.kind).toBe(kind);
    expect(row?.object?.metadata.name).toBe('pending');
  });

  it('omits the row object for includeObject=None', () => {
    const [row] = toTable(pods, [f.pods[0] as KubeObject], { includeObject: 'None', now: f.now }).rows;
    expect(row && 'object' in row).toBe(false);
  });

  it('marks finished pods with a Completed row condition', () => {
    const done = f.pods.find((p) => p.metadata.name === 'done') as KubeObject;
    expect(toTable(pods, [done], { now: f.now }).rows[0]?.conditions).toEqual([
      expect.objectContaining({ type: 'Completed', status: 'True' }),
    ]);
  });

  it('falls back to NAME and AGE for a resource without a printer', () => {
    const unknown = { ...resource('', 'pods'), group: 'example.com', plural: 'widgets', kind: 'Widget' };
    const table = toTable(unknown, [{ metadata: { name: 'w', creationTimestamp: f.ago(61) } }], { now: f.now });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(table.rows[0]?.cells).toEqual(['w', '61s']);
  });
});

describe('humanDuration', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each([
    [-3 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [5 * s, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 2 * s, '3m2s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [5 * h + 20 * m, '5h20m'],
    [8 * h + 5 * m, '8h'],
    [47 * h, '47h'],
    [2 * d + 3 * h, '2d3h'],
    [3 * d, '3d'],
    [8 * d, '8d'],
    [400 * d, '400d'],
    [2 * 365 * d + 20 * d, '2y20d'],
    [3 * 365 * d, '3y'],
    [9 * 365 * d, '9y'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

// NodeRestriction's Node rules as a pure function: which writes by which user it refuses, and with
// upstream's messages.
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { admitNodeRestriction, isNodeRestrictionLabel, modifiedLabelKeys } from '../../control-plane/apiserver/node-restriction.js';
import type { UserInfo } from '../../control-plane/apiserver/security.js';

const nodes = { group: '', plural: 'nodes' };
const node1: UserInfo = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const admin: UserInfo = { name: 'system:admin', groups: ['system:masters', 'system:authenticated'] };
const controller: UserInfo = { name: 'system:kube-controller-manager', groups: ['system:authenticated'] };
/** The node's name without the group is not a node identity. */
const nodeNameOnly: UserInfo = { name: 'system:node:n1', groups: ['system:authenticated'] };

const taintA = { key: 'a', value: 'x', effect: 'NoSchedule' };
const taintB = { key: 'b', effect: 'NoExecute' };

function node(opts: { name?: string; labels?: Record<string, string>; taints?: unknown[]; ready?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: opts.name ?? 'n1', ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: opts.taints ? { taints: opts.taints } : {},
    status: { conditions: [{ type: 'Ready', status: opts.ready ?? 'True' }] },
  };
}

function outcome(run: () => void): string {
  try {
    run();
    return 'allowed';
  } catch (e) {
    if (e instanceof ForbiddenError) return e.message;
    throw e;
  }
}

describe('admitNodeRestriction on updates', () => {
  const rows: { name: string; user: UserInfo | undefined; old: KubeObject; next: KubeObject; want: string }[] = [
    { name: 'a node adding a taint', user: node1, old: node(), next: node({ taints: [taintA] }), want: 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints' },
    { name: 'a node removing a taint', user: node1, old: node({ taints: [taintA] }), next: node(), want: 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints' },
    { name: 'a node changing a taint', user: node1, old: node({ taints: [taintA] }), next: node({ taints: [taintB] }), want: 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints' },
    { name: 'a node keeping its taints (fields in another order)', user: node1, old: node({ taints: [taintA] }), next: node({ taints: [{ effect: 'NoSchedule', value: 'x', key: 'a' }] }), want: 'allowed' },
    { name: 'a node sending an empty taint list for none', user: node1, old: node(), next: node({ taints: [] }), want: 'allowed' },
    { name: 'a node changing its status', user: node1, old: node({ taints: [taintA] }), next: node({ taints: [taintA], ready: 'False' }), want: 'allowed' },
    { name: 'a node adding an ordinary label', user: node1, old: node(), next: node({ labels: { 'example.com/disk': 'ssd', 'kubernetes.io/hostname': 'n1' } }), want: 'allowed' },
    { name: 'a node adding a restricted label', user: node1, old: node(), next: node({ labels: { 'node-restriction.kubernetes.io/x': 'y' } }), want: 'nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/x' },
    { name: 'a node adding a label in a restricted subdomain', user: node1, old: node(), next: node({ labels: { 'a.node-restriction.kubernetes.io/x': 'y' } }), want: 'nodes "n1" is forbidden: is not allowed to modify labels: a.node-restriction.kubernetes.io/x' },
    { name: 'a node changing a restricted label', user: node1, old: node({ labels: { 'node-restriction.kubernetes.io/x': 'y' } }), next: node({ labels: { 'node-restriction.kubernetes.io/x': 'z' } }), want: 'nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/x' },
    { name: 'a node removing restricted labels (listed sorted)', user: node1, old: node({ labels: { 'node-restriction.kubernetes.io/b': '1', 'node-restriction.kubernetes.io/a': '1' } }), next: node(), want: 'nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/a, node-restriction.kubernetes.io/b' },
    { name: 'a node keeping a restricted label an admin set', user: node1, old: node({ labels: { 'node-restriction.kubernetes.io/x': 'y' } }), next: node({ labels: { 'node-restriction.kubernetes.io/x': 'y', other: 'v' } }), want: 'allowed' },
    { name: 'a node writing another node', user: node1, old: node({ name: 'n2' }), next: node({ name: 'n2', ready: 'False' }), want: 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"' },
    { name: 'an admin changing taints', user: admin, old: node(), next: node({ taints: [taintA] }), want: 'allowed' },
    { name: 'an admin setting a restricted label', user: admin, old: node(), next: node({ labels: { 'node-restriction.kubernetes.io/x': 'y' } }), want: 'allowed' },
    { name: 'a controller changing taints', user: controller, old: node(), next: node({ taints: [taintB] }), want: 'allowed' },
    { name: 'a node-named user outside system:nodes changing taints', user: nodeNameOnly, old: node(), next: node({ taints: [taintA] }), want: 'allowed' },
    { name: 'the server itself (no requester) changing taints', user: undefined, old: node(), next: node({ taints: [taintA] }), want: 'allowed' },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.want === 'allowed' ? 'allowed' : 'forbidden'}`, () => {
      expect(outcome(() => admitNodeRestriction(nodes, row.user, row.next, row.old))).toBe(row.want);
    });
  }
});

describe('admitNodeRestriction on creates', () => {
  const rows: { name: string; user: UserInfo; obj: KubeObject; want: string }[] = [
    { name: 'a node registering with taints and ordinary labels', user: node1, obj: node({ taints: [taintA], labels: { 'kubernetes.io/os': 'linux' } }), want: 'allowed' },
    { name: 'a node registering with a restricted label', user: node1, obj: node({ labels: { 'node-restriction.kubernetes.io/x': 'y' } }), want: 'nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: node-restriction.kubernetes.io/x' },
    { name: 'an admin creating a node with a restricted label', user: admin, obj: node({ labels: { 'node-restriction.kubernetes.io/x': 'y' } }), want: 'allowed' },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.want === 'allowed' ? 'allowed' : 'forbidden'}`, () => {
      expect(outcome(() => admitNodeRestriction(nodes, row.user, row.obj))).toBe(row.want);
    });
  }

  it('leaves other resources alone, even a node user writing them', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { 'node-restriction.kubernetes.io/x': 'y' } }, spec: { taints: [taintA] } };
    expect(outcome(() => admitNodeRestriction({ group: '', plural: 'pods' }, node1, pod, { ...pod, spec: {} }))).toBe('allowed');
  });
});

describe('label helpers', () => {
  it.each([
    ['node-restriction.kubernetes.io/x', true],
    ['sub.node-restriction.kubernetes.io/x', true],
    ['xnode-restriction.kubernetes.io/x', false],
    ['node-restriction.kubernetes.io', false],
    ['kubernetes.io/hostname', false],
    ['example.com/node-restriction.kubernetes.io', false],
  ])('isNodeRestrictionLabel(%s) is %s', (key, want) => {
    expect(isNodeRestrictionLabel(key)).toBe(want);
  });

  it('modifiedLabelKeys lists added, removed and changed keys, sorted', () => {
    expect(modifiedLabelKeys({ c: '1', a: '2', same: 's' }, { a: '1', b: '1', same: 's' })).toEqual(['a', 'b', 'c']);
    expect(modifiedLabelKeys(undefined, undefined)).toEqual([]);
  });
});

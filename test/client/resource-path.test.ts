import { describe, expect, it } from 'vitest';
import { findResource } from '../../api/resources.js';
import { resourcePath, type PathParts } from '../../client/resource-path.js';

const pods = findResource('', 'v1', 'pods')!;
const nodes = findResource('', 'v1', 'nodes')!;
const deployments = findResource('apps', 'v1', 'deployments')!;
const leases = findResource('coordination.k8s.io', 'v1', 'leases')!;

describe('resourcePath', () => {
  it.each<[string, typeof pods, PathParts, string]>([
    ['core collection across namespaces', pods, {}, '/api/v1/pods'],
    ['core collection in a namespace', pods, { namespace: 'kube-system' }, '/api/v1/namespaces/kube-system/pods'],
    ['core object', pods, { namespace: 'default', name: 'web' }, '/api/v1/namespaces/default/pods/web'],
    ['core subresource', pods, { namespace: 'default', name: 'web', subresource: 'status' }, '/api/v1/namespaces/default/pods/web/status'],
    ['cluster-scoped object ignores a namespace', nodes, { namespace: 'x', name: 'n1' }, '/api/v1/nodes/n1'],
    ['group collection', deployments, {}, '/apis/apps/v1/deployments'],
    ['group subresource', deployments, { namespace: 'a', name: 'd', subresource: 'scale' }, '/apis/apps/v1/namespaces/a/deployments/d/scale'],
    ['dotted group', leases, { namespace: 'kube-node-lease', name: 'n1' }, '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1'],
    ['escapes names', pods, { namespace: 'default', name: 'a b' }, '/api/v1/namespaces/default/pods/a%20b'],
  ])('%s', (_name, r, parts, expected) => {
    expect(resourcePath(r, parts)).toBe(expected);
  });

  it.each<[string, PathParts]>([
    ['a namespaced object without namespace', { name: 'web' }],
    ['a subresource without a name', { namespace: 'default', subresource: 'status' }],
  ])('rejects %s', (_name, parts) => {
    expect(() => resourcePath(pods, parts)).toThrow();
  });
});

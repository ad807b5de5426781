import { describe, expect, it } from 'vitest';
import { parseResourcePath } from '../../control-plane/apiserver/request-info.js';

describe('parseResourcePath', () => {
  const ok: [string, Record<string, unknown>][] = [
    ['/api/v1/pods', { plural: 'pods', namespace: undefined, name: undefined, watchPath: false }],
    ['/api/v1/namespaces/default/pods', { plural: 'pods', namespace: 'default', name: undefined }],
    ['/api/v1/namespaces/default/pods/web', { plural: 'pods', namespace: 'default', name: 'web' }],
    ['/api/v1/namespaces/default/pods/web/status', { plural: 'pods', name: 'web', subresource: 'status' }],
    ['/api/v1/namespaces/default/pods/web/binding', { plural: 'pods', name: 'web', subresource: 'binding' }],
    ['/api/v1/namespaces/default', { plural: 'namespaces', namespace: undefined, name: 'default' }],
    ['/api/v1/namespaces/default/finalize', { plural: 'namespaces', name: 'default', subresource: 'finalize' }],
    ['/api/v1/namespaces', { plural: 'namespaces', name: undefined }],
    ['/api/v1/nodes/n1/status', { plural: 'nodes', name: 'n1', subresource: 'status' }],
    ['/apis/apps/v1/namespaces/x/deployments/d/scale', { plural: 'deployments', group: 'apps', subresource: 'scale' }],
    ['/apis/events.k8s.io/v1/events', { plural: 'events', group: 'events.k8s.io' }],
    ['/api/v1/watch/namespaces/default/pods', { plural: 'pods', namespace: 'default', watchPath: true }],
    ['/api/v1/watch/pods?x=1', { plural: 'pods', watchPath: true }],
    ['/api/v1/namespaces/default/configmaps/a%3Ab', { plural: 'configmaps', name: 'a:b' }],
  ];
  for (const [path, want] of ok) {
    it(`resolves ${path}`, () => {
      const info = parseResourcePath(path);
      const got = { plural: info.resource.plural, group: info.resource.group, namespace: info.namespace, name: info.name, subresource: info.subresource, watchPath: info.watchPath };
      expect(got).toMatchObject(want);
    });
  }

  const notFound = [
    '/api',
    '/api/v1',
    '/api/v2/pods',
    '/api/v1/widgets',
    '/apis/apps/v1/pods',
    '/api/v1/namespaces/default/nodes/n1',
    '/api/v1/namespaces/default/pods/web/status/extra',
    '/api/v1/namespaces/default/pods/web/scale',
    '/api/v1/namespaces/default/configmaps/a%2Fb',
    '/api/v1/namespaces/default/configmaps/%E0%A4%A',
    '/api/v1/watch/namespaces/default/pods/web/status',
    '/healthz',
  ];
  for (const path of notFound) {
    it(`answers 404 for ${path}`, () => {
      expect(() => parseResourcePath(path)).toThrow(expect.objectContaining({ code: 404 }));
    });
  }
});

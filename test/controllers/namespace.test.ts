import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Namespace, Pod } from '../../api/index.js';
import type { KubeObject } from '../../api/object.js';
import { builtinResources } from '../../api/resources.js';
import { namespacesResource, podsResource, replicaSetsResource, servicesResource } from '../../control-plane/controllers/resources.js';
import { createNamespace, eventually, listIn, ns, startControllerHarness, type ControllerHarness } from './harness.js';

const configMaps = builtinResources.find((r) => r.plural === 'configmaps')!;

describe('namespace controller', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await startControllerHarness(['namespace', 'replicaset', 'garbagecollector']);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('deletes everything in a terminating namespace, then the namespace itself', async () => {
    const namespace = ns('doomed');
    await createNamespace(h.client, namespace);
    const cmObj: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' } };
    await h.client.create(configMaps, cmObj, { namespace });
    await h.client.create(servicesResource, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } }, { namespace });
    await h.client.create(
      replicaSetsResource,
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'rs' },
        spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
      },
      { namespace },
    );
    await eventually(async () => (await listIn<Pod>(h.client, podsResource, namespace)).length === 2);

    await h.client.delete(namespacesResource, namespace);
    await eventually(
      async () => h.client.get<Namespace>(namespacesResource, namespace).then(() => false, () => true),
      30_000,
      'namespace removed',
    );
    expect(await listIn(h.client, podsResource, namespace)).toEqual([]);
    expect(await listIn(h.client, configMaps, namespace)).toEqual([]);
    expect(await listIn(h.client, servicesResource, namespace)).toEqual([]);
    expect(await listIn(h.client, replicaSetsResource, namespace)).toEqual([]);
  });

  it('waits for content held by a finalizer before finalizing the namespace', async () => {
    const namespace = ns('held');
    await createNamespace(h.client, namespace);
    await h.client.create(configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['test.skiff.dev/hold'] } }, { namespace });
    await h.client.delete(namespacesResource, namespace);
    const terminating = await eventually(async () => {
      const n = await h.client.get<Namespace>(namespacesResource, namespace);
      return n.status?.conditions?.some((c) => c.type === 'NamespaceContentRemaining') ? n : undefined;
    });
    expect(terminating.status?.phase).toBe('Terminating');
    await h.client.patch(configMaps, 'held', { metadata: { finalizers: [] } }, { namespace });
    await eventually(async () => h.client.get(namespacesResource, namespace).then(() => false, () => true), 30_000, 'namespace removed');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonSet, Node, Pod } from '../../api/index.js';
import { daemonSetsResource, nodesResource, podsResource } from '../../control-plane/controllers/resources.js';
import { targetNodeName } from '../../control-plane/controllers/daemonset/daemon-pods.js';
import { FakeKubelet } from './fake-kubelet.js';
import { createNamespace, eventually, listIn, ns, startControllerHarness, type ControllerHarness } from './harness.js';

describe('DaemonSet controller', () => {
  let h: ControllerHarness;
  let kubelet: FakeKubelet | undefined;
  beforeAll(async () => {
    h = await startControllerHarness(['daemonset']);
  }, 60_000);
  afterAll(async () => {
    await kubelet?.stop();
    await h?.stop();
  });

  it('runs one pod per eligible node, follows taint changes, and rolls out a new template', async () => {
    const namespace = ns('ds');
    await createNamespace(h.client, namespace);
    kubelet = new FakeKubelet(h.client, namespace);
    await kubelet.start();
    const prefix = namespace;
    const node = (name: string, extra: Partial<Node> = {}): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `${prefix}-${name}`, labels: { role: 'worker' } }, ...extra });
    await h.client.create(nodesResource, node('a'));
    await h.client.create(nodesResource, node('b'));
    await h.client.create(nodesResource, node('c', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }));
    await h.client.create(nodesResource, { ...node('d'), metadata: { name: `${prefix}-d`, labels: { role: 'other' } } });
    const ds: DaemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'worker' }, containers: [{ name: 'c', image: 'agent:1' }] } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      },
    };
    await h.client.create(daemonSetsResource, ds, { namespace });
    const nodesOf = async (): Promise<string[]> =>
      (await listIn<Pod>(h.client, podsResource, namespace))
        .filter((p) => !p.metadata.deletionTimestamp)
        .map((p) => targetNodeName(p) ?? '?')
        .sort();
    await eventually(async () => JSON.stringify(await nodesOf()) === JSON.stringify([`${prefix}-a`, `${prefix}-b`]), 20_000, 'pods on a and b');
    const status = await eventually(async () => {
      const d = await h.client.get<DaemonSet>(daemonSetsResource, 'agent', { namespace });
      return d.status?.numberReady === 2 ? d.status : undefined;
    });
    expect(status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberAvailable: 2, updatedNumberScheduled: 2 });

    await h.client.patch(nodesResource, `${prefix}-c`, { spec: { taints: null } });
    await eventually(async () => (await nodesOf()).length === 3, 20_000, 'pod on c after untainting');

    await h.client.patch(daemonSetsResource, 'agent', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } }, { namespace });
    await eventually(async () => {
      const pods = (await listIn<Pod>(h.client, podsResource, namespace)).filter((p) => !p.metadata.deletionTimestamp);
      return pods.length === 3 && pods.every((p) => p.spec?.containers[0]?.image === 'agent:2');
    }, 30_000, 'rolled out agent:2');
    await eventually(async () => {
      const d = await h.client.get<DaemonSet>(daemonSetsResource, 'agent', { namespace });
      return d.status?.updatedNumberScheduled === 3 && d.status.numberAvailable === 3;
    });
    for (const n of ['a', 'b', 'c', 'd']) await h.client.delete(nodesResource, `${prefix}-${n}`);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent, Node } from '../../api/index.js';
import { builtinResources } from '../../api/resources.js';
import { nodesResource } from '../../control-plane/controllers/resources.js';
import { eventually } from '../support/eventually.js';
import { startIpamHarness, type IpamHarness } from './harness.js';

const eventsResource = builtinResources.find((r) => r.group === '' && r.plural === 'events')!;

let h: IpamHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function podCIDROf(harness: IpamHarness, name: string): Promise<string | undefined> {
  const node = await harness.client.get<Node>(nodesResource, name);
  return node.spec?.podCIDR;
}

function waitForCIDR(harness: IpamHarness, name: string): Promise<string> {
  return eventually(`a pod CIDR on node ${name}`, () => podCIDROf(harness, name), 30_000, 100);
}

async function allCIDRs(harness: IpamHarness): Promise<Map<string, string | undefined>> {
  const nodes = (await harness.client.list<Node>(nodesResource)).items;
  return new Map(nodes.map((n) => [n.metadata.name ?? '', n.spec?.podCIDR]));
}

describe('nodeipam controller', () => {
  it('gives each node the lowest free /24 of the cluster CIDR, in podCIDR and podCIDRs', async () => {
    h = await startIpamHarness();
    await h.startController();
    await h.createNode('n1');
    expect(await waitForCIDR(h, 'n1')).toBe('10.244.0.0/24');
    await h.createNode('n2');
    expect(await waitForCIDR(h, 'n2')).toBe('10.244.1.0/24');
    const n2 = await h.client.get<Node>(nodesResource, 'n2');
    expect(n2.spec?.podCIDRs).toEqual(['10.244.1.0/24']);
  });

  it('uses --cluster-cidr and --node-cidr-mask-size', async () => {
    h = await startIpamHarness();
    await h.startController({ clusterCIDR: '10.32.0.0/12', nodeCIDRMaskSize: 20 });
    await h.createNode('a');
    await h.createNode('b');
    const got = [await waitForCIDR(h, 'a'), await waitForCIDR(h, 'b')].sort();
    expect(got).toEqual(['10.32.0.0/20', '10.32.16.0/20']);
  });

  it('keeps a CIDR a node already has and never hands it to another node', async () => {
    h = await startIpamHarness();
    await h.createNode('preset', { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
    await h.startController();
    await h.createNode('fresh');
    expect(await waitForCIDR(h, 'fresh')).toBe('10.244.1.0/24');
    expect(await podCIDROf(h, 'preset')).toBe('10.244.0.0/24');
  });

  it('rebuilds the used set after a restart: existing assignments stay, new nodes get free subnets', async () => {
    h = await startIpamHarness();
    const first = await h.startController();
    for (const n of ['r1', 'r2', 'r3']) await h.createNode(n);
    for (const n of ['r1', 'r2', 'r3']) await waitForCIDR(h, n);
    const before = await allCIDRs(h);
    await first.stop();

    await h.createNode('r4'); // created while no controller runs
    await h.startController();
    expect(await waitForCIDR(h, 'r4')).toBe('10.244.3.0/24');
    const after = await allCIDRs(h);
    for (const n of ['r1', 'r2', 'r3']) expect(after.get(n)).toBe(before.get(n));
    expect(new Set(after.values()).size).toBe(4);
  });

  it('frees a deleted node\'s CIDR for the next node', async () => {
    h = await startIpamHarness();
    const ipam = await h.startController();
    for (const n of ['d1', 'd2', 'd3']) {
      await h.createNode(n);
      await waitForCIDR(h, n);
    }
    const freed = (await podCIDROf(h, 'd2'))!;
    expect(ipam.controller.cidrs.isOccupied(freed)).toBe(true);
    await h.client.delete(nodesResource, 'd2');
    await eventually('the delete to free the subnet', () => !ipam.controller.cidrs.isOccupied(freed), 30_000, 50);
    await h.createNode('d4');
    expect(await waitForCIDR(h, 'd4')).toBe(freed);
  });

  it('records CIDRNotAvailable when the range is full and assigns once a subnet is freed', async () => {
    h = await startIpamHarness();
    await h.startController({ clusterCIDR: '10.244.0.0/23', nodeCIDRMaskSize: 24 });
    await h.createNode('f1');
    await h.createNode('f2');
    await waitForCIDR(h, 'f1');
    await waitForCIDR(h, 'f2');
    await h.createNode('f3');
    const harness = h;
    const event = await eventually('a CIDRNotAvailable event for f3', async () => {
      const events = (await harness.client.list<CoreEvent>(eventsResource, { namespace: 'default' })).items;
      return events.find((e) => e.involvedObject?.name === 'f3' && e.reason === 'CIDRNotAvailable');
    }, 30_000, 100);
    expect(event.type).toBe('Warning');
    expect(event.message).toBe('Node f3 status is now: CIDRNotAvailable');
    expect(await podCIDROf(h, 'f3')).toBeUndefined();

    const freed = await podCIDROf(h, 'f1');
    await h.client.delete(nodesResource, 'f1');
    expect(await waitForCIDR(h, 'f3')).toBe(freed);
  });

  it('never gives two nodes the same CIDR while other writers update the nodes concurrently', async () => {
    h = await startIpamHarness();
    await h.startController();
    const names = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const harness = h;
    let writing = true;
    // Another writer (a user or kubelet) bumping every node's resourceVersion while the controller writes.
    const churn = (async () => {
      let i = 0;
      while (writing) {
        for (const n of names) {
          await harness.client.patch(nodesResource, n, { metadata: { labels: { churn: String(i) } } }).catch(() => undefined);
        }
        i++;
      }
    })();
    try {
      await Promise.all(names.map((n) => harness.createNode(n)));
      const cidrs = await Promise.all(names.map((n) => waitForCIDR(harness, n)));
      expect(new Set(cidrs).size).toBe(names.length);
      for (const c of cidrs) expect(c).toMatch(/^10\.244\.([0-9]|1[01])\.0\/24$/);
    } finally {
      writing = false;
      await churn;
    }
    // And they stay put: nothing re-assigns under the churn.
    const settled = await allCIDRs(h);
    for (const n of names) expect((await h.client.get<Node>(nodesResource, n)).spec?.podCIDRs).toEqual([settled.get(n)]);
  });

  it('a node deleted and re-created under the same name gets a subnet again', async () => {
    h = await startIpamHarness();
    await h.startController();
    await h.createNode('again');
    await waitForCIDR(h, 'again');
    await h.client.delete(nodesResource, 'again');
    await h.createNode('again');
    const got = await waitForCIDR(h, 'again');
    await h.createNode('other');
    expect(await waitForCIDR(h, 'other')).not.toBe(got);
  });
});

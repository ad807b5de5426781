// The nftables proxy mode against the real kernel (nft 1.0.x), inside network namespaces this file
// creates: a "node" namespace where the proxier writes `table ip skiff`, and a "pods" namespace behind a
// veth whose addresses are the endpoints. Nothing touches the machine's own rules or interfaces; afterAll
// deletes both namespaces (and the table in them) even after a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NftablesProxier, RealNftRunner } from '../../agent/proxy/nftables/index.js';
import { deleteAllNetns, netnsSupported, type Netns } from '../support/netns.js';
import { service, slice } from '../proxy/fixtures.js';
import { expectGolden } from '../proxy/golden.js';
import { probe, probeFor } from '../proxy/traffic.js';
import {
  createProxyScene, dns, dnsVIP, emptyService, emptyVIP, endpointPort, ep1, ep2, ep3, feed, notReady, sceneProxierOptions, sharedTrafficCases,
  sticky, stickySlice, stickyVIP, web, webSlice, webVIP,
} from '../proxy/traffic-scene.js';

const selfVIP = '10.96.0.40';
const emptyNodePort = 30081;
const empty = emptyService(emptyNodePort);

let nodeNs: Netns;
let podNs: Netns;
let runner: RealNftRunner;
const proxiers: NftablesProxier[] = [];

function newProxier(): NftablesProxier {
  const p = new NftablesProxier({ runner, ...sceneProxierOptions(nodeNs) });
  proxiers.push(p);
  return p;
}

/** `nft list table ip skiff` with hashes normalised and dynamic set contents left out. */
async function listedTable(): Promise<string> {
  const text = await nodeNs.exec(['nft', '-t', 'list', 'table', 'ip', 'skiff']);
  return text.replace(/\b(service|external|affinity)-[A-Z2-7]{8}-/g, '$1-<hash>-');
}

beforeAll(async () => {
  if (!(await netnsSupported())) throw new Error('needs root with ip, nsenter and nft (network namespaces)');
  ({ nodeNs, podNs } = await createProxyScene());
  runner = new RealNftRunner({ netnsPath: nodeNs.path });
}, 60_000);

afterAll(async () => {
  for (const p of proxiers) await p.stop();
  await deleteAllNetns();
}, 60_000);

describe('service proxy in nftables mode with real nft in a network namespace', () => {
  let proxier: NftablesProxier;

  it('applies the table so that `nft list table ip skiff` matches the golden text', async () => {
    proxier = newProxier();
    feed(proxier, [web, empty, sticky], [webSlice([ep1, ep2, ep3], [notReady]), stickySlice]);
    await proxier.start();
    expectGolden('nftables-list-netns.txt', await listedTable());
  });

  sharedTrafficCases(() => ({ proxier, nodeNs }));

  it('lets a pod reach itself through its own service (hairpin, masqueraded)', async () => {
    // A service whose one endpoint is ep1, probed from the pods namespace, whose connections leave from ep1
    // (its first address): every connection is DNATed back to its own source. Without the hairpin
    // masquerade ep1 would answer itself directly and the connection would never complete.
    const self = service('default', 'self', { clusterIP: selfVIP, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
    proxier.onServiceUpdate(self);
    proxier.onEndpointSliceUpdate(slice('default', 'self', [ep1], [{ name: 'http', port: endpointPort }]));
    await proxier.sync();
    const result = await probe(podNs, selfVIP, 80, 5, 5000);
    expect(result).toEqual({ answers: { [ep1]: 5 }, errors: {} });
    proxier.onServiceDelete(self);
    await proxier.sync();
  });

  it('refuses connections at once to a service without endpoints, its node port, and a VIP with no service', async () => {
    for (const [host, port] of [[emptyVIP, 80], ['10.96.0.99', 80], ['127.0.0.1', emptyNodePort]] as const) {
      const result = await probe(nodeNs, host, port, 3, 5000);
      expect(result).toEqual({ answers: {}, errors: { ECONNREFUSED: 3 } });
    }
  });

  it('stops sending traffic to an endpoint removed from the slice, with a partial sync', async () => {
    proxier.onEndpointSliceUpdate(webSlice([ep1, ep2]));
    await proxier.sync();
    expect(proxier.stats().lastSyncFull).toBe(false);
    const result = await probe(nodeNs, webVIP, 80, 40);
    expect(result.errors).toEqual({});
    expect(Object.keys(result.answers).sort()).toEqual([ep1, ep2]);
  });

  it('keeps traffic flowing while a restarted proxier re-syncs the same state', async () => {
    const during = probeFor(nodeNs, webVIP, 80, 4000);
    for (let i = 0; i < 3; i++) {
      await proxier.stop();
      proxier = newProxier();
      feed(proxier, [web, empty, sticky], [webSlice([ep1, ep2]), stickySlice]);
      await proxier.start();
    }
    const result = await during;
    expect(result.errors).toEqual({});
    expect((result.answers[ep1] ?? 0) + (result.answers[ep2] ?? 0)).toBeGreaterThan(10);
    // The DNS service was not fed to the restarted proxiers: what the earlier run wrote for it is gone.
    expect(await listedTable()).not.toContain(dnsVIP);
    expect(await listedTable()).not.toContain('kube-system/dns');
  });

  it('leaves nothing behind for deleted services', async () => {
    for (const s of [web, empty, sticky, dns]) proxier.onServiceDelete(s);
    await proxier.sync();
    const listed = await listedTable();
    expect(listed).not.toMatch(/(service|external|affinity)-<hash>-/);
    for (const vip of [webVIP, emptyVIP, stickyVIP]) expect(listed).not.toContain(vip);
    const result = await probe(nodeNs, webVIP, 80, 2, 5000);
    expect(result.errors).toEqual({ ECONNREFUSED: 2 });
  });
});

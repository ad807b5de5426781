// The service proxy against real iptables (nf_tables backend, Debian's default `iptables`), inside
// network namespaces this file creates: a "node" namespace where the proxier writes its rules, and a
// "pods" namespace behind a veth whose addresses are the endpoints. Nothing touches the machine's own
// rules or interfaces; afterAll deletes both namespaces (and every rule in them) even after a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { EndpointSlice, Service } from '../../api/types/index.js';
import { RealIptablesRunner } from '../../agent/proxy/iptables-runner.js';
import { RealNodeNetwork } from '../../agent/proxy/node-network.js';
import { IptablesProxier } from '../../agent/proxy/proxier.js';
import { connectVeth, createNetns, deleteAllNetns, type Netns } from '../support/netns.js';
import { service, slice } from '../proxy/fixtures.js';
import { expectGolden } from '../proxy/golden.js';
import { probe, probeFor, probeUdp, startEndpointServers, startUdpEndpointServers } from '../proxy/traffic.js';

const endpointPort = 8080;
const podAddrs = ['10.244.0.2', '10.244.0.3', '10.244.0.4', '10.244.0.5'];
const [ep1, ep2, ep3, notReady] = podAddrs as [string, string, string, string];
const webVIP = '10.96.0.10';
const emptyVIP = '10.96.0.20';
const stickyVIP = '10.96.0.30';
const nodePort = 30080;

const web = service('default', 'web', { type: 'NodePort', clusterIP: webVIP, ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort }] });
const webSlice = (ready: string[], notReadyIps: string[] = []): EndpointSlice =>
  slice('default', 'web', [...ready, ...notReadyIps.map((ip) => ({ ip, ready: false }))], [{ name: 'http', port: endpointPort }]);
const empty = service('default', 'empty', { clusterIP: emptyVIP, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
const sticky = service('default', 'sticky', {
  clusterIP: stickyVIP, sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 300 } },
  ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
});
const dnsVIP = '10.96.0.53';
const dns = service('kube-system', 'dns', { clusterIP: dnsVIP, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
const dnsSlice = slice('kube-system', 'dns', [ep1, ep2], [{ name: 'dns', port: 5353, protocol: 'UDP' }]);
const stickySlice = slice('default', 'sticky', [ep1, ep2, ep3], [{ name: 'http', port: endpointPort }]);

let nodeNs: Netns;
let podNs: Netns;
let runner: RealIptablesRunner;
const proxiers: IptablesProxier[] = [];
const silent = pino({ level: 'silent' });

function newProxier(): IptablesProxier {
  const p = new IptablesProxier({
    runner,
    nodeNetwork: new RealNodeNetwork({ netnsPath: nodeNs.path }),
    logger: silent,
    minSyncIntervalMs: 50,
    resyncIntervalMs: 0,
    clusterCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/12',
  });
  proxiers.push(p);
  return p;
}

function feed(p: IptablesProxier, services: Service[], slices: EndpointSlice[]): void {
  for (const s of services) p.onServiceUpdate(s);
  for (const s of slices) p.onEndpointSliceUpdate(s);
}

/** iptables-save with what varies between runs taken out: timestamps, counters. */
async function savedRules(): Promise<string> {
  const text = (await runner.save('filter')) + (await runner.save('nat'));
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]$/, '[0:0]'))
    .join('\n');
}

/** Hashes replaced by their order of first appearance, so the golden text reads as structure. */
function normaliseHashes(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/SKIFF-(SVC|SEP)-[A-Z2-7]{16}/g, (m, kind: string) => {
    if (!seen.has(m)) seen.set(m, `SKIFF-${kind}-<${seen.size + 1}>`);
    return seen.get(m)!;
  });
}

beforeAll(async () => {
  nodeNs = await createNetns('skiff-t');
  podNs = await createNetns('skiff-t');
  await connectVeth(nodeNs, 'node0', '10.244.0.1/24', podNs, 'pod0', podAddrs.map((a) => `${a}/24`));
  await podNs.exec(['ip', 'route', 'add', 'default', 'via', '10.244.0.1']);
  await startEndpointServers(podNs, endpointPort, podAddrs);
  await startUdpEndpointServers(podNs, 5353, podAddrs);
  runner = new RealIptablesRunner({ netnsPath: nodeNs.path });
});

afterAll(async () => {
  for (const p of proxiers) await p.stop();
  await deleteAllNetns();
});

describe('service proxy with real iptables in a network namespace', () => {
  let proxier: IptablesProxier;

  it('applies the payload so that iptables-save in the namespace matches the golden rules', async () => {
    proxier = newProxier();
    feed(proxier, [web, empty, sticky], [webSlice([ep1, ep2, ep3], [notReady]), stickySlice]);
    await proxier.start();
    expectGolden('iptables-save-netns.txt', normaliseHashes(await savedRules()));
  });

  it('spreads connections to a cluster IP over every ready endpoint and sends none to a not-ready one', async () => {
    const result = await probe(nodeNs, webVIP, 80, 60);
    expect(result.errors).toEqual({});
    for (const ep of [ep1, ep2, ep3]) expect(result.answers[ep] ?? 0).toBeGreaterThan(0);
    expect(result.answers[notReady]).toBeUndefined();
  });

  it('load-balances UDP datagrams to a cluster IP over the ready endpoints', async () => {
    proxier.onServiceUpdate(dns);
    proxier.onEndpointSliceUpdate(dnsSlice);
    await proxier.sync();
    const result = await probeUdp(nodeNs, dnsVIP, 53, 30);
    expect(result.errors).toEqual({});
    expect(Object.keys(result.answers).sort()).toEqual([ep1, ep2]);
  });

  it('serves a NodePort on 127.0.0.1 of the node', async () => {
    const result = await probe(nodeNs, '127.0.0.1', nodePort, 30);
    expect(result.errors).toEqual({});
    expect(Object.keys(result.answers).sort()).toEqual([ep1, ep2, ep3].sort());
  });

  it('keeps a client on one endpoint when the service has ClientIP session affinity', async () => {
    const result = await probe(nodeNs, stickyVIP, 80, 20);
    expect(result.errors).toEqual({});
    expect(Object.values(result.answers)).toEqual([20]);
  });

  it('refuses connections at once to a service without endpoints and to a VIP with no service', async () => {
    for (const vip of [emptyVIP, '10.96.0.99']) {
      const result = await probe(nodeNs, vip, 80, 3, 5000);
      expect(result).toEqual({ answers: {}, errors: { ECONNREFUSED: 3 } });
    }
  });

  it('stops sending traffic to an endpoint removed from the slice', async () => {
    proxier.onEndpointSliceUpdate(webSlice([ep1, ep2]));
    await proxier.sync();
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
    // The DNS service was not fed to the restarted proxiers: its chains from the earlier run are gone.
    expect(await savedRules()).not.toContain(dnsVIP);
  });

  it('leaves no rule behind for deleted services', async () => {
    for (const s of [web, empty, sticky, dns]) proxier.onServiceDelete(s);
    await proxier.sync();
    const saved = await savedRules();
    expect(saved).not.toMatch(/SKIFF-(SVC|SEP)-/);
    expect(saved).not.toContain(webVIP);
    expect(saved).not.toContain(stickyVIP);
    const result = await probe(nodeNs, webVIP, 80, 2, 5000);
    expect(result.errors).toEqual({ ECONNREFUSED: 2 });
  });

  it('adds each jump rule exactly once however often it is ensured', async () => {
    await runner.ensureJumpRules();
    await runner.ensureJumpRules();
    const saved = await savedRules();
    expect(saved.match(/^-A OUTPUT .*-j SKIFF-SERVICES$/gm)).toHaveLength(2); // nat and filter
    expect(saved.match(/^-A PREROUTING .*-j SKIFF-SERVICES$/gm)).toHaveLength(1);
    expect(saved.match(/^-A INPUT .*-j SKIFF-FIREWALL$/gm)).toHaveLength(1);
  });
});

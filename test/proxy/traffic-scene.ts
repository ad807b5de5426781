// The scene both proxy modes are tested in with real traffic (test/integration/proxy-{iptables,nftables}):
// a "node" network namespace where the proxier writes its rules and a "pods" namespace behind a veth whose
// addresses are the endpoints, the same Services and slices, and the traffic cases both modes must pass.
// Each mode's file adds its own checks of what it wrote (iptables-save, nft list table).
import pino from 'pino';
import { expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../api/types/index.js';
import { RealNodeNetwork } from '../../agent/proxy/node-network.js';
import type { CommonProxierOptions, Proxier } from '../../agent/proxy/proxier-base.js';
import { connectVeth, createNetns, type Netns } from '../support/netns.js';
import { service, slice } from './fixtures.js';
import { probe, probeUdp, startEndpointServers, startUdpEndpointServers } from './traffic.js';

export const endpointPort = 8080;
export const podAddrs = ['10.244.0.2', '10.244.0.3', '10.244.0.4', '10.244.0.5'];
export const [ep1, ep2, ep3, notReady] = podAddrs as [string, string, string, string];
export const webVIP = '10.96.0.10';
export const emptyVIP = '10.96.0.20';
export const stickyVIP = '10.96.0.30';
export const dnsVIP = '10.96.0.53';
export const nodePort = 30080;

export const web = service('default', 'web', { type: 'NodePort', clusterIP: webVIP, ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort }] });
export const webSlice = (ready: string[], notReadyIps: string[] = []): EndpointSlice =>
  slice('default', 'web', [...ready, ...notReadyIps.map((ip) => ({ ip, ready: false }))], [{ name: 'http', port: endpointPort }]);
/** A service without endpoints; with `nodePort`, a NodePort one (so its node port is refused too). */
export const emptyService = (emptyNodePort?: number): Service =>
  emptyNodePort === undefined
    ? service('default', 'empty', { clusterIP: emptyVIP, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })
    : service('default', 'empty', { type: 'NodePort', clusterIP: emptyVIP, ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: emptyNodePort }] });
export const sticky = service('default', 'sticky', {
  clusterIP: stickyVIP, sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 300 } },
  ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
});
export const stickySlice = slice('default', 'sticky', [ep1, ep2, ep3], [{ name: 'http', port: endpointPort }]);
export const dns = service('kube-system', 'dns', { clusterIP: dnsVIP, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
export const dnsSlice = slice('kube-system', 'dns', [ep1, ep2], [{ name: 'dns', port: 5353, protocol: 'UDP' }]);

export interface ProxyScene {
  nodeNs: Netns;
  podNs: Netns;
}

/** The two namespaces, the veth between them, and TCP and UDP endpoint servers on every pod address. */
export async function createProxyScene(): Promise<ProxyScene> {
  const nodeNs = await createNetns('skiff-t');
  const podNs = await createNetns('skiff-t');
  await connectVeth(nodeNs, 'node0', '10.244.0.1/24', podNs, 'pod0', podAddrs.map((a) => `${a}/24`));
  await podNs.exec(['ip', 'route', 'add', 'default', 'via', '10.244.0.1']);
  // The node forwards pod traffic (a pod reaching a service); a new namespace starts with forwarding off.
  await nodeNs.exec(['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
  await startEndpointServers(podNs, endpointPort, podAddrs);
  await startUdpEndpointServers(podNs, 5353, podAddrs);
  return { nodeNs, podNs };
}

/** What every mode's proxier gets in these tests besides its runner: fast syncs, no periodic resync. */
export function sceneProxierOptions(nodeNs: Netns): CommonProxierOptions {
  return {
    nodeNetwork: new RealNodeNetwork({ netnsPath: nodeNs.path }),
    logger: pino({ level: 'silent' }),
    minSyncIntervalMs: 50,
    resyncIntervalMs: 0,
    clusterCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/12',
  };
}

export function feed(p: Proxier, services: Service[], slices: EndpointSlice[]): void {
  for (const s of services) p.onServiceUpdate(s);
  for (const s of slices) p.onEndpointSliceUpdate(s);
}

/**
 * The traffic cases both modes pass, in order, against the proxier the file has started with
 * web (3 ready endpoints and a not-ready one), the empty service and sticky: spread, UDP, NodePort, affinity.
 */
export function sharedTrafficCases(current: () => { proxier: Proxier; nodeNs: Netns }): void {
  it('spreads connections to a cluster IP over every ready endpoint and sends none to a not-ready one', async () => {
    const result = await probe(current().nodeNs, webVIP, 80, 60);
    expect(result.errors).toEqual({});
    for (const ep of [ep1, ep2, ep3]) expect(result.answers[ep] ?? 0).toBeGreaterThan(0);
    expect(result.answers[notReady]).toBeUndefined();
  });

  it('load-balances UDP datagrams to a cluster IP over the ready endpoints', async () => {
    const { proxier, nodeNs } = current();
    proxier.onServiceUpdate(dns);
    proxier.onEndpointSliceUpdate(dnsSlice);
    await proxier.sync();
    const result = await probeUdp(nodeNs, dnsVIP, 53, 30);
    expect(result.errors).toEqual({});
    expect(Object.keys(result.answers).sort()).toEqual([ep1, ep2]);
  });

  it('serves a NodePort on 127.0.0.1 of the node', async () => {
    const result = await probe(current().nodeNs, '127.0.0.1', nodePort, 30);
    expect(result.errors).toEqual({});
    expect(Object.keys(result.answers).sort()).toEqual([ep1, ep2, ep3].sort());
  });

  it('keeps a client on one endpoint when the service has ClientIP session affinity', async () => {
    const result = await probe(current().nodeNs, stickyVIP, 80, 20);
    expect(result.errors).toEqual({});
    expect(Object.values(result.answers)).toEqual([20]);
  });
}

// The service proxy with real pods on Docker: busybox httpd containers, each answering with its own
// name, run with `--network none` and wired by this file into a test "node" network namespace (veth per
// pod onto a bridge made there). The real IptablesProxier writes its rules into that namespace only;
// traffic comes from the node namespace and from another pod container. Nothing touches the machine's own
// iptables or Docker's bridge; afterAll removes the containers by label and deletes the namespace (with
// its bridge, veths and rules) even after a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { EndpointSlice } from '../../api/types/index.js';
import { RealIptablesRunner } from '../../agent/proxy/iptables-runner.js';
import { RealNodeNetwork } from '../../agent/proxy/node-network.js';
import { IptablesProxier } from '../../agent/proxy/proxier.js';
import { createNetns, deleteAllNetns, netnsSupported, type Netns } from '../support/netns.js';
import {
  createPodBridge, dockerPodsSupported, httpProbeFromNetns, httpProbeFromPod, podsLabelled, removePodsLabelled, startPod,
  type HttpProbeResult, type TestPod,
} from '../support/netns-pods.js';
import { newRunId } from '../support/docker.js';
import { node, service, slice } from '../proxy/fixtures.js';

const image = 'skiff/busybox:v1';
const podPort = 8080;
const bridge = 'cbr0';
const gateway = '10.250.0.1';
const webVIP = '10.96.0.10';
const nodePort = 30080;
const nodeName = 'docker-node';
// Connections per check: with 3 equally likely endpoints, one of them is missed in 60 tries with
// probability 3·(2/3)^60 ≈ 1e-10, and in 30 with ≈ 2e-5.
const fromNodeCount = 60;
const fromPodCount = 30;

const web = service('default', 'web', { type: 'NodePort', clusterIP: webVIP, ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort }] });
const webSlice = (ready: TestPod[], notReady: TestPod[] = []): EndpointSlice =>
  slice('default', 'web', [...ready.map((p) => p.ip), ...notReady.map((p) => ({ ip: p.ip, ready: false }))], [{ name: 'http', port: podPort }]);

const runId = newRunId('proxy-pods');
let nodeNs: Netns | undefined;
let proxier: IptablesProxier | undefined;
let pods: TestPod[] = [];
let web1: TestPod, web2: TestPod, web3: TestPod, unready: TestPod, client: TestPod;

function names(result: HttpProbeResult): string[] {
  return Object.keys(result.answers).sort();
}

/** Packets the nat PREROUTING jump to SKIFF-SERVICES has seen in the node namespace. */
async function preroutingPackets(): Promise<number> {
  const saved = await nodeNs!.exec(['iptables-save', '-c', '-t', 'nat']);
  const line = saved.split('\n').find((l) => /^\[\d+:\d+\] -A PREROUTING .*-j SKIFF-SERVICES$/.test(l));
  if (!line) throw new Error(`no PREROUTING jump to SKIFF-SERVICES in:\n${saved}`);
  return Number(/^\[(\d+):/.exec(line)![1]);
}

describe('service proxy in front of real Docker pods on a bridge the test made', () => {
  beforeAll(async () => {
    // Like proxy-iptables.test.ts this needs root; say so plainly instead of failing somewhere inside.
    if (!(await netnsSupported())) throw new Error('needs root with ip and nsenter (network namespaces)');
    if (!(await dockerPodsSupported(image))) throw new Error(`needs the Docker engine with the ${image} image`);
    nodeNs = await createNetns('skiff-tp');
    await createPodBridge(nodeNs, bridge, `${gateway}/24`);
    const specs = ['pod-1', 'pod-2', 'pod-3', 'pod-unready', 'pod-client'];
    // Sequential: each start is a docker run plus a handful of `ip` calls; the machine has 2 cores.
    for (const [i, name] of specs.entries()) {
      pods.push(await startPod({
        runId, image, node: nodeNs, bridge, index: i, name, ip: `10.250.0.${i + 2}`, prefix: 24, gateway, port: podPort,
      }));
    }
    [web1, web2, web3, unready, client] = pods as [TestPod, TestPod, TestPod, TestPod, TestPod];
    // Each pod answers on its own address before any service exists (httpd may take a moment to bind).
    for (const pod of pods.slice(0, 4)) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const direct = await httpProbeFromNetns(nodeNs, pod.ip, podPort, 1, 2000);
        if (direct.answers[pod.name] === 1) break;
        if (Date.now() > deadline) throw new Error(`${pod.name} at ${pod.ip} never answered: ${JSON.stringify(direct)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    proxier = new IptablesProxier({
      runner: new RealIptablesRunner({ netnsPath: nodeNs.path }),
      nodeNetwork: new RealNodeNetwork({ netnsPath: nodeNs.path }),
      logger: pino({ level: 'silent' }),
      minSyncIntervalMs: 50,
      resyncIntervalMs: 0,
      nodeName,
      clusterCIDR: '10.250.0.0/24',
      serviceCIDR: '10.96.0.0/12',
    });
    proxier.onNodeUpdate(node(nodeName, [gateway]));
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice([web1, web2, web3], [unready]));
    await proxier.start();
  }, 180_000);

  afterAll(async () => {
    await proxier?.stop();
    await removePodsLabelled(runId);
    await deleteAllNetns();
    expect(await podsLabelled(runId)).toEqual([]);
  }, 120_000);

  it('spreads connections from the node to the cluster IP over all 3 ready pods and none to the not-ready one', async () => {
    const result = await httpProbeFromNetns(nodeNs!, webVIP, 80, fromNodeCount);
    expect(result.errors).toEqual({});
    expect(names(result)).toEqual([web1.name, web2.name, web3.name]);
    expect(result.answers[unready.name]).toBeUndefined();
  }, 120_000);

  it('serves the cluster IP to another pod, whose traffic enters the node through the bridge', async () => {
    const before = await preroutingPackets();
    const result = await httpProbeFromPod(client, webVIP, 80, fromPodCount);
    expect(result.errors).toEqual({});
    expect(names(result)).toEqual([web1.name, web2.name, web3.name]);
    // Routed in from the bridge, so DNATed in nat PREROUTING (one NEW packet per connection), not OUTPUT.
    expect((await preroutingPackets()) - before).toBeGreaterThanOrEqual(fromPodCount);
  }, 120_000);

  it('serves the NodePort on 127.0.0.1 of the node over all 3 ready pods', async () => {
    const result = await httpProbeFromNetns(nodeNs!, '127.0.0.1', nodePort, fromNodeCount);
    expect(result.errors).toEqual({});
    expect(names(result)).toEqual([web1.name, web2.name, web3.name]);
  }, 120_000);

  it('serves the NodePort on the node address to a pod', async () => {
    const result = await httpProbeFromPod(client, gateway, nodePort, fromPodCount);
    expect(result.errors).toEqual({});
    expect(names(result)).toEqual([web1.name, web2.name, web3.name]);
  }, 120_000);

  it('starts sending traffic to a pod once it becomes ready', async () => {
    proxier!.onEndpointSliceUpdate(webSlice([web1, web2, web3, unready]));
    await proxier!.sync();
    // 4 endpoints: one missed in 80 tries with probability 4·(3/4)^80 ≈ 4e-10.
    const result = await httpProbeFromNetns(nodeNs!, webVIP, 80, 80);
    expect(result.errors).toEqual({});
    expect(names(result)).toEqual([web1.name, web2.name, web3.name, unready.name].sort());
  }, 120_000);

  it('stops sending traffic to a pod removed from the endpoints on scale-down', async () => {
    proxier!.onEndpointSliceUpdate(webSlice([web1, web2]));
    await proxier!.sync();
    const fromNode = await httpProbeFromNetns(nodeNs!, webVIP, 80, 40);
    expect(fromNode.errors).toEqual({});
    expect(names(fromNode)).toEqual([web1.name, web2.name]);
    const fromPod = await httpProbeFromPod(client, webVIP, 80, 20);
    expect(fromPod.errors).toEqual({});
    expect(names(fromPod)).toEqual([web1.name, web2.name]);
  }, 120_000);

  it('refuses connections to the cluster IP once the service has no endpoints left', async () => {
    proxier!.onEndpointSliceUpdate(webSlice([]));
    await proxier!.sync();
    const result = await httpProbeFromNetns(nodeNs!, webVIP, 80, 3, 5000);
    expect(result).toEqual({ answers: {}, errors: { ECONNREFUSED: 3 } });
  }, 60_000);
});

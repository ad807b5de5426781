// The kubelet hands its Node's spec.podCIDR to the runtime (CRI UpdateRuntimeConfig) once per change, now
// or later, and with waitForPodCIDR reports NotReady until it has: driven against an in-process API server
// with the nodeipam controller assigning the CIDRs and a FakeRuntime recording the calls.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../api/index.js';
import { FakeRuntime, Kubelet, type MachineInfo } from '../../agent/kubelet/index.js';
import { PodCidrSync } from '../../agent/kubelet/node/pod-cidr-sync.js';
import { networkNotReadyMessage } from '../../agent/kubelet/node/node-status.js';
import { RealClock } from '../../client/index.js';
import { nodesResource } from '../../control-plane/controllers/resources.js';
import { eventually } from '../support/eventually.js';
import { startIpamHarness, type IpamHarness } from '../nodeipam/harness.js';

const machine: MachineInfo = {
  hostname: 'box', cpus: 2, memoryBytes: 4 * 1024 ** 3, rootDiskBytes: 100 * 1024 ** 3, osImage: 'Debian', kernelVersion: '6.1.0',
  architecture: 'amd64', operatingSystem: 'linux', machineID: 'm', systemUUID: 's', bootID: 'b', primaryIPv4: '10.250.0.11',
};
const logger = pino({ level: process.env['SKIFF_TEST_LOG'] ?? 'silent' });

let h: IpamHarness | undefined;
const kubelets: Kubelet[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const k of kubelets.splice(0)) await k.stop();
  await h?.stop();
  h = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function startKubelet(harness: IpamHarness, nodeName: string, runtime: FakeRuntime, waitForPodCIDR = false): Promise<Kubelet> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-kubelet-cidr-'));
  dirs.push(dataDir);
  const k = await Kubelet.create({ client: harness.client, runtime, nodeName, dataDir, logsRoot: path.join(dataDir, 'logs'), machine, logger, waitForPodCIDR });
  kubelets.push(k);
  await k.start();
  return k;
}

const cidrCalls = (r: FakeRuntime): string[] => r.calls.filter((c) => c.startsWith('UpdateRuntimeConfig'));

async function readyOf(harness: IpamHarness, name: string): Promise<{ status?: string; message?: string } | undefined> {
  const node = await harness.client.get<Node>(nodesResource, name);
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

describe('kubelet and its Node\'s pod CIDR', () => {
  it('calls UpdateRuntimeConfig once with the CIDR nodeipam assigns after the node registered', async () => {
    h = await startIpamHarness();
    await h.startController();
    const runtime = new FakeRuntime(new RealClock());
    await startKubelet(h, 'k1', runtime);
    const harness = h;
    const cidr = await eventually('a pod CIDR on k1', async () => (await harness.client.get<Node>(nodesResource, 'k1')).spec?.podCIDR, 30_000, 100);
    await eventually('the runtime to get the CIDR', () => runtime.podCIDR === cidr, 30_000, 50);
    // Later Node updates (labels, status) do not repeat the call.
    await h.client.patch(nodesResource, 'k1', { metadata: { labels: { touched: 'yes' } } });
    await h.client.patch(nodesResource, 'k1', { metadata: { labels: { touched: 'twice' } } });
    await new Promise((r) => setTimeout(r, 500));
    expect(cidrCalls(runtime)).toEqual([`UpdateRuntimeConfig ${cidr}`]);
  });

  it('applies a CIDR the Node already has at start, again after a kubelet restart', async () => {
    h = await startIpamHarness();
    await h.createNode('k2', { podCIDR: '10.244.7.0/24', podCIDRs: ['10.244.7.0/24'] });
    const first = new FakeRuntime(new RealClock());
    const k = await startKubelet(h, 'k2', first);
    expect(cidrCalls(first)).toEqual(['UpdateRuntimeConfig 10.244.7.0/24']);
    await k.stop();
    kubelets.splice(kubelets.indexOf(k), 1);
    const second = new FakeRuntime(new RealClock());
    await startKubelet(h, 'k2', second);
    expect(cidrCalls(second)).toEqual(['UpdateRuntimeConfig 10.244.7.0/24']);
  });

  it('with waitForPodCIDR reports NotReady until the CIDR reached the runtime, then Ready', async () => {
    h = await startIpamHarness();
    const runtime = new FakeRuntime(new RealClock());
    await startKubelet(h, 'k3', runtime, true);
    expect(await readyOf(h, 'k3')).toMatchObject({ status: 'False', message: networkNotReadyMessage });
    expect(cidrCalls(runtime)).toEqual([]);
    await h.startController(); // nodeipam comes up later
    const harness = h;
    await eventually('k3 Ready', async () => (await readyOf(harness, 'k3'))?.status === 'True', 30_000, 100);
    expect(runtime.podCIDR).toBe('10.244.0.0/24');
    expect(cidrCalls(runtime)).toHaveLength(1);
  });
});

describe('PodCidrSync', () => {
  const node = (podCIDR?: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: podCIDR ? { podCIDR } : {} });

  it('makes one call for a burst of sightings and none without a CIDR', async () => {
    const runtime = new FakeRuntime(new RealClock());
    const sync = new PodCidrSync(runtime, logger);
    await Promise.all([sync.observe(node()), sync.observe(undefined), sync.observe(node('10.244.1.0/24')), sync.observe(node('10.244.1.0/24'))]);
    await sync.observe(node('10.244.1.0/24'));
    expect(cidrCalls(runtime)).toEqual(['UpdateRuntimeConfig 10.244.1.0/24']);
    expect(sync.podCIDR).toBe('10.244.1.0/24');
  });

  it('retries a refused CIDR at the next sighting and reports each applied change', async () => {
    const runtime = new FakeRuntime(new RealClock());
    let refuse = true;
    const applied: string[] = [];
    const flaky = {
      updateRuntimeConfig: async (req: Parameters<FakeRuntime['updateRuntimeConfig']>[0]) => {
        if (refuse) throw new Error('runtime down');
        return runtime.updateRuntimeConfig(req);
      },
    };
    const sync = new PodCidrSync(flaky, logger, (c) => applied.push(c));
    await sync.observe(node('10.244.1.0/24'));
    expect(sync.podCIDR).toBeUndefined();
    refuse = false;
    await sync.observe(node('10.244.1.0/24'));
    expect(sync.podCIDR).toBe('10.244.1.0/24');
    await sync.observe(node('10.244.2.0/24'));
    expect(applied).toEqual(['10.244.1.0/24', '10.244.2.0/24']);
  });
});

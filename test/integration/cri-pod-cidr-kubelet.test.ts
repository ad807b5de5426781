// The whole pod-CIDR path on one machine, in-process: an API server with the nodeipam controller, the
// real CRI over Docker and the real kubelet. The kubelet registers its Node, nodeipam gives it a CIDR,
// the kubelet hands it to the CRI (and only then reports Ready, with waitForPodCIDR), and a pod bound to
// the node gets an IP inside that CIDR and serves HTTP to the host. A random 10.236.x.0/24 cluster CIDR
// cut into /26s keeps parallel runs apart; cleanup removes the containers and the network.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/index.js';
import { findResource } from '../../api/resources.js';
import { CriClient, podNetworkName, startCriServer, type CriServer } from '../../agent/cri/index.js';
import { Kubelet, nodeLabel, readMachineInfo } from '../../agent/kubelet/index.js';
import { nodesResource } from '../../control-plane/controllers/resources.js';
import { docker } from '../support/docker.js';
import { eventually } from '../support/eventually.js';
import { startIpamHarness, type IpamHarness } from '../nodeipam/harness.js';

const podsResource = findResource('', 'v1', 'pods')!;
const namespacesResource = findResource('', 'v1', 'namespaces')!;
const third = Math.floor(Math.random() * 250) + 1;
const clusterCIDR = `10.236.${third}.0/24`;
const nodeCIDR = `10.236.${third}.0/26`;
const nodeName = `cidr-${randomBytes(3).toString('hex')}`;
const logger = pino({ level: process.env['SKIFF_TEST_LOG'] ?? 'silent' });

let h: IpamHarness | undefined;
let cri: CriServer | undefined;
let runtime: CriClient | undefined;
let kubelet: Kubelet | undefined;
let dir: string;

async function removeNodeContainers(): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [`io.skiff.label/${nodeLabel}=${nodeName}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-cri-pod-cidr-kubelet-'));
  h = await startIpamHarness();
  await h.startController({ clusterCIDR, nodeCIDRMaskSize: 26 });
  await h.client.create(namespacesResource, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
  cri = await startCriServer({ socketPath: path.join(dir, 'cri.sock'), logger, adoptSelector: { [nodeLabel]: nodeName } });
  runtime = new CriClient(cri.socketPath, { timeoutMs: 30_000 });
  kubelet = await Kubelet.create({
    client: h.client,
    runtime,
    nodeName,
    nodeIP: '127.0.0.1',
    dataDir: path.join(dir, 'agent'),
    logsRoot: path.join(dir, 'logs'),
    machine: await readMachineInfo(),
    logger,
    waitForPodCIDR: true,
  });
  await kubelet.start();
});

afterAll(async () => {
  try {
    await kubelet?.stop();
    runtime?.close();
    await cri?.close();
    await removeNodeContainers();
  } finally {
    await docker.getNetwork(podNetworkName(nodeCIDR)).remove().catch(() => undefined);
    await h?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('a node\'s pod CIDR from nodeipam through the kubelet to the CRI', () => {
  it('the node gets its CIDR and turns Ready once the runtime has it', async () => {
    const harness = h!;
    const node = await eventually('the node Ready', async () => {
      const n = await harness.client.get<Node>(nodesResource, nodeName);
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? n : undefined;
    }, 60_000, 200);
    expect(node.spec?.podCIDR).toBe(nodeCIDR);
    expect((await docker.getNetwork(podNetworkName(nodeCIDR)).inspect()).IPAM?.Config?.[0]).toMatchObject({ Subnet: nodeCIDR, Gateway: `10.236.${third}.1` });
  });

  it('a pod on the node gets an IP inside the node\'s CIDR and serves HTTP to the host', async () => {
    const harness = h!;
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'web' },
      spec: {
        nodeName,
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'web',
          image: 'skiff/busybox:v1',
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', 'mkdir -p /www && echo hello-from-node-cidr > /www/index.html && exec httpd -f -p 8080 -h /www'],
        }],
      },
    };
    await harness.client.create(podsResource, pod, { namespace: 'web' });
    const ip = await eventually('a running pod with an IP', async () => {
      const p = await harness.client.get<Pod>(podsResource, 'web', { namespace: 'web' });
      return p.status?.phase === 'Running' && p.status.podIP ? p.status.podIP : undefined;
    }, 90_000, 250);
    const last = Number(ip.split('.')[3]);
    expect(ip.startsWith(`10.236.${third}.`) && last > 1 && last < 63).toBe(true);
    const body = await eventually('the pod to answer', async () => {
      const res = await fetch(`http://${ip}:8080/index.html`, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? res.text() : undefined;
    }, 30_000, 250);
    expect(body.trim()).toBe('hello-from-node-cidr');
  });
});

// The pod network through the CRI against the real Docker engine: UpdateRuntimeConfig with a pod CIDR
// makes a `skiff-pods-<cidr>` bridge network, new sandboxes take their IPs from it and serve the host,
// concurrent configuration (two runtimes on one engine) ends with one network, and the default bridge
// stays what other runtimes on the engine use. A random 10.234.x.0/24 keeps parallel runs apart.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriClient, podCidrNetworkLabel, podNetworkName, startCriServer } from '../../agent/cri/index.js';
import { docker, runPod, startCriHarness, testLabelKey, waitFor, type CriHarness } from '../support/docker.js';

const third = Math.floor(Math.random() * 250) + 1;
const podCIDR = `10.234.${third}.0/24`;
const networkName = podNetworkName(podCIDR);
const inCIDR = new RegExp(`^10\\.234\\.${third}\\.\\d+$`);
const webServer = ['sh', '-c', 'mkdir -p /var/www && echo hello-from-pod-cidr > /var/www/index.html && exec httpd -f -p 8080 -h /var/www'];

let h: CriHarness;

async function networksNamed(name: string): Promise<string[]> {
  return (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name).map((n) => n.Id);
}

async function removeNetwork(name: string): Promise<void> {
  for (const id of await networksNamed(name)) {
    await docker.getNetwork(id).remove().catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
  }
}

async function sandboxIP(client: CriClient, sandboxId: string): Promise<string> {
  const { status } = await client.podSandboxStatus({ pod_sandbox_id: sandboxId });
  return status?.network?.ip ?? '';
}

beforeAll(async () => {
  h = await startCriHarness('cri-pod-cidr');
});

afterAll(async () => {
  try {
    await h?.cleanup();
  } finally {
    await removeNetwork(networkName);
  }
});

describe('pod CIDR through CRI UpdateRuntimeConfig', () => {
  it('keeps sandboxes on Docker\'s default bridge while no pod CIDR is configured', async () => {
    const { sandboxId } = await runPod(h, 'before', []);
    const info = await docker.getContainer(sandboxId).inspect();
    expect(info.HostConfig.NetworkMode).toBe('bridge');
    expect(await sandboxIP(h.client, sandboxId)).toBe(info.NetworkSettings.Networks['bridge']?.IPAddress);
    expect(await networksNamed(networkName)).toEqual([]);
  });

  it('refuses a pod CIDR that is not IPv4 with INVALID_ARGUMENT', async () => {
    await expect(h.client.updateRuntimeConfig({ runtime_config: { network_config: { pod_cidr: '10.234.1.0' } } })).rejects.toMatchObject({ code: 3 });
    await expect(h.client.updateRuntimeConfig({ runtime_config: { network_config: { pod_cidr: 'fd00::/64' } } })).rejects.toMatchObject({ code: 3 });
  });

  it('creates one bridge network with the subnet and gateway .1, also when configured concurrently by two runtimes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-cri-pod-cidr-2-'));
    const other = await startCriServer({ socketPath: path.join(dir, 'cri.sock'), logger: pino({ level: 'silent' }), adoptSelector: { [testLabelKey]: h.runId } });
    const otherClient = new CriClient(other.socketPath);
    try {
      const req = { runtime_config: { network_config: { pod_cidr: podCIDR } } };
      await Promise.all([h.client.updateRuntimeConfig(req), otherClient.updateRuntimeConfig(req), h.client.updateRuntimeConfig(req), otherClient.updateRuntimeConfig(req)]);
    } finally {
      otherClient.close();
      await other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const ids = await networksNamed(networkName);
    expect(ids).toHaveLength(1);
    const net = await docker.getNetwork(ids[0]!).inspect();
    expect(net.Driver).toBe('bridge');
    expect(net.IPAM?.Config?.[0]).toMatchObject({ Subnet: podCIDR, Gateway: `10.234.${third}.1` });
    expect(net.Labels?.[podCidrNetworkLabel]).toBe(podCIDR);
    // Repeating the call (a restarted kubelet does) reuses it.
    await h.client.updateRuntimeConfig({ runtime_config: { network_config: { pod_cidr: podCIDR } } });
    expect(await networksNamed(networkName)).toEqual(ids);
  });

  it('gives a new sandbox an IP inside the CIDR, reported by PodSandboxStatus, and it serves HTTP to the host', async () => {
    const { sandboxId } = await runPod(h, 'web', [{ name: 'web', command: webServer }]);
    const ip = await sandboxIP(h.client, sandboxId);
    expect(ip).toMatch(inCIDR);
    expect(ip).not.toBe(`10.234.${third}.1`);
    const info = await docker.getContainer(sandboxId).inspect();
    expect(info.HostConfig.NetworkMode).toBe(networkName);
    const body = await waitFor('the pod to answer HTTP', async () => {
      const res = await fetch(`http://${ip}:8080/index.html`, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? res.text() : undefined;
    });
    expect(body.trim()).toBe('hello-from-pod-cidr');
  });

  it('gives a pod on the pod network the DNS servers, searches and options it asked for (not Docker\'s embedded DNS)', async () => {
    const { containerIds: [id] = [] } = await runPod(h, 'dns', [{ name: 'main', command: ['sleep', '3600'] }], {
      dns_config: { servers: ['10.96.0.10'], searches: ['cri-test.svc.cluster.local'], options: ['ndots:5'] },
    });
    const r = await h.client.execSync({ container_id: id!, cmd: ['cat', '/etc/resolv.conf'], timeout: 10 });
    expect(r.stdout.toString()).toBe('nameserver 10.96.0.10\nsearch cri-test.svc.cluster.local\noptions ndots:5\n');
  });

  it('leaves a sandbox made before the CIDR on the default bridge and reports NetworkReady', async () => {
    const before = (await h.client.listPodSandbox({ filter: { label_selector: { [testLabelKey]: h.runId } } })).items.find((s) => s.metadata?.name === 'before');
    expect(before).toBeDefined();
    expect(await sandboxIP(h.client, before!.id)).not.toMatch(inCIDR);
    const { status } = await h.client.status({});
    expect(status?.conditions.find((c) => c.type === 'NetworkReady')).toMatchObject({ status: true });
  });

  it('after a runtime restart, sandboxes use the default bridge until UpdateRuntimeConfig comes again, then the CIDR', async () => {
    await h.restart();
    const { sandboxId: plain } = await runPod(h, 'restarted-plain', []);
    expect((await docker.getContainer(plain).inspect()).HostConfig.NetworkMode).toBe('bridge');
    await h.client.updateRuntimeConfig({ runtime_config: { network_config: { pod_cidr: podCIDR } } });
    const { sandboxId } = await runPod(h, 'restarted', []);
    expect(await sandboxIP(h.client, sandboxId)).toMatch(inCIDR);
  });

  it('re-creates the pod network when it was removed behind its back', async () => {
    for (const s of (await h.client.listPodSandbox({ filter: { label_selector: { [testLabelKey]: h.runId } } })).items) {
      await h.client.stopPodSandbox({ pod_sandbox_id: s.id });
      await h.client.removePodSandbox({ pod_sandbox_id: s.id });
    }
    await removeNetwork(networkName);
    expect(await networksNamed(networkName)).toEqual([]);
    const { sandboxId } = await runPod(h, 'recreated', []);
    expect(await sandboxIP(h.client, sandboxId)).toMatch(inCIDR);
    expect(await networksNamed(networkName)).toHaveLength(1);
  });
});

// The CRI's pod network naming and subnet arithmetic, and how a sandbox is placed on it (pure).
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { podNetworkName, podSubnet } from '../../agent/cri/pod-network.js';
import { resolvConfText, sandboxCreateOptions, sandboxStatusFromInspect } from '../../agent/cri/sandbox.js';
import type { PodSandboxConfig } from '../../agent/cri/types.js';

describe('pod network naming', () => {
  it.each([
    { cidr: '10.244.1.0/24', name: 'skiff-pods-10-244-1-0-24' },
    { cidr: '10.244.0.0/16', name: 'skiff-pods-10-244-0-0-16' },
  ])('names the network of $cidr $name', ({ cidr, name }) => {
    expect(podNetworkName(cidr)).toBe(name);
  });

  it.each([
    { cidr: '10.244.1.0/24', subnet: '10.244.1.0/24', gateway: '10.244.1.1' },
    { cidr: '10.244.1.77/24', subnet: '10.244.1.0/24', gateway: '10.244.1.1' },
    { cidr: '192.168.4.64/26', subnet: '192.168.4.64/26', gateway: '192.168.4.65' },
    { cidr: '10.0.0.0/8', subnet: '10.0.0.0/8', gateway: '10.0.0.1' },
  ])('takes $cidr as subnet $subnet with gateway $gateway', ({ cidr, subnet, gateway }) => {
    expect(podSubnet(cidr)).toEqual({ subnet, gateway });
  });

  it.each(['10.244.1.0', '10.244.1.0/31', 'fd00::/64', '10.244.1.0/24/1', '10.244.1.0/x', '300.1.1.0/24', ''])('refuses %j', (cidr) => {
    expect(() => podSubnet(cidr)).toThrow(/not an IPv4 CIDR/);
  });
});

const cfg = (network: 'POD' | 'NODE'): PodSandboxConfig =>
  ({
    metadata: { name: 'p', namespace: 'ns', uid: 'u1', attempt: 0 },
    hostname: 'p',
    linux: { security_context: { namespace_options: { network, pid: 'POD', ipc: 'POD', target_id: '' } } },
  }) as unknown as PodSandboxConfig;

describe('sandbox placement on the pod network', () => {
  it.each([
    { network: 'POD' as const, mode: 'skiff-pods-10-244-1-0-24', want: 'skiff-pods-10-244-1-0-24' },
    { network: 'POD' as const, mode: undefined, want: 'bridge' },
    { network: 'NODE' as const, mode: 'skiff-pods-10-244-1-0-24', want: 'host' },
  ])('a $network-network sandbox with network mode $mode runs on $want', ({ network, mode, want }) => {
    expect(sandboxCreateOptions(cfg(network), 'skiff/pause:v1', mode).HostConfig?.NetworkMode).toBe(want);
  });

  const inspected = (mode: string, networks: Record<string, { IPAddress: string }>, topLevel = ''): Dockerode.ContainerInspectInfo =>
    ({
      Id: 'abc',
      Created: '2026-01-01T00:00:00.000000000Z',
      State: { Status: 'running' },
      Config: { Labels: {} },
      HostConfig: { NetworkMode: mode, PidMode: '', IpcMode: 'shareable' },
      NetworkSettings: { IPAddress: topLevel, Networks: networks },
    }) as unknown as Dockerode.ContainerInspectInfo;

  it.each([
    { what: 'the pod network', c: inspected('skiff-pods-10-244-1-0-24', { 'skiff-pods-10-244-1-0-24': { IPAddress: '10.244.1.5' } }), ip: '10.244.1.5' },
    { what: 'the default bridge', c: inspected('bridge', { bridge: { IPAddress: '172.17.0.4' } }, '172.17.0.4'), ip: '172.17.0.4' },
    { what: 'host networking', c: inspected('host', { host: { IPAddress: '' } }), ip: '' },
  ])('reports the IP on $what', ({ c, ip }) => {
    expect(sandboxStatusFromInspect(c).network?.ip).toBe(ip);
  });
});

describe('resolvConfText', () => {
  it.each([
    { dns: { servers: ['10.96.0.10'], searches: ['ns.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] }, want: 'nameserver 10.96.0.10\nsearch ns.svc.cluster.local svc.cluster.local\noptions ndots:5\n' },
    { dns: { servers: ['1.1.1.1', '8.8.8.8'], searches: [], options: [] }, want: 'nameserver 1.1.1.1\nnameserver 8.8.8.8\n' },
    { dns: { servers: [], searches: ['x'], options: [] }, want: undefined },
    { dns: null, want: undefined },
  ])('writes %j', ({ dns, want }) => {
    expect(resolvConfText(dns)).toBe(want);
  });
});

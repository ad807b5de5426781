// Docker create options rendered from CRI configs (pure): what cri-dockerd would ask Docker for.
import { describe, expect, it } from 'vitest';
import { sandboxCreateOptions } from '../../agent/cri/sandbox.js';
import { containerCreateOptions, dockerUser } from '../../agent/cri/container.js';
import type { ContainerConfig, PodSandboxConfig } from '../../agent/cri/types.js';

function sandbox(extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name: 'web', namespace: 'ns', uid: 'u1', attempt: 1 },
    hostname: 'web-host',
    log_directory: '/var/log/pods/ns_web_u1',
    dns_config: { servers: ['10.96.0.10'], searches: ['ns.svc.cluster.local'], options: ['ndots:5'] },
    port_mappings: [
      { protocol: 'TCP', container_port: 80, host_port: 8080, host_ip: '127.0.0.1' },
      { protocol: 'UDP', container_port: 53, host_port: 0, host_ip: '' },
    ],
    labels: { app: 'web' },
    annotations: { a: 'b' },
    linux: null,
    ...extra,
  };
}

function container(extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name: 'app', attempt: 0 },
    image: { image: 'skiff/busybox:v1', annotations: {}, user_specified_image: '', runtime_handler: '' },
    command: [],
    args: [],
    working_dir: '',
    envs: [],
    mounts: [],
    devices: [],
    labels: {},
    annotations: {},
    log_path: 'app/0.log',
    stdin: false,
    stdin_once: false,
    tty: false,
    linux: null,
    ...extra,
  };
}

describe('sandbox create options', () => {
  it('maps hostname, DNS, host ports and labels', () => {
    const o = sandboxCreateOptions(sandbox(), 'skiff/pause:v1');
    expect(o.name).toBe('skiff_POD_web_ns_u1_1');
    expect(o.Image).toBe('skiff/pause:v1');
    expect(o.Hostname).toBe('web-host');
    expect(o.HostConfig).toMatchObject({
      NetworkMode: 'bridge',
      IpcMode: 'shareable',
      Dns: ['10.96.0.10'],
      DnsSearch: ['ns.svc.cluster.local'],
      DnsOptions: ['ndots:5'],
      PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] },
    });
    expect(o.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(o.Labels).toMatchObject({ 'io.skiff.type': 'podsandbox', 'io.skiff.label/app': 'web', 'io.skiff.annotation/a': 'b' });
  });

  it('uses the host network for NamespaceOption network NODE, without hostname, DNS or port bindings', () => {
    const o = sandboxCreateOptions(
      sandbox({ linux: { cgroup_parent: '', sysctls: {}, security_context: { namespace_options: { network: 'NODE', pid: 'POD', ipc: 'NODE', target_id: '' }, run_as_user: null, readonly_rootfs: false, privileged: false } } }),
      'p',
    );
    expect(o.HostConfig?.NetworkMode).toBe('host');
    expect(o.HostConfig?.IpcMode).toBe('host');
    expect(o.Hostname).toBeUndefined();
    expect(o.HostConfig?.Dns).toBeUndefined();
    expect(o.HostConfig?.PortBindings).toEqual({});
  });
});

describe('container create options', () => {
  it('joins the sandbox namespaces', () => {
    const o = containerCreateOptions(container(), sandbox(), 'sb1', '/l/app/0.log');
    expect(o.HostConfig).toMatchObject({ NetworkMode: 'container:sb1', IpcMode: 'container:sb1', PidMode: 'container:sb1' });
    expect(o.name).toBe('skiff_app_web_ns_u1_0');
    expect(o.Labels).toMatchObject({ 'io.skiff.sandbox.id': 'sb1', 'io.skiff.log-path': '/l/app/0.log', 'io.skiff.image-spec': 'docker.io/skiff/busybox:v1' });
  });

  it.each([
    [[], [], undefined, undefined],
    [['sh', '-c'], ['echo hi'], ['sh', '-c'], ['echo hi']],
    [[], ['--flag'], undefined, ['--flag']],
    [['/bin/app'], [], ['/bin/app'], undefined],
  ])('command %j args %j → Entrypoint %j Cmd %j', (command, args, entrypoint, cmd) => {
    const o = containerCreateOptions(container({ command, args }), sandbox(), 'sb', '');
    expect(o.Entrypoint).toEqual(entrypoint);
    expect(o.Cmd).toEqual(cmd);
  });

  it('maps env, working dir, mounts, security and resources', () => {
    const o = containerCreateOptions(
      container({
        envs: [{ key: 'A', value: '1=2' }],
        working_dir: '/work',
        mounts: [{ container_path: '/data', host_path: '/srv/data', readonly: true, selinux_relabel: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' }],
        linux: {
          resources: { cpu_period: '100000', cpu_quota: '50000', cpu_shares: '512', memory_limit_in_bytes: '67108864', oom_score_adj: '-998', cpuset_cpus: '', cpuset_mems: '', memory_swap_limit_in_bytes: '0' },
          security_context: {
            capabilities: { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'], add_ambient_capabilities: [] },
            privileged: false,
            namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD', target_id: '' },
            run_as_user: { value: '1000' },
            run_as_group: { value: '3000' },
            run_as_username: '',
            readonly_rootfs: true,
            supplemental_groups: [],
            no_new_privs: false,
          },
        },
      }),
      sandbox(),
      'sb',
      '',
    );
    expect(o.Env).toEqual(['A=1=2']);
    expect(o.WorkingDir).toBe('/work');
    expect(o.User).toBe('1000:3000');
    expect(o.HostConfig).toMatchObject({
      PidMode: '',
      Mounts: [{ Type: 'bind', Source: '/srv/data', Target: '/data', ReadOnly: true, BindOptions: { Propagation: 'rslave' } }],
      CapAdd: ['NET_ADMIN'],
      CapDrop: ['ALL'],
      ReadonlyRootfs: true,
      CpuPeriod: 100000,
      CpuQuota: 50000,
      CpuShares: 512,
      Memory: 67108864,
      OomScoreAdj: -998,
    });
    expect(o.HostConfig?.MemorySwap).toBeUndefined();
  });

  it('prefers run_as_username over run_as_user', () => {
    const sc = { capabilities: null, privileged: false, namespace_options: null, run_as_user: { value: '5' }, run_as_group: null, run_as_username: 'www', readonly_rootfs: false, supplemental_groups: [], no_new_privs: false };
    expect(dockerUser(container({ linux: { resources: null, security_context: sc } }))).toBe('www');
    expect(dockerUser(container())).toBeUndefined();
  });
});

// A pod sandbox is a pause container that holds the pod's network (and IPC) namespace, as cri-dockerd
// makes it; the pod's containers join it. This file turns a PodSandboxConfig into Docker's create options
// and an inspected pause container back into CRI shapes. No I/O here.
import type Dockerode from 'dockerode';
import { invalidArgument } from './errors.js';
import { decodeAnnotations, decodeSandboxMeta, decodeUserLabels, encodeSandboxLabels } from './labels.js';
import { sandboxStateOfStatus } from './container-state.js';
import { timestampToNanos } from './cri-log.js';
import type { NamespaceMode, NamespaceOption, PodSandbox, PodSandboxConfig, PodSandboxStatus } from './types.js';

/** Docker container name for a sandbox, unique per (pod uid, attempt) as kubelet expects. */
export function sandboxContainerName(cfg: PodSandboxConfig): string {
  const m = cfg.metadata!;
  return `skiff_POD_${m.name}_${m.namespace}_${m.uid}_${m.attempt}`;
}

/** Rejects a sandbox config the runtime cannot identify. */
export function validateSandboxConfig(cfg: PodSandboxConfig | null | undefined): asserts cfg is PodSandboxConfig {
  if (!cfg) throw invalidArgument('sandbox config is required');
  const m = cfg.metadata;
  if (!m) throw invalidArgument('sandbox config metadata is required');
  if (!m.name || !m.namespace || !m.uid) throw invalidArgument('sandbox metadata needs name, namespace and uid');
}

function namespaceOptions(cfg: PodSandboxConfig): NamespaceOption {
  const n = cfg.linux?.security_context?.namespace_options;
  return { network: n?.network ?? 'POD', pid: n?.pid ?? 'POD', ipc: n?.ipc ?? 'POD', target_id: n?.target_id ?? '' };
}

/** True when the pod shares the node's network namespace (hostNetwork: true). */
export function isHostNetwork(cfg: PodSandboxConfig): boolean {
  return namespaceOptions(cfg).network === 'NODE';
}

/**
 * Docker create options for a sandbox's pause container; `networkMode` is the pod network's name, or
 * `bridge` (Docker's default) while the node has no pod CIDR. Host-network pods ignore it.
 */
export function sandboxCreateOptions(cfg: PodSandboxConfig, pauseImage: string, networkMode = 'bridge'): Dockerode.ContainerCreateOptions {
  const ns = namespaceOptions(cfg);
  const hostNetwork = ns.network === 'NODE';
  const sc = cfg.linux?.security_context;
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const pm of cfg.port_mappings ?? []) {
    if (!pm.container_port) continue;
    const key = `${pm.container_port}/${(pm.protocol ?? 'TCP').toLowerCase()}`;
    exposed[key] = {};
    if (pm.host_port > 0 && !hostNetwork) {
      (bindings[key] ??= []).push({ HostIp: pm.host_ip ?? '', HostPort: String(pm.host_port) });
    }
  }
  const dns = cfg.dns_config;
  const hostConfig: Dockerode.HostConfig = {
    NetworkMode: hostNetwork ? 'host' : networkMode,
    // Shareable, so that the pod's containers can join it with `container:<sandbox>`.
    IpcMode: ns.ipc === 'NODE' ? 'host' : 'shareable',
    PidMode: ns.pid === 'NODE' ? 'host' : '',
    PortBindings: bindings,
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    Privileged: sc?.privileged ?? false,
    ReadonlyRootfs: sc?.readonly_rootfs ?? false,
  };
  // Docker refuses DNS, hostname and sysctl settings alongside host networking; the pod then uses the node's.
  if (!hostNetwork && dns) {
    if (dns.servers.length) hostConfig.Dns = dns.servers;
    if (dns.searches.length) hostConfig.DnsSearch = dns.searches;
    if (dns.options.length) hostConfig.DnsOptions = dns.options;
  }
  const sysctls = cfg.linux?.sysctls ?? {};
  if (!hostNetwork && Object.keys(sysctls).length) hostConfig.Sysctls = sysctls;
  if (cfg.linux?.cgroup_parent) hostConfig.CgroupParent = cfg.linux.cgroup_parent;
  const meta = cfg.metadata!;
  return {
    name: sandboxContainerName(cfg),
    Image: pauseImage,
    Hostname: hostNetwork ? undefined : cfg.hostname || undefined,
    Labels: encodeSandboxLabels(
      { name: meta.name, namespace: meta.namespace, uid: meta.uid, attempt: meta.attempt },
      cfg.labels ?? {},
      cfg.annotations ?? {},
    ),
    ExposedPorts: exposed,
    HostConfig: hostConfig,
  };
}

/**
 * The resolv.conf a sandbox on a user-defined network (the pod network) must get. Docker points such
 * containers at its embedded DNS (nameserver 127.0.0.11) whatever --dns says; cri-dockerd rewrites the
 * sandbox's file with the pod's own servers, and so does Skiff, so pods see what the kubelet asked for.
 * Undefined when there are no servers to write (Docker's file stays).
 */
export function resolvConfText(dns: PodSandboxConfig['dns_config']): string | undefined {
  if (!dns?.servers.length) return undefined;
  const lines = dns.servers.map((s) => `nameserver ${s}`);
  if (dns.searches.length) lines.push(`search ${dns.searches.join(' ')}`);
  if (dns.options.length) lines.push(`options ${dns.options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** The CRI list entry of a sandbox from `docker ps` output. */
export function sandboxFromListEntry(c: Dockerode.ContainerInfo): PodSandbox {
  const labels = c.Labels ?? {};
  return {
    id: c.Id,
    metadata: decodeSandboxMeta(labels),
    state: sandboxStateOfStatus(c.State),
    // `docker ps` gives seconds only; status has the precise time.
    created_at: (BigInt(c.Created) * 1_000_000_000n).toString(),
    labels: decodeUserLabels(labels),
    annotations: decodeAnnotations(labels),
    runtime_handler: '',
  };
}

function modeOf(dockerMode: string | undefined, sandboxDefault: NamespaceMode): NamespaceMode {
  return dockerMode === 'host' ? 'NODE' : sandboxDefault;
}

/**
 * The pod IP: the address on the network the sandbox was created on (the pod network or the default
 * bridge); Docker fills the top-level IPAddress only for the default bridge.
 */
function sandboxIP(c: Dockerode.ContainerInspectInfo): string {
  const networks = c.NetworkSettings.Networks ?? {};
  const mode = c.HostConfig.NetworkMode ?? '';
  return networks[mode]?.IPAddress || networks['bridge']?.IPAddress || c.NetworkSettings.IPAddress || Object.values(networks).find((n) => n.IPAddress)?.IPAddress || '';
}

/** The CRI status of a sandbox from its inspected pause container. */
export function sandboxStatusFromInspect(c: Dockerode.ContainerInspectInfo): PodSandboxStatus {
  const labels = c.Config.Labels ?? {};
  const hostNetwork = c.HostConfig.NetworkMode === 'host';
  const ip = hostNetwork ? '' : sandboxIP(c);
  return {
    id: c.Id,
    metadata: decodeSandboxMeta(labels),
    state: sandboxStateOfStatus(c.State.Status),
    created_at: timestampToNanos(c.Created).toString(),
    network: { ip, additional_ips: [] },
    linux: {
      namespaces: {
        options: {
          network: modeOf(c.HostConfig.NetworkMode, 'POD'),
          pid: modeOf(c.HostConfig.PidMode, 'POD'),
          ipc: modeOf(c.HostConfig.IpcMode, 'POD'),
          target_id: '',
        },
      },
    },
    labels: decodeUserLabels(labels),
    annotations: decodeAnnotations(labels),
    runtime_handler: '',
  };
}

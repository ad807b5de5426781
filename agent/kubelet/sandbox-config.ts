// A pod's CRI PodSandboxConfig, as upstream's generatePodSandboxConfig: metadata (name, namespace, uid,
// attempt), hostname, log directory /var/log/pods/<ns>_<name>_<uid>, DNS, host port mappings of every
// container, labels, and the Linux namespace options (hostNetwork/hostPID/hostIPC).
import path from 'node:path';
import type { Pod } from '../../api/index.js';
import type { DeepPartial, PodSandboxConfig, PortMapping } from '../cri/types.js';
import { sandboxLabels } from './labels.js';

export const defaultPodLogsRoot = '/var/log/pods';

/** The pod's log directory, as upstream's BuildPodLogsDirectory. */
export function podLogDirectory(pod: Pod, logsRoot = defaultPodLogsRoot): string {
  const m = pod.metadata;
  return path.join(logsRoot, `${m.namespace ?? ''}_${m.name ?? ''}_${m.uid ?? ''}`);
}

function portMappings(pod: Pod): DeepPartial<PortMapping>[] {
  const out: DeepPartial<PortMapping>[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.containerPort) continue;
      out.push({ protocol: p.protocol ?? 'TCP', container_port: p.containerPort, host_port: p.hostPort ?? 0, host_ip: p.hostIP ?? '' });
    }
  }
  return out;
}

/** Upstream's hostname rule: spec.hostname, else the pod name truncated to 63 characters. */
export function podHostname(pod: Pod): string {
  const h = pod.spec?.hostname || pod.metadata.name || '';
  return h.slice(0, 63).replace(/[-.]+$/, '');
}

export interface SandboxOptions {
  attempt: number;
  logsRoot?: string;
  /** Cluster DNS servers and search domain for ClusterFirst pods (none configured: the node's resolv.conf). */
  clusterDNS?: string[];
  clusterDomain?: string;
}

function dnsConfig(pod: Pod, opts: SandboxOptions): DeepPartial<PodSandboxConfig>['dns_config'] {
  const spec = pod.spec;
  const policy = spec?.dnsPolicy ?? 'ClusterFirst';
  const custom = spec?.dnsConfig;
  const servers: string[] = [];
  const searches: string[] = [];
  if ((policy === 'ClusterFirst' && !spec?.hostNetwork) || policy === 'ClusterFirstWithHostNet') {
    if (opts.clusterDNS?.length) {
      servers.push(...opts.clusterDNS);
      const domain = opts.clusterDomain ?? 'cluster.local';
      const ns = pod.metadata.namespace ?? 'default';
      searches.push(`${ns}.svc.${domain}`, `svc.${domain}`, domain);
    }
  }
  servers.push(...(custom?.nameservers ?? []));
  searches.push(...(custom?.searches ?? []));
  const options = (custom?.options ?? []).map((o) => (o.value !== undefined ? `${o.name ?? ''}:${o.value}` : (o.name ?? '')));
  if (!servers.length && !searches.length && !options.length) return null;
  return { servers, searches, options };
}

/** The sandbox config of `pod`. */
export function sandboxConfig(pod: Pod, opts: SandboxOptions): DeepPartial<PodSandboxConfig> {
  const spec = pod.spec;
  return {
    metadata: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '', uid: pod.metadata.uid ?? '', attempt: opts.attempt },
    hostname: spec?.hostNetwork ? '' : podHostname(pod),
    log_directory: podLogDirectory(pod, opts.logsRoot),
    dns_config: dnsConfig(pod, opts),
    port_mappings: portMappings(pod),
    labels: sandboxLabels(pod),
    annotations: { ...(pod.metadata.annotations ?? {}) },
    linux: {
      cgroup_parent: '',
      sysctls: Object.fromEntries((spec?.securityContext?.sysctls ?? []).map((s) => [s.name, s.value])),
      security_context: {
        namespace_options: {
          network: spec?.hostNetwork ? 'NODE' : 'POD',
          pid: spec?.hostPID ? 'NODE' : spec?.shareProcessNamespace ? 'POD' : 'CONTAINER',
          ipc: spec?.hostIPC ? 'NODE' : 'POD',
        },
        run_as_user: spec?.securityContext?.runAsUser !== undefined ? { value: spec.securityContext.runAsUser } : null,
      },
    },
  };
}

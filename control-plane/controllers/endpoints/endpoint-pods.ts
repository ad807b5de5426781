// Which pods back a Service and how (upstream's endpointutil): the pod's IP, its readiness as endpoint
// conditions, and each service port resolved to the pod's port (a number, or a named container port).
import type { Pod, Service, ServicePort } from '../../../api/index.js';
import { isIPv4 } from '../../../api/index.js';
import { isPodReady } from '../pod-util.js';

/** The pod's IPv4 address, if it has one. */
export function podIPv4(pod: Pod): string | undefined {
  const ips = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)].filter((ip): ip is string => !!ip);
  return ips.find((ip) => isIPv4(ip));
}

/**
 * Whether the pod belongs in the service's endpoints (upstream's ShouldPodBeInEndpoints): it needs an IP
 * and must not have finished; terminating pods stay in EndpointSlices (marked terminating) but leave the
 * legacy Endpoints.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!podIPv4(pod)) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

export interface EndpointState {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** Upstream's EndpointSlice conditions; publishNotReadyAddresses makes every endpoint ready and serving. */
export function endpointState(pod: Pod, service: Service): EndpointState {
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const serving = service.spec?.publishNotReadyAddresses === true || isPodReady(pod);
  return { ready: serving && !terminating, serving, terminating };
}

/** The pod's port for a service port (upstream's podutil.FindPort); undefined when a named port is absent. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  const asNumber = Number(target);
  if (target !== '' && Number.isInteger(asNumber)) return asNumber;
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

export interface ResolvedPort {
  name?: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  appProtocol?: string;
}

/** Every service port this pod serves, resolved; ports a pod cannot resolve are left out for that pod. */
export function resolvePorts(pod: Pod, service: Service): ResolvedPort[] {
  const out: ResolvedPort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({
      ...(sp.name !== undefined ? { name: sp.name } : { name: '' }),
      protocol: (sp.protocol ?? 'TCP') as ResolvedPort['protocol'],
      port,
      ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}),
    });
  }
  return out;
}

// From API objects to what the rules need: one entry per (service, port), with the READY endpoints of
// that port gathered from every EndpointSlice of the service. Pure, and sorted so rendering is byte-stable.
import type { EndpointSlice, Service, ServicePort } from '../../../api/types/index.js';
import { servicePortName } from './chain-names.js';

/** The label that ties an EndpointSlice to its Service (discovery.k8s.io/v1). */
export const serviceNameLabel = 'kubernetes.io/service-name';

export type RuleProtocol = 'tcp' | 'udp' | 'sctp';

/** One service port as the proxy sees it. */
export interface ServicePortInfo {
  /** `ns/name:port-name` (port name may be empty, as upstream prints it). */
  name: string;
  protocol: RuleProtocol;
  clusterIP: string;
  port: number;
  /** 0 when the service has no node port. */
  nodePort: number;
  /** spec.externalIPs and status.loadBalancer.ingress[].ip, IPv4 only, sorted, unique. */
  externalIPs: string[];
  /** Set when sessionAffinity is ClientIP: how long a client sticks to its endpoint. */
  affinityTimeoutSeconds: number | undefined;
  /** Ready endpoints as `ip:port`, sorted by address then port, unique. */
  endpoints: string[];
}

/** Default of sessionAffinityConfig.clientIP.timeoutSeconds (3 hours), as upstream defaults it. */
export const defaultAffinityTimeoutSeconds = 10800;

const isIPv4 = (ip: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);

/**
 * Remembers each Service's ports between calls, keyed by the Service object and its EndpointSlice objects:
 * informers hand over the same objects until they change, so a sync of 10,000 services where one slice
 * changed derives one service's ports again and returns the very same ServicePortInfo objects for the
 * rest (which the renderers' caches then recognise by identity). Output is identical without it.
 */
export class ServicePortsCache {
  private entries = new WeakMap<Service, { slices: readonly EndpointSlice[]; ports: ServicePortInfo[] }>();

  get(svc: Service, slices: readonly EndpointSlice[], derive: () => ServicePortInfo[]): ServicePortInfo[] {
    const hit = this.entries.get(svc);
    if (hit && hit.slices.length === slices.length && hit.slices.every((s, i) => s === slices[i])) return hit.ports;
    const ports = derive();
    this.entries.set(svc, { slices: [...slices], ports });
    return ports;
  }
}

/** Every proxied service port, sorted by name then protocol. Headless and ExternalName services have none. */
export function servicePorts(services: readonly Service[], slices: readonly EndpointSlice[], cache?: ServicePortsCache): ServicePortInfo[] {
  const slicesByService = groupSlices(slices);
  const out: ServicePortInfo[] = [];
  for (const svc of services) {
    const ownSlices = slicesByService.get(`${svc.metadata.namespace ?? 'default'}/${svc.metadata.name ?? ''}`) ?? [];
    out.push(...(cache ? cache.get(svc, ownSlices, () => portsOf(svc, ownSlices)) : portsOf(svc, ownSlices)));
  }
  return out.sort((a, b) => compare(a.name, b.name) || compare(a.protocol, b.protocol));
}

function portsOf(svc: Service, ownSlices: readonly EndpointSlice[]): ServicePortInfo[] {
  const spec = svc.spec;
  const clusterIP = spec?.clusterIP;
  if (!spec || !clusterIP || clusterIP === 'None' || !isIPv4(clusterIP) || spec.type === 'ExternalName') return [];
  const ns = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name ?? '';
  return (spec.ports ?? []).map((port) => ({
    name: servicePortName(ns, name, port.name ?? ''),
    protocol: ruleProtocol(port.protocol),
    clusterIP,
    port: port.port,
    nodePort: hasNodePorts(spec.type) ? port.nodePort ?? 0 : 0,
    externalIPs: externalIPs(svc),
    affinityTimeoutSeconds: spec.sessionAffinity === 'ClientIP'
      ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? defaultAffinityTimeoutSeconds
      : undefined,
    endpoints: readyEndpoints(ownSlices, port),
  }));
}

function hasNodePorts(type: string | undefined): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}

function ruleProtocol(p: string | undefined): RuleProtocol {
  if (p === 'UDP') return 'udp';
  if (p === 'SCTP') return 'sctp';
  return 'tcp';
}

function externalIPs(svc: Service): string[] {
  const ips = [...(svc.spec?.externalIPs ?? [])];
  for (const ingress of svc.status?.loadBalancer?.ingress ?? []) if (ingress.ip) ips.push(ingress.ip);
  return [...new Set(ips.filter(isIPv4))].sort(compareAddress);
}

function groupSlices(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const byService = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const svc = slice.metadata.labels?.[serviceNameLabel];
    if (!svc || slice.addressType !== 'IPv4') continue;
    const key = `${slice.metadata.namespace ?? 'default'}/${svc}`;
    const list = byService.get(key);
    if (list) list.push(slice);
    else byService.set(key, [slice]);
  }
  return byService;
}

/**
 * Endpoints whose `ready` is not false and that are not terminating. A missing `ready` means "unknown" and
 * upstream tells consumers to treat it as ready. The slice port is matched by name and protocol, as the
 * EndpointSlice controller names slice ports after service ports.
 */
function readyEndpoints(slices: readonly EndpointSlice[], svcPort: ServicePort): string[] {
  const wantName = svcPort.name ?? '';
  const wantProtocol = svcPort.protocol ?? 'TCP';
  const found = new Set<string>();
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === wantName && (p.protocol ?? 'TCP') === wantProtocol);
    if (!port?.port) continue;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses[0];
      if (!ip || !isIPv4(ip) || ep.conditions?.ready === false || ep.conditions?.terminating === true) continue;
      found.add(`${ip}:${port.port}`);
    }
  }
  return [...found].sort(compareAddress);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Numeric order for `a.b.c.d` or `a.b.c.d:port`, so 10.0.0.9 sorts before 10.0.0.10. */
export function compareAddress(a: string, b: string): number {
  const na = a.split(/[.:]/).map(Number);
  const nb = b.split(/[.:]/).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

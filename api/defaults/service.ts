// Service, Endpoints and EndpointSlice defaults (upstream's SetDefaults_Service plus the IP-family
// fields its registry fills on create).
import { isIPv6 } from '../names.js';
import type { ServicePort, ServiceSpec } from '../types/service.js';

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function asList<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** Upstream's DefaultClientIPServiceAffinitySeconds: three hours. */
export const defaultClientIPServiceAffinitySeconds = 10800;

/** Fills a Service's spec defaults in place. */
export function defaultService(svc: Record<string, unknown>): void {
  const spec = asObject(svc['spec']) as ServiceSpec | undefined;
  if (!spec) return;
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (!spec.type) spec.type = 'ClusterIP';
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = asObject(spec.sessionAffinityConfig) ?? {};
    const clientIP = asObject(cfg['clientIP']) ?? {};
    if (!clientIP['timeoutSeconds']) clientIP['timeoutSeconds'] = defaultClientIPServiceAffinitySeconds;
    cfg['clientIP'] = clientIP;
    spec.sessionAffinityConfig = cfg;
  }
  for (const port of asList<ServicePort>(spec.ports)) {
    if (!asObject(port)) continue;
    if (!port.protocol) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') {
      port.targetPort = port.port;
    }
  }
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  if (spec.type === 'ExternalName') return;
  if (!spec.internalTrafficPolicy) spec.internalTrafficPolicy = 'Cluster';
  if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = 'SingleStack';
  if (asList(spec.ipFamilies).length === 0) {
    const ip = asList<string>(spec.clusterIPs)[0] ?? spec.clusterIP ?? '';
    spec.ipFamilies = [isIPv6(ip) ? 'IPv6' : 'IPv4'];
  }
}

/** Endpoints ports default to TCP. */
export function defaultEndpoints(ep: Record<string, unknown>): void {
  for (const subset of asList<Record<string, unknown>>(ep['subsets'])) {
    for (const port of asList<Record<string, unknown>>(subset['ports'])) {
      if (!port['protocol']) port['protocol'] = 'TCP';
    }
  }
}

/** EndpointSlice ports default to TCP. */
export function defaultEndpointSlice(slice: Record<string, unknown>): void {
  for (const port of asList<Record<string, unknown>>(slice['ports'])) {
    if (asObject(port) && !port['protocol']) port['protocol'] = 'TCP';
  }
}

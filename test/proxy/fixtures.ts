// Builders for the Service / EndpointSlice / Node objects the proxy tests feed in.
import type { EndpointSlice, Node, Service, ServicePort, ServiceSpec } from '../../api/types/index.js';

export function service(ns: string, name: string, spec: Partial<ServiceSpec> & { ports: ServicePort[] }): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { type: 'ClusterIP', ...spec } };
}

export interface EndpointSpec {
  ip: string;
  ready?: boolean;
  terminating?: boolean;
}

export function slice(
  ns: string,
  serviceName: string,
  endpoints: Array<string | EndpointSpec>,
  ports: Array<{ name?: string; port: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }>,
  sliceName = `${serviceName}-abc`,
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: ns, name: sliceName, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => {
      const spec = typeof e === 'string' ? { ip: e } : e;
      return { addresses: [spec.ip], conditions: { ready: spec.ready ?? true, terminating: spec.terminating ?? false } };
    }),
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

export function node(name: string, addresses: string[]): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { addresses: addresses.map((address) => ({ type: 'InternalIP', address })) },
  };
}

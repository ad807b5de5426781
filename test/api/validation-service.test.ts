import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { validate } from '../../api/validation/index.js';
import { endpointSlicesR, endpointsR, service, servicesR, summary } from './fixtures.js';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function svc(mutate: (spec: Spec) => void): KubeObject {
  const s = service();
  mutate(s['spec'] as Spec);
  return s;
}

describe('validate services', () => {
  it.each<[string, (s: Spec) => void]>([
    ['a ClusterIP service', () => undefined],
    ['a headless service without ports', (s) => { s.clusterIP = 'None'; s.ports = []; }],
    ['an ExternalName service', (s) => { s.type = 'ExternalName'; s.externalName = 'db.example.com.'; s.ports = []; }],
    ['a NodePort service in range', (s) => { s.type = 'NodePort'; s.ports[0].nodePort = 30080; }],
    ['two named ports', (s) => s.ports.push({ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' })],
    ['same port on two protocols', (s) => { s.ports = [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]; }],
    ['an explicit cluster IP', (s) => { s.clusterIP = '10.96.0.10'; s.clusterIPs = ['10.96.0.10']; }],
    ['ClientIP affinity', (s) => { s.sessionAffinity = 'ClientIP'; s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } }; }],
  ])('accepts %s', (_name, mutate) => {
    expect(summary(validate(servicesR, svc(mutate)))).toEqual([]);
  });

  it.each<[string, (s: Spec) => void, string]>([
    ['no ports', (s) => (s.ports = []), 'spec.ports: Required value'],
    ['port zero', (s) => (s.ports[0].port = 0), 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ['port too large', (s) => (s.ports[0].port = 65536), 'spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive'],
    ['bad protocol', (s) => (s.ports[0].protocol = 'HTTP'), 'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ['unnamed second port', (s) => s.ports.push({ port: 443, protocol: 'TCP' }), 'spec.ports[1].name: Required value'],
    ['duplicate port names', (s) => s.ports.push({ name: 'http', port: 443, protocol: 'TCP' }), 'spec.ports[1].name: Duplicate value: "http"'],
    ['duplicate port/protocol', (s) => s.ports.push({ name: 'other', port: 80, protocol: 'TCP' }), 'spec.ports[1]: Duplicate value: core.ServicePort{Protocol:"TCP", Port:80}'],
    ['bad targetPort number', (s) => (s.ports[0].targetPort = 70000), 'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ['bad targetPort name', (s) => (s.ports[0].targetPort = 'HTTP_PORT'), 'spec.ports[0].targetPort: Invalid value: "HTTP_PORT": must contain only alpha-numeric characters'],
    ['bad type', (s) => (s.type = 'Magic'), 'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ['nodePort out of range', (s) => { s.type = 'NodePort'; s.ports[0].nodePort = 8080; }, 'spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ['nodePort on ClusterIP', (s) => (s.ports[0].nodePort = 30080), "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ['duplicate nodePorts', (s) => { s.type = 'NodePort'; s.ports[0].nodePort = 30080; s.ports.push({ name: 'b', port: 81, protocol: 'TCP', nodePort: 30080 }); }, 'spec.ports[1].nodePort: Duplicate value: 30080'],
    ['bad sessionAffinity', (s) => (s.sessionAffinity = 'Cookie'), 'spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"'],
    ['affinity config with None', (s) => (s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 5 } }), 'spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None'],
    ['affinity timeout too long', (s) => { s.sessionAffinity = 'ClientIP'; s.sessionAffinityConfig = { clientIP: { timeoutSeconds: 90000 } }; }, 'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000'],
    ['bad clusterIP', (s) => (s.clusterIP = '10.96.0'), 'spec.clusterIP: Invalid value: "10.96.0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    ['bad clusterIPs entry', (s) => (s.clusterIPs = ['10.96.0.300']), 'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address'],
    ['bad externalIP', (s) => (s.externalIPs = ['nope']), 'spec.externalIPs[0]: Invalid value: "nope": must be a valid IP address'],
    ['ExternalName without name', (s) => { s.type = 'ExternalName'; s.ports = []; }, 'spec.externalName: Required value'],
    ['ExternalName with clusterIP', (s) => { s.type = 'ExternalName'; s.externalName = 'a.b'; s.clusterIP = '10.0.0.1'; }, 'spec.clusterIP: Forbidden: may not be set for ExternalName services'],
    ['bad selector', (s) => (s.selector = { app: 'bad value' }), 'spec.selector: Invalid value: "bad value"'],
    ['bad ipFamilyPolicy', (s) => (s.ipFamilyPolicy = 'Dual'), 'spec.ipFamilyPolicy: Unsupported value: "Dual"'],
  ])('rejects %s', (_name, mutate, want) => {
    expect(summary(validate(servicesR, svc(mutate)))).toEqual(expect.arrayContaining([expect.stringContaining(want)]));
  });
});

describe('validate endpoints and endpoint slices', () => {
  const slice = (): KubeObject => ({
    metadata: { name: 'web-abc', namespace: 'default' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1' }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  });

  it('accepts a valid slice and Endpoints object', () => {
    expect(validate(endpointSlicesR, slice())).toEqual([]);
    const ep: KubeObject = {
      metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    };
    expect(validate(endpointsR, ep)).toEqual([]);
  });

  it.each<[string, (s: KubeObject) => void, string]>([
    ['bad addressType', (s) => (s['addressType'] = 'IPv5'), 'addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'],
    ['missing addressType', (s) => delete s['addressType'], 'addressType: Required value'],
    ['endpoint without addresses', (s) => (s['endpoints'] = [{ addresses: [] }]), 'endpoints[0].addresses: Required value: must contain at least 1 address'],
    ['IPv6 address in IPv4 slice', (s) => (s['endpoints'] = [{ addresses: ['fd00::1'] }]), 'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address'],
    ['duplicate port names', (s) => (s['ports'] = [{ name: 'a', port: 1 }, { name: 'a', port: 2 }]), 'ports[1].name: Duplicate value: "a"'],
    ['bad port', (s) => (s['ports'] = [{ name: 'a', port: 0 }]), 'ports[0].port: Invalid value: 0'],
  ])('rejects a slice with %s', (_name, mutate, want) => {
    const s = slice();
    mutate(s);
    expect(summary(validate(endpointSlicesR, s))).toEqual(expect.arrayContaining([expect.stringContaining(want)]));
  });

  it('rejects an Endpoints object with a bad IP', () => {
    const ep: KubeObject = { metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: 'x' }] }] };
    expect(summary(validate(endpointsR, ep))).toEqual(['subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  });
});

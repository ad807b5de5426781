import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../api/types/index.js';
import { renderProxyPayload, type ExistingChains } from '../../agent/proxy/rules/index.js';
import { expectGolden } from './golden.js';
import { service, slice } from './fixtures.js';

const none: ExistingChains = { nat: new Set(), filter: new Set() };
const options = { clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };

interface Scenario {
  name: string;
  services: Service[];
  slices: EndpointSlice[];
  nodeAddresses?: string[];
  existing?: ExistingChains;
}

const web = service('default', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] });

const scenarios: Scenario[] = [
  {
    name: 'clusterip-three-endpoints-one-not-ready',
    services: [web],
    slices: [slice('default', 'web', ['10.244.1.2', '10.244.1.3', { ip: '10.244.2.9', ready: false }, '10.244.1.10'], [{ name: 'http', port: 8080 }])],
  },
  {
    name: 'nodeport',
    services: [service('shop', 'front', { type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ name: '', port: 443, protocol: 'TCP', nodePort: 30443 }] })],
    slices: [slice('shop', 'front', ['10.244.3.4', '10.244.3.5'], [{ port: 8443 }])],
    nodeAddresses: ['192.168.50.10'],
  },
  {
    name: 'session-affinity',
    services: [service('default', 'sticky', {
      clusterIP: '10.96.0.30', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    })],
    slices: [slice('default', 'sticky', ['10.244.1.7', '10.244.1.8'], [{ name: 'http', port: 80 }])],
  },
  {
    name: 'no-endpoints-reject',
    services: [service('default', 'empty', {
      type: 'NodePort', clusterIP: '10.96.0.40', externalIPs: ['203.0.113.7'],
      ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
    })],
    slices: [slice('default', 'empty', [{ ip: '10.244.1.9', ready: false }], [{ name: 'http', port: 80 }])],
  },
  {
    name: 'external-ips',
    services: [service('default', 'ext', { clusterIP: '10.96.0.50', externalIPs: ['203.0.113.8', '198.51.100.2'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })],
    slices: [slice('default', 'ext', ['10.244.1.11'], [{ name: 'http', port: 80 }])],
  },
  {
    name: 'udp-and-tcp-dns',
    services: [service('kube-system', 'dns', {
      clusterIP: '10.96.0.53',
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
    })],
    slices: [slice('kube-system', 'dns', ['10.244.0.5', '10.244.0.6'], [{ name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'dns-tcp', port: 5353, protocol: 'TCP' }])],
  },
  {
    name: 'stale-chains-deleted',
    services: [web],
    slices: [slice('default', 'web', ['10.244.1.2'], [{ name: 'http', port: 8080 }])],
    existing: {
      nat: new Set(['PREROUTING', 'OUTPUT', 'DOCKER', 'SKIFF-SERVICES', 'SKIFF-SVC-OLDOLDOLDOLDOLD1', 'SKIFF-SEP-OLDOLDOLDOLDOLD2']),
      filter: new Set(['INPUT', 'DOCKER-USER', 'SKIFF-SERVICES', 'SKIFF-EXTERNAL-SERVICES']),
    },
  },
];

describe('rules renderer golden payloads', () => {
  it.each(scenarios)('renders $name byte for byte as the golden file', (s) => {
    const payload = renderProxyPayload({ services: s.services, endpointSlices: s.slices, nodeAddresses: s.nodeAddresses ?? [] }, s.existing ?? none, options);
    expectGolden(`${s.name}.txt`, payload);
  });

  it('renders the same bytes whatever the order of the input objects', () => {
    const a = scenarios[0]!;
    const s2 = service('default', 'api', { clusterIP: '10.96.0.11', ports: [{ name: 'grpc', port: 9000, protocol: 'TCP' }] });
    const sl2 = slice('default', 'api', ['10.244.1.5'], [{ name: 'grpc', port: 9000 }]);
    const one = renderProxyPayload({ services: [a.services[0]!, s2], endpointSlices: [a.slices[0]!, sl2], nodeAddresses: [] }, none, options);
    const two = renderProxyPayload({ services: [s2, a.services[0]!], endpointSlices: [sl2, a.slices[0]!], nodeAddresses: [] }, none, options);
    expect(two).toBe(one);
  });
});

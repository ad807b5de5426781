import { describe, expect, it } from 'vitest';
import { base32, chainHash, servicePorts, serviceChain } from '../../agent/proxy/rules/index.js';
import { service, slice } from './fixtures.js';

describe('servicePorts', () => {
  const cases = [
    {
      name: 'keeps ready endpoints only, sorted numerically and de-duplicated across slices',
      services: [service('a', 's', { clusterIP: '10.96.0.1', ports: [{ name: 'p', port: 80, protocol: 'TCP' }] })],
      slices: [
        slice('a', 's', ['10.0.0.10', { ip: '10.0.0.3', ready: false }, { ip: '10.0.0.4', terminating: true }], [{ name: 'p', port: 8080 }], 's-1'),
        slice('a', 's', ['10.0.0.9', '10.0.0.10'], [{ name: 'p', port: 8080 }], 's-2'),
      ],
      want: [['10.0.0.9:8080', '10.0.0.10:8080']],
    },
    {
      name: 'matches slice ports by name and protocol',
      services: [service('a', 's', { clusterIP: '10.96.0.1', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] })],
      slices: [slice('a', 's', ['10.0.0.1'], [{ name: 'dns', port: 5353, protocol: 'TCP' }])],
      want: [[]],
    },
    {
      name: 'ignores slices of another namespace',
      services: [service('a', 's', { clusterIP: '10.96.0.1', ports: [{ name: 'p', port: 80, protocol: 'TCP' }] })],
      slices: [slice('b', 's', ['10.0.0.1'], [{ name: 'p', port: 80 }])],
      want: [[]],
    },
    {
      name: 'skips headless and ExternalName services',
      services: [
        service('a', 'headless', { clusterIP: 'None', ports: [{ name: 'p', port: 80, protocol: 'TCP' }] }),
        service('a', 'ext', { type: 'ExternalName', externalName: 'example.org', ports: [{ name: 'p', port: 80, protocol: 'TCP' }] }),
      ],
      slices: [],
      want: [],
    },
  ];
  it.each(cases)('$name', ({ services, slices, want }) => {
    expect(servicePorts(services, slices).map((p) => p.endpoints)).toEqual(want);
  });

  it('gives node ports only to NodePort and LoadBalancer services', () => {
    const ports = servicePorts([
      service('a', 'c', { clusterIP: '10.96.0.1', ports: [{ name: 'p', port: 80, protocol: 'TCP', nodePort: 30001 }] }),
      service('a', 'n', { type: 'NodePort', clusterIP: '10.96.0.2', ports: [{ name: 'p', port: 80, protocol: 'TCP', nodePort: 30002 }] }),
    ], []);
    expect(ports.map((p) => p.nodePort)).toEqual([0, 30002]);
  });
});

describe('chain names', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foobar', 'MZXW6YTBOI'],
  ])('base32(%j) is %j (RFC 4648 vectors, unpadded)', (input, want) => {
    expect(base32(new TextEncoder().encode(input))).toBe(want);
  });

  it('hashes to 16 base32 characters and keeps chain names within the 28-character limit', () => {
    expect(chainHash('default/web:http/tcp')).toMatch(/^[A-Z2-7]{16}$/);
    expect(serviceChain('default/web:http', 'TCP').length).toBeLessThanOrEqual(28);
    expect(serviceChain('default/web:http', 'TCP')).toBe(serviceChain('default/web:http', 'tcp'));
    expect(serviceChain('default/web:http', 'udp')).not.toBe(serviceChain('default/web:http', 'tcp'));
  });
});

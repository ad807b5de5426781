import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/index.js';
import { desiredRoutes, isIpv4Network, parseRoutes, planRoutes, type RouteTable } from '../../agent/network/index.js';

const node = (name: string, podCIDR?: string, ip?: string): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
  status: { addresses: [...(ip ? [{ type: 'InternalIP' as const, address: ip }] : []), { type: 'Hostname' as const, address: name }] },
});

const table = (entries: Record<string, string>): RouteTable => new Map(Object.entries(entries));

describe('desiredRoutes', () => {
  it.each([
    {
      what: 'routes every other node with a CIDR and an InternalIP',
      nodes: [node('a', '10.244.0.0/24', '10.250.0.11'), node('b', '10.244.1.0/24', '10.250.0.12'), node('c', '10.244.2.0/24', '10.250.0.13')],
      want: { '10.244.1.0/24': '10.250.0.12', '10.244.2.0/24': '10.250.0.13' },
    },
    {
      what: 'skips nodes without a CIDR yet or without an InternalIP',
      nodes: [node('a', '10.244.0.0/24', '10.250.0.11'), node('b', undefined, '10.250.0.12'), node('c', '10.244.2.0/24')],
      want: {},
    },
    {
      what: 'skips a node claiming this node\'s own address (a stale object of this machine)',
      nodes: [node('a', '10.244.0.0/24', '10.250.0.11'), node('old-a', '10.244.5.0/24', '10.250.0.11')],
      want: {},
    },
    {
      what: 'skips another node holding this node\'s own CIDR',
      nodes: [node('a', '10.244.0.0/24', '10.250.0.11'), node('b', '10.244.0.0/24', '10.250.0.12')],
      want: {},
    },
    {
      what: 'skips CIDRs and addresses that are not IPv4 networks',
      nodes: [node('a', '10.244.0.0/24', '10.250.0.11'), node('b', 'fd00::/64', '10.250.0.12'), node('c', '10.244.2.7/24', '10.250.0.13'), node('d', '10.244.3.0/24', 'fd00::3')],
      want: {},
    },
    {
      what: 'routes others even when this node has no CIDR or Node object yet',
      nodes: [node('b', '10.244.1.0/24', '10.250.0.12')],
      want: { '10.244.1.0/24': '10.250.0.12' },
    },
  ])('$what', ({ nodes, want }) => {
    expect(Object.fromEntries(desiredRoutes(nodes, 'a'))).toEqual(want);
  });
});

describe('parseRoutes', () => {
  it.each([
    { text: '', want: {} },
    { text: '10.244.1.0/24 via 10.99.0.2 dev v0 \n10.244.2.0/24 via 10.99.0.3 dev v0 \n', want: { '10.244.1.0/24': '10.99.0.2', '10.244.2.0/24': '10.99.0.3' } },
    { text: 'default via 10.99.0.254 dev v0 proto 250\n10.1.2.3 via 10.99.0.2 dev v0\n10.99.0.0/24 dev v0 scope link\n', want: { '10.1.2.3/32': '10.99.0.2' } },
  ])('parses %#', ({ text, want }) => {
    expect(Object.fromEntries(parseRoutes(text))).toEqual(want);
  });
});

describe('planRoutes', () => {
  it.each<{ what: string; desired: Record<string, string>; current: Record<string, string>; want: string[] }>([
    { what: 'nothing when in step', desired: { '10.244.1.0/24': '10.250.0.12' }, current: { '10.244.1.0/24': '10.250.0.12' }, want: [] },
    {
      what: 'adds missing routes with the proto mark',
      desired: { '10.244.1.0/24': '10.250.0.12' },
      current: {},
      want: ['ip route replace 10.244.1.0/24 via 10.250.0.12 proto 250'],
    },
    {
      what: 'replaces a route whose node changed address',
      desired: { '10.244.1.0/24': '10.250.0.22' },
      current: { '10.244.1.0/24': '10.250.0.12' },
      want: ['ip route replace 10.244.1.0/24 via 10.250.0.22 proto 250'],
    },
    {
      what: 'removes our routes to nodes that are gone, after the replaces',
      desired: { '10.244.2.0/24': '10.250.0.13' },
      current: { '10.244.1.0/24': '10.250.0.12' },
      want: ['ip route replace 10.244.2.0/24 via 10.250.0.13 proto 250', 'ip route del 10.244.1.0/24 via 10.250.0.12 proto 250'],
    },
  ])('$what', ({ desired, current, want }) => {
    expect(planRoutes(table(desired), table(current)).map((c) => c.join(' '))).toEqual(want);
  });
});

describe('isIpv4Network', () => {
  it.each([
    ['10.244.0.0/16', true],
    ['10.244.1.0/24', true],
    ['10.244.1.1/24', false],
    ['10.244.1.0', false],
    ['10.244.1.0/33', false],
    ['fd00::/64', false],
  ])('%s → %s', (cidr, ok) => {
    expect(isIpv4Network(cidr)).toBe(ok);
  });
});

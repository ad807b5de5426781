import { describe, expect, it } from 'vitest';
import { CidrSet, cidrsOverlap, parseIpv4Cidr } from '../../control-plane/controllers/nodeipam/index.js';

describe('CidrSet', () => {
  it.each([
    { cluster: '10.244.0.0/16', mask: 24, capacity: 256, first: '10.244.0.0/24', second: '10.244.1.0/24' },
    { cluster: '10.244.7.9/16', mask: 24, capacity: 256, first: '10.244.0.0/24', second: '10.244.1.0/24' },
    { cluster: '192.168.0.0/22', mask: 26, capacity: 16, first: '192.168.0.0/26', second: '192.168.0.64/26' },
    { cluster: '10.0.0.0/8', mask: 24, capacity: 65536, first: '10.0.0.0/24', second: '10.0.1.0/24' },
    { cluster: '10.1.2.0/24', mask: 24, capacity: 1, first: '10.1.2.0/24', second: undefined },
  ])('cuts $cluster into /$mask subnets lowest first', ({ cluster, mask, capacity, first, second }) => {
    const set = new CidrSet(cluster, mask);
    expect(set.capacity).toBe(capacity);
    expect(set.allocateNext()).toBe(first);
    expect(set.allocateNext()).toBe(second);
  });

  it.each([
    { cluster: '10.244.0.0', mask: 24, error: /invalid cluster CIDR/ },
    { cluster: 'fd00::/48', mask: 64, error: /invalid cluster CIDR/ },
    { cluster: '10.244.0.0/33', mask: 24, error: /invalid cluster CIDR/ },
    { cluster: '10.244.0.0/16', mask: 15, error: /invalid node CIDR mask size/ },
    { cluster: '10.244.0.0/16', mask: 33, error: /invalid node CIDR mask size/ },
    { cluster: '10.0.0.0/8', mask: 25, error: /more than 2\^16 subnets/ },
  ])('refuses cluster $cluster with mask /$mask', ({ cluster, mask, error }) => {
    expect(() => new CidrSet(cluster, mask)).toThrow(error);
  });

  it('hands out the lowest free subnet again after a release', () => {
    const set = new CidrSet('10.244.0.0/16', 24);
    expect([set.allocateNext(), set.allocateNext(), set.allocateNext()]).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    set.release('10.244.1.0/24');
    expect(set.allocateNext()).toBe('10.244.1.0/24');
    expect(set.allocateNext()).toBe('10.244.3.0/24');
  });

  it('skips subnets occupied by existing nodes, whatever their size', () => {
    const set = new CidrSet('10.244.0.0/16', 24);
    expect(set.occupy('10.244.0.0/24')).toBe(true);
    expect(set.occupy('10.244.2.0/23')).toBe(true); // covers .2 and .3
    expect(set.allocateNext()).toBe('10.244.1.0/24');
    expect(set.allocateNext()).toBe('10.244.4.0/24');
    expect(set.usedCount).toBe(5);
  });

  it.each([
    { cidr: '10.245.0.0/24', ok: false },
    { cidr: 'not-a-cidr', ok: false },
    { cidr: 'fd00::/64', ok: false },
    { cidr: '10.244.255.0/24', ok: true },
    { cidr: '10.0.0.0/8', ok: true },
  ])('occupy($cidr) answers $ok', ({ cidr, ok }) => {
    expect(new CidrSet('10.244.0.0/16', 24).occupy(cidr)).toBe(ok);
  });

  it('answers undefined once every subnet is taken', () => {
    const set = new CidrSet('10.244.0.0/23', 24);
    set.allocateNext();
    set.allocateNext();
    expect(set.allocateNext()).toBeUndefined();
    expect(set.isOccupied('10.244.1.0/24')).toBe(true);
  });
});

describe('cidr helpers', () => {
  it.each([
    { a: '10.244.0.0/24', b: '10.244.0.0/24', overlap: true },
    { a: '10.244.0.0/23', b: '10.244.1.0/24', overlap: true },
    { a: '10.244.0.0/24', b: '10.244.1.0/24', overlap: false },
    { a: '10.244.0.0/24', b: 'junk', overlap: false },
  ])('$a and $b overlap: $overlap', ({ a, b, overlap }) => {
    expect(cidrsOverlap(a, b)).toBe(overlap);
  });

  it.each([
    { text: '10.244.1.7/24', want: { base: (10 * 256 ** 3) + (244 * 256 ** 2) + 256, prefix: 24 } },
    { text: '0.0.0.0/0', want: { base: 0, prefix: 0 } },
    { text: '10.244.1.0/024', want: undefined },
    { text: '10.244.1/24', want: undefined },
    { text: '10.244.1.0/24/1', want: undefined },
  ])('parses $text', ({ text, want }) => {
    expect(parseIpv4Cidr(text)).toEqual(want);
  });
});

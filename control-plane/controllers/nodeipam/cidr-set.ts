// The cluster CIDR cut into equal node subnets (upstream's pkg/controller/nodeipam/ipam/cidrset), IPv4
// only: which subnets are taken, the first free one, and occupying what Nodes already hold. Pure: no I/O.
// Addresses are plain numbers (0 .. 2^32-1), which JavaScript holds exactly.
import { isIPv4 } from '../../../api/names.js';

/** Upstream refuses more than 2^16 node subnets per cluster CIDR (cidrset's clusterSubnetMaxDiff). */
const maxSubnetBits = 16;

function parseIpv4(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** An IPv4 network: its first address and prefix length. */
export interface Ipv4Net {
  base: number;
  prefix: number;
}

/** Parses `a.b.c.d/n` to its network (host bits cleared); undefined when it is not an IPv4 CIDR. */
export function parseIpv4Cidr(cidr: string): Ipv4Net | undefined {
  const [ip, bitsText, extra] = cidr.split('/');
  if (extra !== undefined || bitsText === undefined || !/^(0|[1-9][0-9]?)$/.test(bitsText)) return undefined;
  const address = parseIpv4(ip ?? '');
  const prefix = Number(bitsText);
  if (address === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: address - (address % size), prefix };
}

/** `base/prefix` text of a network. */
export function formatIpv4Cidr(net: Ipv4Net): string {
  return `${formatIpv4(net.base)}/${net.prefix}`;
}

/** Whether two CIDRs share an address (false when either is not IPv4). */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseIpv4Cidr(a);
  const y = parseIpv4Cidr(b);
  if (!x || !y) return false;
  return x.base < y.base + 2 ** (32 - y.prefix) && y.base < x.base + 2 ** (32 - x.prefix);
}

export class CidrSet {
  /** The cluster CIDR, normalised (host bits cleared). */
  readonly clusterCIDR: string;
  /** How many node subnets the cluster CIDR holds. */
  readonly capacity: number;
  private readonly cluster: Ipv4Net;
  private readonly subnetSize: number;
  private readonly used = new Set<number>();

  /** Throws with a message fit for a flag error when the pair cannot work. */
  constructor(clusterCIDR: string, readonly nodeMaskSize: number) {
    const cluster = parseIpv4Cidr(clusterCIDR);
    if (!cluster) throw new Error(`invalid cluster CIDR "${clusterCIDR}": want an IPv4 CIDR such as 10.244.0.0/16`);
    if (!Number.isInteger(nodeMaskSize) || nodeMaskSize < cluster.prefix || nodeMaskSize > 32) {
      throw new Error(`invalid node CIDR mask size ${nodeMaskSize}: want a prefix length from /${cluster.prefix} (the cluster CIDR's) to /32`);
    }
    if (nodeMaskSize - cluster.prefix > maxSubnetBits) {
      throw new Error(`node CIDR mask size /${nodeMaskSize} cuts ${clusterCIDR} into more than 2^${maxSubnetBits} subnets; use a larger subnet or a smaller cluster CIDR`);
    }
    this.cluster = cluster;
    this.clusterCIDR = formatIpv4Cidr(cluster);
    this.subnetSize = 2 ** (32 - nodeMaskSize);
    this.capacity = 2 ** (nodeMaskSize - cluster.prefix);
  }

  /** Subnets taken. */
  get usedCount(): number {
    return this.used.size;
  }

  /** Takes the lowest free subnet; undefined when every one is taken. */
  allocateNext(): string | undefined {
    for (let i = 0; i < this.capacity; i++) {
      if (this.used.has(i)) continue;
      this.used.add(i);
      return formatIpv4Cidr({ base: this.cluster.base + i * this.subnetSize, prefix: this.nodeMaskSize });
    }
    return undefined;
  }

  /**
   * Marks every node subnet that `cidr` overlaps as taken (a Node may hold a CIDR of another size, set by
   * hand or under an earlier mask size). False when it is not IPv4 or lies outside the cluster CIDR.
   */
  occupy(cidr: string): boolean {
    const range = this.indexRange(cidr);
    if (!range) return false;
    for (let i = range.first; i <= range.last; i++) this.used.add(i);
    return true;
  }

  /** Frees the subnets `cidr` overlaps. */
  release(cidr: string): void {
    const range = this.indexRange(cidr);
    if (!range) return;
    for (let i = range.first; i <= range.last; i++) this.used.delete(i);
  }

  /** Whether any subnet `cidr` overlaps is taken. */
  isOccupied(cidr: string): boolean {
    const range = this.indexRange(cidr);
    if (!range) return false;
    for (let i = range.first; i <= range.last; i++) if (this.used.has(i)) return true;
    return false;
  }

  /** The subnet indexes `cidr` overlaps, clipped to the cluster CIDR; undefined when disjoint or unparsable. */
  private indexRange(cidr: string): { first: number; last: number } | undefined {
    const net = parseIpv4Cidr(cidr);
    if (!net) return undefined;
    const clusterEnd = this.cluster.base + 2 ** (32 - this.cluster.prefix);
    const start = Math.max(net.base, this.cluster.base);
    const end = Math.min(net.base + 2 ** (32 - net.prefix), clusterEnd);
    if (start >= end) return undefined;
    return { first: Math.floor((start - this.cluster.base) / this.subnetSize), last: Math.floor((end - 1 - this.cluster.base) / this.subnetSize) };
  }
}

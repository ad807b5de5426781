// IPv4 CIDR arithmetic for the service IP range (10.96.0.0/12 by default). IPs are plain numbers.

export interface Ipv4Range {
  cidr: string;
  /** The network address. */
  base: number;
  /** Number of addresses, network and broadcast included. */
  size: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseCidr(cidr: string): Ipv4Range {
  const [ip, bitsText] = cidr.split('/');
  const address = parseIpv4(ip ?? '');
  const bits = Number(bitsText);
  if (address === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) {
    throw new Error(`invalid service CIDR "${cidr}": want an IPv4 CIDR with a prefix length from /8 to /30`);
  }
  const size = 2 ** (32 - bits);
  return { cidr, base: address - (address % size), size };
}

/** True for addresses a service may hold: inside the range, not the network or broadcast address. */
export function isAllocatable(range: Ipv4Range, ip: number): boolean {
  return ip > range.base && ip < range.base + range.size - 1;
}

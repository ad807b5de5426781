// Host-gateway routes, as flannel's host-gw backend keeps them (pure part): for every other Node with a
// pod CIDR and an InternalIP, `<podCIDR> via <InternalIP>`. Routes Skiff adds carry `proto 250` (a
// routing-protocol number of our own, see /etc/iproute2/rt_protos), so a restarted agent finds exactly
// its own routes with `ip route show proto 250` and never touches anyone else's.
import { isIPv4 } from '../../api/names.js';
import type { Node } from '../../api/index.js';

/** The `proto` number that marks Skiff's pod-network routes. */
export const defaultRouteProtocol = 250;

/** Destination CIDR → next hop. */
export type RouteTable = Map<string, string>;

/** True for `a.b.c.d/n` with n ≤ 32 and no host bits set (what `ip route` prints back for a network). */
export function isIpv4Network(cidr: string): boolean {
  const [ip, bits, extra] = cidr.split('/');
  if (extra !== undefined || !ip || !isIPv4(ip) || !/^(0|[1-9]\d?)$/.test(bits ?? '') || Number(bits) > 32) return false;
  const value = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return value % 2 ** (32 - Number(bits)) === 0;
}

/** A Node's first InternalIP (IPv4), if any. */
export function internalIP(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP' && isIPv4(a.address ?? ''))?.address;
}

/**
 * The routes this node should have: every OTHER node with an IPv4 pod CIDR and InternalIP, except nodes
 * that claim this node's own address (a stale Node object of this machine must not route to itself).
 */
export function desiredRoutes(nodes: readonly Node[], selfName: string): RouteTable {
  const self = nodes.find((n) => n.metadata.name === selfName);
  const selfIP = self ? internalIP(self) : undefined;
  const out: RouteTable = new Map();
  for (const node of [...nodes].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    if (node.metadata.name === selfName) continue;
    const cidr = node.spec?.podCIDR;
    const via = internalIP(node);
    if (!cidr || !via || !isIpv4Network(cidr) || via === selfIP) continue;
    if (self?.spec?.podCIDR === cidr) continue; // two nodes with one CIDR: keep ours local
    if (!out.has(cidr)) out.set(cidr, via);
  }
  return out;
}

/** Parses `ip -4 route show ... proto N` output into destination → next hop (routes without `via` are skipped). */
export function parseRoutes(text: string): RouteTable {
  const out: RouteTable = new Map();
  for (const line of text.split('\n')) {
    const tokens = line.trim().split(/\s+/);
    const dst = tokens[0];
    if (!dst || dst === 'default') continue;
    const viaAt = tokens.indexOf('via');
    const via = viaAt >= 0 ? tokens[viaAt + 1] : undefined;
    if (!via) continue;
    out.set(dst.includes('/') ? dst : `${dst}/32`, via);
  }
  return out;
}

/** The `ip route` commands that turn `current` (our routes) into `desired`: replaces first, then deletes. */
export function planRoutes(desired: RouteTable, current: RouteTable, proto = defaultRouteProtocol): string[][] {
  const cmds: string[][] = [];
  for (const [cidr, via] of desired) {
    if (current.get(cidr) !== via) cmds.push(['ip', 'route', 'replace', cidr, 'via', via, 'proto', String(proto)]);
  }
  for (const [cidr, via] of current) {
    if (!desired.has(cidr)) cmds.push(['ip', 'route', 'del', cidr, 'via', via, 'proto', String(proto)]);
  }
  return cmds;
}

// Chain names, as kube-proxy's iptables mode names them: a fixed prefix plus a stable hash, so the same
// service port maps to the same chain on every node and across restarts (a restart then rewrites chains in
// place instead of creating new ones), and the name fits iptables' 28-character limit.
import { createHash } from 'node:crypto';

/** Top-level nat chains Skiff owns. */
export const natChains = {
  services: 'SKIFF-SERVICES',
  nodePorts: 'SKIFF-NODEPORTS',
  markMasq: 'SKIFF-MARK-MASQ',
  postrouting: 'SKIFF-POSTROUTING',
} as const;

/** Top-level filter chains Skiff owns: REJECTs (filter-table only) and the route_localnet guard. */
export const filterChains = {
  services: 'SKIFF-SERVICES',
  external: 'SKIFF-EXTERNAL',
  firewall: 'SKIFF-FIREWALL',
} as const;

/** Every Skiff chain starts with this, which is how stale chains from an earlier run are recognised. */
export const ownedChainPrefix = 'SKIFF-';

/**
 * The pod network's chains (agent/network, which names them from here): SKIFF-FORWARD (filter, jumped to
 * from FORWARD) and SKIFF-POD-NAT (nat, from POSTROUTING). They share the proxy's tables and prefix.
 */
export const podNetworkChains = { forward: 'SKIFF-FORWARD', podNat: 'SKIFF-POD-NAT' } as const;

/**
 * SKIFF- chains other Skiff components own, which the proxy must never take for its own stale chains:
 * deleting one fails the whole table's commit (it is referenced) and, before that, flushes it.
 */
const otherComponentsChains: ReadonlySet<string> = new Set(Object.values(podNetworkChains));

/** Whether a chain is the proxy's (current or from an earlier version), so it may be deleted when not rendered. */
export function isProxyChain(name: string): boolean {
  return name.startsWith(ownedChainPrefix) && !otherComponentsChains.has(name);
}

const svcPrefix = 'SKIFF-SVC-';
const sepPrefix = 'SKIFF-SEP-';

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (Go's base32.StdEncoding, which kube-proxy uses), without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += base32Alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Every sync renders every chain name, and hashing is a quarter of a 10k-service render, so names are
 * remembered. Bounded: cleared when it passes this many (a cluster churning through endpoints).
 */
const hashCacheMax = 200_000;
const hashCache = new Map<string, string>();

/** First 16 characters of base32(sha256(text)): kube-proxy's portProtoHash. */
export function chainHash(text: string): string {
  let hash = hashCache.get(text);
  if (hash === undefined) {
    if (hashCache.size >= hashCacheMax) hashCache.clear();
    hash = base32(createHash('sha256').update(text).digest()).slice(0, 16);
    hashCache.set(text, hash);
  }
  return hash;
}

/** `ns/name:port-name`, the service port name kube-proxy prints and hashes. */
export function servicePortName(namespace: string, name: string, portName: string): string {
  return `${namespace}/${name}:${portName}`;
}

/** SKIFF-SVC-<hash of "ns/name:port/PROTO">: the load-balancing chain of one service port. */
export function serviceChain(portName: string, protocol: string): string {
  return svcPrefix + chainHash(`${portName}/${protocol.toLowerCase()}`);
}

/** SKIFF-SEP-<hash of "ns/name:port/PROTO/ip:port">: the DNAT chain of one endpoint of one service port. */
export function endpointChain(portName: string, protocol: string, endpoint: string): string {
  return sepPrefix + chainHash(`${portName}/${protocol.toLowerCase()}/${endpoint}`);
}

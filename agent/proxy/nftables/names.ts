// Names in Skiff's nftables table, as kube-proxy's nftables mode names them: a readable suffix (namespace,
// service, protocol, port, endpoint) after a short stable hash, so `nft list table ip skiff` reads like the
// services it implements and the same service port maps to the same chain on every node and across
// restarts (a restart then rewrites chains in place). nft identifiers cannot be quoted in chain and set
// names, so the readable part uses only `[a-z0-9-./_]` (DNS labels, `/`, and `__` for the endpoint).
import { chainHash } from '../rules/chain-names.js';
import type { ServicePortInfo } from '../rules/service-ports.js';

/** The table Skiff owns (family ip). Everything the nftables proxier writes lives here and nowhere else. */
export const tableName = 'skiff';
export const tableFamily = 'ip';

/** Fixed chains: the hooked base chains and the dispatch chains they jump to. */
export const chains = {
  natPrerouting: 'nat-prerouting',
  natOutput: 'nat-output',
  natPostrouting: 'nat-postrouting',
  filterInput: 'filter-input',
  filterForward: 'filter-forward',
  filterOutput: 'filter-output',
  services: 'services',
  masquerading: 'masquerading',
  markForMasquerade: 'mark-for-masquerade',
  serviceEndpointsCheck: 'service-endpoints-check',
  nodePortEndpointsCheck: 'nodeport-endpoints-check',
  clusterIPsCheck: 'cluster-ips-check',
  firewallCheck: 'firewall-check',
  reject: 'reject-chain',
} as const;

/** Fixed maps and sets. */
export const maps = {
  serviceIPs: 'service-ips',
  serviceNodePorts: 'service-nodeports',
  noEndpointServices: 'no-endpoint-services',
  noEndpointNodePorts: 'no-endpoint-nodeports',
  nodePortIPs: 'nodeport-ips',
  hairpin: 'hairpin',
} as const;

/** `ns/name/proto/port-name` (kube-proxy's servicePortChainNameBase): the readable part of per-service names. */
export function servicePortBase(sp: Pick<ServicePortInfo, 'name' | 'protocol'>): string {
  const colon = sp.name.lastIndexOf(':');
  return `${sp.name.slice(0, colon)}/${sp.protocol}/${sp.name.slice(colon + 1)}`;
}

/** 8 characters of the same sha256/base32 hash the iptables chains use (kube-proxy's nftables mode uses 8). */
function hash8(text: string): string {
  return chainHash(text).slice(0, 8);
}

/** `service-<hash>-ns/name/proto/port`: the load-balancing chain of one service port. */
export function serviceChainName(sp: Pick<ServicePortInfo, 'name' | 'protocol'>): string {
  const base = servicePortBase(sp);
  return `service-${hash8(base)}-${base}`;
}

/** `external-<hash>-...`: node-port and external-IP traffic of one service port, masqueraded then load-balanced. */
export function externalChainName(sp: Pick<ServicePortInfo, 'name' | 'protocol'>): string {
  const base = servicePortBase(sp);
  return `external-${hash8(base)}-${base}`;
}

/** `ip:port` → `ip/port`, as `:` is not allowed in an nft identifier. */
function endpointSuffix(endpoint: string): string {
  const colon = endpoint.lastIndexOf(':');
  return `${endpoint.slice(0, colon)}/${endpoint.slice(colon + 1)}`;
}

/**
 * `affinity-<hash>-...`: the dynamic set of clients that recently reached one endpoint. The timeout is part
 * of the hash: a set's timeout cannot be changed in place, so a new timeout makes a new set (and the old
 * one is deleted as stale) instead of a failed transaction.
 */
export function affinitySetName(sp: Pick<ServicePortInfo, 'name' | 'protocol'>, endpoint: string, timeoutSeconds: number): string {
  const base = `${servicePortBase(sp)}__${endpointSuffix(endpoint)}`;
  return `affinity-${hash8(`${base}/${timeoutSeconds}`)}-${base}`;
}

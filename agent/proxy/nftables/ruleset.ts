// The nftables renderer: service ports in, the whole content of Skiff's table out, as a model (chains
// with their rules, sets and maps with their elements). Pure: same input, same output, so the proxier can
// compare two renders and write only the difference, and tests can compare text.
//
// The design is kube-proxy's nftables mode (KEP-3866), not a translation of the iptables rules: lookups
// that iptables does rule by rule are verdict maps here, so the packet path costs the same for 10 or 10,000
// services, and a changed endpoint touches one chain and a few set elements.
//
//   nat-prerouting / nat-output ─ jump services
//     services: ip daddr . l4proto . dport vmap @service-ips        → goto service-… (cluster IP)
//                                                                    → goto external-… (external IP)
//               <node address> l4proto . dport vmap @service-nodeports → goto external-…
//     external-…: jump mark-for-masquerade; goto service-…
//     service-…:  masquerade mark for clients outside the pod network; affinity lookups;
//                 numgen random mod (N-i) == 0 [update @affinity-…] dnat to endpoint i, … (ready only)
//   nat-postrouting ─ jump masquerading: masquerade hairpin (ip saddr . ip daddr @hairpin) and what
//     carries the mark
//   filter-input / -forward / -output (NEW only): reject services without endpoints (@no-endpoint-*),
//     reject anything else still addressed into the service CIDR, drop martian 127/8 (route_localnet guard)
//
// Where this departs from kube-proxy (measured, bench/proxy/RESULTS.md): no `numgen … vmap { … }` and no
// per-endpoint chains. Each inline vmap is an anonymous set, and the kernel (6.x) names a new anonymous
// set by scanning every set of the table and binds it by walking the whole transaction: quadratic, 33 s to
// load 10k services. Per-endpoint chains existed for the hairpin mark and the DNAT; the hairpin check is
// one set lookup in postrouting instead, and the DNAT sits in the service chain. That is 10k chains and
// 40k rules for 10k services instead of 40k chains and 100k rules: half the CPU of a full load, and a
// smaller cache for nft to read on every partial sync.
import { masqueradeMark } from '../rules/render.js';
import type { ServicePortInfo } from '../rules/service-ports.js';
import { affinitySetName, chains as fixed, externalChainName, maps, serviceChainName } from './names.js';

/** One chain: `hook` is the base-chain spec (`type nat hook output priority -100; policy accept;`) if hooked. */
export interface NftChain {
  hook?: string;
  rules: string[];
}

/** One set or map: its kind and spec; `dynamic` sets are filled by the packet path, never by the proxier. */
export interface NftSet {
  kind: 'set' | 'map';
  spec: string;
  dynamic: boolean;
}

/** Everything in Skiff's table. Maps keep insertion order, so rendering is byte-stable. */
export interface NftRuleset {
  chains: Map<string, NftChain>;
  sets: Map<string, NftSet>;
  /** Elements of the non-dynamic sets and maps: key → value (`''` for a set). */
  elements: Map<string, Map<string, string>>;
  /**
   * Where the content came from, so a partial script only compares what can have changed: `fixed` is the
   * part every render writes afresh (base chains, maps, node addresses), `fragments` one entry per service
   * port, shared by identity with the previous render when the port did not change.
   */
  origin?: { fixed: Fragment; fragments: readonly Fragment[] };
}

export interface NftRenderOptions {
  /** Pod network. Traffic to a cluster IP from outside it is masqueraded, so replies come back through this node. */
  clusterCIDR?: string;
  /** Service network. A NEW packet still addressed into it after DNAT matched no service: rejected. */
  serviceCIDR?: string;
  /**
   * Addresses node ports are served on. Empty: every local address (`fib daddr type local`, 127.0.0.1
   * included). Otherwise exactly these, plus 127.0.0.1 when `localhostNodePorts`.
   */
  nodeAddresses?: readonly string[];
  /** Serve node ports on 127.0.0.1 (needs route_localnet, which the proxier sets). Default true. */
  localhostNodePorts?: boolean;
  /**
   * Remembers each service port's rendered fragment between renders (same input, same output), so the
   * render of a large cluster where one endpoint changed re-renders one service port, and unchanged chains
   * keep the same rule arrays (which makes comparing two renders cheap). Output is identical without it.
   */
  cache?: NftRenderCache;
}

/** What one service port (or the fixed part) contributes to the table. */
export interface Fragment {
  chains: Array<[string, NftChain]>;
  sets: Array<[string, NftSet]>;
  /** [set or map, key, value] */
  elements: Array<[string, string, string]>;
}

/**
 * Per-service-port memo for renderRuleset; keeps only what the last render used. Keyed by the
 * ServicePortInfo object first (ServicePortsCache hands back the same objects for unchanged services, so
 * this is one WeakMap lookup), then by its content.
 */
export class NftRenderCache {
  private byObject = new WeakMap<ServicePortInfo, Fragment>();
  private current = new Map<string, Fragment>();
  private next = new Map<string, Fragment>();
  private optionsKey = '';

  /** Called at the start of a render: different options invalidate everything. */
  begin(optionsKey: string): void {
    if (optionsKey !== this.optionsKey) {
      this.current.clear();
      this.byObject = new WeakMap();
    }
    this.optionsKey = optionsKey;
    this.next = new Map();
  }

  fragment(sp: ServicePortInfo, render: () => Fragment): Fragment {
    let f = this.byObject.get(sp);
    if (!f) {
      const key = JSON.stringify(sp);
      f = this.current.get(key) ?? this.next.get(key) ?? render();
      this.next.set(key, f);
      this.byObject.set(sp, f);
    }
    return f;
  }

  /** Called at the end of a render: forget content keys no longer in use (the WeakMap forgets by itself). */
  end(): void {
    this.current = this.next;
    this.next = new Map();
  }
}

const localhostAddress = '127.0.0.1';

/** Base chains: standard priorities, so DNAT (dstnat, -100) happens before the filter checks (filter, 0). */
const hooks: Record<string, string> = {
  [fixed.natPrerouting]: 'type nat hook prerouting priority -100; policy accept;',
  [fixed.natOutput]: 'type nat hook output priority -100; policy accept;',
  [fixed.natPostrouting]: 'type nat hook postrouting priority 100; policy accept;',
  [fixed.filterInput]: 'type filter hook input priority 0; policy accept;',
  [fixed.filterForward]: 'type filter hook forward priority 0; policy accept;',
  [fixed.filterOutput]: 'type filter hook output priority 0; policy accept;',
};

const serviceKeyType = 'type ipv4_addr . inet_proto . inet_service : verdict;';
const nodePortKeyType = 'type inet_proto . inet_service : verdict;';

/** Renders the whole table for these service ports. */
export function renderRuleset(ports: readonly ServicePortInfo[], options: NftRenderOptions = {}): NftRuleset {
  const r: NftRuleset = { chains: new Map(), sets: new Map(), elements: new Map() };
  const chain = (name: string, ...rules: string[]): void => {
    const hook = hooks[name];
    r.chains.set(name, hook ? { hook, rules } : { rules });
  };
  const set = (name: string, kind: 'set' | 'map', spec: string): void => {
    r.sets.set(name, { kind, spec, dynamic: false });
    r.elements.set(name, new Map());
  };
  set(maps.serviceIPs, 'map', `${serviceKeyType} comment "ClusterIP, ExternalIP and LoadBalancer IP traffic";`);
  set(maps.serviceNodePorts, 'map', `${nodePortKeyType} comment "NodePort traffic";`);
  set(maps.noEndpointServices, 'map', `${serviceKeyType} comment "services without ready endpoints";`);
  set(maps.noEndpointNodePorts, 'map', `${nodePortKeyType} comment "node ports without ready endpoints";`);
  set(maps.nodePortIPs, 'set', 'type ipv4_addr; comment "addresses node ports are served on";');
  set(maps.hairpin, 'set', 'type ipv4_addr . ipv4_addr; comment "endpoint . endpoint: a pod reaching itself through a service";');

  const nodePortDst = nodePortDestination(options, r.elements.get(maps.nodePortIPs)!);
  const newOnly = 'ct state new';
  chain(fixed.natPrerouting, `jump ${fixed.services}`);
  chain(fixed.natOutput, `jump ${fixed.services}`);
  chain(fixed.natPostrouting, `jump ${fixed.masquerading}`);
  chain(fixed.filterInput,
    `${newOnly} jump ${fixed.nodePortEndpointsCheck}`, `${newOnly} jump ${fixed.serviceEndpointsCheck}`,
    `${newOnly} jump ${fixed.clusterIPsCheck}`, `jump ${fixed.firewallCheck}`);
  chain(fixed.filterForward, `${newOnly} jump ${fixed.serviceEndpointsCheck}`, `${newOnly} jump ${fixed.clusterIPsCheck}`);
  chain(fixed.filterOutput,
    `${newOnly} jump ${fixed.nodePortEndpointsCheck}`, `${newOnly} jump ${fixed.serviceEndpointsCheck}`, `${newOnly} jump ${fixed.clusterIPsCheck}`);
  // The node-port lookup is last: a cluster or external IP on the same port wins.
  chain(fixed.services,
    `ip daddr . meta l4proto . th dport vmap @${maps.serviceIPs}`,
    `${nodePortDst}meta l4proto . th dport vmap @${maps.serviceNodePorts}`);
  chain(fixed.markForMasquerade, `meta mark set meta mark | ${masqueradeMark}`);
  // Clear the bit so a packet re-routed through the node is not masqueraded twice.
  chain(fixed.masquerading,
    // Hairpin: an endpoint that reached itself through a service is masqueraded, or it would answer itself
    // directly. One set lookup here instead of a rule per endpoint (kube-proxy's endpoint chains).
    `ct status dnat ip saddr . ip daddr @${maps.hairpin} masquerade fully-random`,
    `meta mark & ${masqueradeMark} == 0 return`,
    `meta mark set meta mark ^ ${masqueradeMark}`,
    'masquerade fully-random');
  chain(fixed.serviceEndpointsCheck, `ip daddr . meta l4proto . th dport vmap @${maps.noEndpointServices}`);
  chain(fixed.nodePortEndpointsCheck, `${nodePortDst}meta l4proto . th dport vmap @${maps.noEndpointNodePorts}`);
  chain(fixed.clusterIPsCheck, ...(options.serviceCIDR
    ? [`ip daddr ${options.serviceCIDR} reject comment "no service at this cluster IP and port"`] : []));
  // route_localnet lets 127.0.0.1 be DNATed for node ports; it also lets a neighbour send packets to
  // 127.0.0.0/8 on this node. Drop those unless we NATed them (kube-proxy's CVE-2020-8558 guard).
  chain(fixed.firewallCheck,
    'ip daddr 127.0.0.0/8 ip saddr != 127.0.0.0/8 ct state != { established, related } ct status ! dnat drop comment "block incoming localnet connections"');
  chain(fixed.reject, 'reject');

  const fixedPart: Fragment = {
    chains: [...r.chains],
    sets: [...r.sets],
    elements: [...r.elements].flatMap(([set, els]) => [...els].map(([k, v]): [string, string, string] => [set, k, v])),
  };
  const cache = options.cache;
  cache?.begin(JSON.stringify([options.clusterCIDR]));
  const fragments: Fragment[] = [];
  for (const sp of ports) {
    const f = cache ? cache.fragment(sp, () => renderServicePort(sp, options)) : renderServicePort(sp, options);
    fragments.push(f);
    for (const [name, c] of f.chains) r.chains.set(name, c);
    for (const [name, set] of f.sets) r.sets.set(name, set);
    for (const [name, key, value] of f.elements) r.elements.get(name)!.set(key, value);
  }
  cache?.end();
  r.origin = { fixed: fixedPart, fragments };
  return r;
}

/** The match (with a trailing space) for "addressed to this node's node ports". */
function nodePortDestination(options: NftRenderOptions, nodePortIPs: Map<string, string>): string {
  const addresses = options.nodeAddresses ?? [];
  if (addresses.length === 0) {
    return options.localhostNodePorts === false ? 'ip daddr != 127.0.0.0/8 fib daddr type local ' : 'fib daddr type local ';
  }
  for (const a of addresses) nodePortIPs.set(a, '');
  if (options.localhostNodePorts !== false) nodePortIPs.set(localhostAddress, '');
  return `ip daddr @${maps.nodePortIPs} `;
}

function renderServicePort(sp: ServicePortInfo, options: NftRenderOptions): Fragment {
  const f: Fragment = { chains: [], sets: [], elements: [] };
  const element = (set: string, key: string, value = ''): void => {
    f.elements.push([set, key, value]);
  };
  if (sp.endpoints.length === 0) {
    // No ready endpoint: refuse at once (ICMP port unreachable) instead of letting the client time out.
    const reject = `goto ${fixed.reject}`;
    for (const ip of [sp.clusterIP, ...sp.externalIPs]) element(maps.noEndpointServices, `${ip} . ${sp.protocol} . ${sp.port}`, reject);
    if (sp.nodePort > 0) element(maps.noEndpointNodePorts, `${sp.protocol} . ${sp.nodePort}`, reject);
    return f;
  }
  const svc = serviceChainName(sp);
  element(maps.serviceIPs, `${sp.clusterIP} . ${sp.protocol} . ${sp.port}`, `goto ${svc}`);
  if (sp.externalIPs.length > 0 || sp.nodePort > 0) {
    // External traffic is masqueraded so the reply returns through this node (externalTrafficPolicy Cluster).
    const ext = externalChainName(sp);
    f.chains.push([ext, { rules: [`jump ${fixed.markForMasquerade}`, `goto ${svc}`] }]);
    for (const ip of sp.externalIPs) element(maps.serviceIPs, `${ip} . ${sp.protocol} . ${sp.port}`, `goto ${ext}`);
    if (sp.nodePort > 0) element(maps.serviceNodePorts, `${sp.protocol} . ${sp.nodePort}`, `goto ${ext}`);
  }

  const svcRules: string[] = [];
  if (options.clusterCIDR) {
    // The chain is entered for the cluster IP (external traffic was marked in external-…): clients outside
    // the pod network are masqueraded so replies come back through this node.
    svcRules.push(`ip saddr != ${options.clusterCIDR} jump ${fixed.markForMasquerade}`);
  }
  const affinity = sp.affinityTimeoutSeconds;
  const eps = sp.endpoints.map((ep) => {
    const ip = ep.slice(0, ep.lastIndexOf(':'));
    element(maps.hairpin, `${ip} . ${ip}`);
    const set = affinity !== undefined ? affinitySetName(sp, ep, affinity) : undefined;
    if (set) f.sets.push([set, { kind: 'set', spec: `type ipv4_addr; flags dynamic,timeout; timeout ${affinity}s;`, dynamic: true }]);
    // The DNAT itself, remembering the client for affinity first (update refreshes its timeout).
    const dnat = `${set ? `update @${set} { ip saddr } ` : ''}meta l4proto ${sp.protocol} dnat to ${ep}`;
    return { set, dnat };
  });
  // A client seen recently goes back to the endpoint it had, before any random choice.
  for (const e of eps) if (e.set) svcRules.push(`ip saddr @${e.set} ${e.dnat}`);
  // Rule i of n draws its own number and matches with probability 1/(n-i): together a uniform choice, and
  // the last rule is unconditional. See the header for why this is not kube-proxy's vmap + endpoint chains.
  eps.forEach((e, i) => {
    const remaining = eps.length - i;
    svcRules.push(remaining > 1 ? `numgen random mod ${remaining} == 0 ${e.dnat}` : e.dnat);
  });
  f.chains.push([svc, { rules: svcRules }]);
  return f;
}

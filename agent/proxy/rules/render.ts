// The rule renderer: desired state in, the chains Skiff owns (nat and filter) out. Pure: no I/O, no clock,
// no randomness, so the same input gives the same bytes (golden tests, and the proxier's skip-unchanged).
// Modelled on kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go, syncProxyRules).
import { endpointChain, filterChains, natChains, serviceChain } from './chain-names.js';
import type { ServicePortInfo } from './service-ports.js';

/** One chain and its rules, each rule a full `-A CHAIN ...` line in iptables-restore syntax. */
export interface Chain {
  name: string;
  rules: string[];
}

/** What Skiff wants in each table it touches. Chains are in render order; top-level chains come first. */
export interface RenderedRules {
  nat: Chain[];
  filter: Chain[];
}

export interface RenderOptions {
  /** Pod network. Traffic to a cluster IP from outside it is masqueraded, so replies come back through this node. */
  clusterCIDR?: string;
  /** Service network. A NEW packet still addressed into it after DNAT matched no service: REJECT it. */
  serviceCIDR?: string;
  /**
   * Addresses node ports are served on. Empty: every local address (`-m addrtype --dst-type LOCAL`, which
   * includes 127.0.0.1). Otherwise exactly these, plus 127.0.0.1 when `localhostNodePorts`.
   */
  nodeAddresses?: readonly string[];
  /** Serve node ports on 127.0.0.1 (needs net.ipv4.conf.all.route_localnet=1, which the proxier sets). Default true. */
  localhostNodePorts?: boolean;
  /**
   * Remembers each service port's rendered rules between renders (same input, same rules), so a sync of a
   * large cluster where one endpoint changed re-renders one service port. The output is identical with or
   * without it.
   */
  cache?: RenderCache;
}

/** The chains one service port contributes, as rendered on its own. */
interface Fragment {
  nat: Chain[];
  filter: Chain[];
}

/** Per-service-port memo for renderRules; keeps only what the last render used. */
export class RenderCache {
  private current = new Map<string, Fragment>();
  private next = new Map<string, Fragment>();
  private optionsKey = '';

  /** Called at the start of a render: different options invalidate everything. */
  begin(optionsKey: string): void {
    if (optionsKey !== this.optionsKey) this.current.clear();
    this.optionsKey = optionsKey;
    this.next = new Map();
  }

  get(key: string): Fragment | undefined {
    const f = this.current.get(key);
    if (f) this.next.set(key, f);
    return f;
  }

  set(key: string, f: Fragment): void {
    this.next.set(key, f);
  }

  /** Called at the end of a render: forget fragments no longer in use. */
  end(): void {
    this.current = this.next;
    this.next = new Map();
  }
}

/** The fwmark bit that asks SKIFF-POSTROUTING to masquerade (kube-proxy's default 0x4000). */
export const masqueradeMark = '0x4000';

const localhostAddress = '127.0.0.1';

/** Renders every chain Skiff owns for these service ports. */
export function renderRules(ports: readonly ServicePortInfo[], options: RenderOptions = {}): RenderedRules {
  const nat = new ChainSet();
  const filter = new ChainSet();
  for (const name of Object.values(natChains)) nat.chain(name);
  for (const name of Object.values(filterChains)) filter.chain(name);

  renderMasquerade(nat);
  const cache = options.cache;
  cache?.begin(JSON.stringify([options.clusterCIDR, options.nodeAddresses, options.localhostNodePorts]));
  for (const sp of ports) {
    const key = cache ? JSON.stringify(sp) : '';
    let fragment = cache?.get(key);
    if (!fragment) {
      fragment = renderFragment(sp, options);
      cache?.set(key, fragment);
    }
    nat.merge(fragment.nat);
    filter.merge(fragment.filter);
  }
  cache?.end();
  renderNodePortJumps(nat, options);
  if (options.serviceCIDR) {
    filter.add(filterChains.services,
      `-d ${options.serviceCIDR} -m comment --comment "no service at this cluster IP and port" -j REJECT --reject-with icmp-port-unreachable`);
  }
  // route_localnet lets 127.0.0.1 be DNATed for node ports; it also lets a neighbour send packets to
  // 127.0.0.0/8 on this node. Drop those unless they were NATed by us (kube-proxy's CVE-2020-8558 guard).
  filter.add(filterChains.firewall,
    `-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`);
  return { nat: nat.list(), filter: filter.list() };
}

function renderFragment(sp: ServicePortInfo, options: RenderOptions): Fragment {
  const nat = new ChainSet();
  const filter = new ChainSet();
  if (sp.endpoints.length === 0) renderRejects(filter, sp, options);
  else renderServicePort(nat, sp, options);
  return { nat: nat.list(), filter: filter.list() };
}

function renderMasquerade(nat: ChainSet): void {
  nat.add(natChains.postrouting, `-m mark ! --mark ${masqueradeMark}/${masqueradeMark} -j RETURN`);
  // Clear the bit so a packet that is re-routed through the node is not masqueraded twice.
  nat.add(natChains.postrouting, `-j MARK --xor-mark ${masqueradeMark}`);
  nat.add(natChains.postrouting, `-m comment --comment "skiff service traffic requiring SNAT" -j MASQUERADE --random-fully`);
  nat.add(natChains.markMasq, `-j MARK --or-mark ${masqueradeMark}`);
}

/** `-p tcp -m tcp --dport N` style match (SCTP needs its own match module too). */
function portMatch(protocol: string, port: number): string {
  return `-m ${protocol} --dport ${port}`;
}

function renderServicePort(nat: ChainSet, sp: ServicePortInfo, options: RenderOptions): void {
  const svc = serviceChain(sp.name, sp.protocol);
  const dport = portMatch(sp.protocol, sp.port);
  const clusterIPMatch = `-d ${sp.clusterIP}/32 -p ${sp.protocol} -m comment --comment "${sp.name} cluster IP" ${dport}`;
  nat.add(natChains.services, `${clusterIPMatch} -j ${svc}`);
  nat.chain(svc);
  if (options.clusterCIDR) nat.add(svc, `! -s ${options.clusterCIDR} ${clusterIPMatch} -j ${natChains.markMasq}`);

  for (const ip of sp.externalIPs) {
    const match = `-d ${ip}/32 -p ${sp.protocol} -m comment --comment "${sp.name} external IP" ${dport}`;
    // External traffic is masqueraded so the reply returns through this node (externalTrafficPolicy Cluster).
    nat.add(natChains.services, `${match} -j ${natChains.markMasq}`);
    nat.add(natChains.services, `${match} -j ${svc}`);
  }
  if (sp.nodePort > 0) {
    const match = `-p ${sp.protocol} -m comment --comment "${sp.name}" ${portMatch(sp.protocol, sp.nodePort)}`;
    nat.add(natChains.nodePorts, `${match} -j ${natChains.markMasq}`);
    nat.add(natChains.nodePorts, `${match} -j ${svc}`);
  }
  renderEndpoints(nat, svc, sp);
}

function renderEndpoints(nat: ChainSet, svc: string, sp: ServicePortInfo): void {
  const seps = sp.endpoints.map((ep) => ({ ep, chain: endpointChain(sp.name, sp.protocol, ep) }));
  const affinity = sp.affinityTimeoutSeconds;
  if (affinity !== undefined) {
    // A client seen recently goes back to the endpoint it had, before any random choice.
    for (const { ep, chain } of seps) {
      nat.add(svc, `-m comment --comment "${sp.name} -> ${ep}" -m recent --name ${chain} --rcheck --seconds ${affinity} --reap -j ${chain}`);
    }
  }
  // Rule i of n matches with probability 1/(n-i): together a uniform choice; the last is unconditional.
  seps.forEach(({ ep, chain }, i) => {
    const remaining = seps.length - i;
    const statistic = remaining > 1 ? `-m statistic --mode random --probability ${(1 / remaining).toFixed(10)} ` : '';
    nat.add(svc, `-m comment --comment "${sp.name} -> ${ep}" ${statistic}-j ${chain}`);
  });
  for (const { ep, chain } of seps) {
    const ip = ep.slice(0, ep.lastIndexOf(':'));
    nat.chain(chain);
    // Hairpin: an endpoint reaching its own service gets masqueraded, or it would answer itself directly.
    nat.add(chain, `-s ${ip}/32 -m comment --comment "${sp.name}" -j ${natChains.markMasq}`);
    const recent = affinity !== undefined ? `-m recent --name ${chain} --set ` : '';
    nat.add(chain, `-p ${sp.protocol} -m comment --comment "${sp.name}" ${recent}-m ${sp.protocol} -j DNAT --to-destination ${ep}`);
  }
}

/** No ready endpoint: refuse at once (ICMP port unreachable) instead of letting the client time out. */
function renderRejects(filter: ChainSet, sp: ServicePortInfo, options: RenderOptions): void {
  const reject = '-j REJECT --reject-with icmp-port-unreachable';
  const comment = `-m comment --comment "${sp.name} has no endpoints"`;
  const dport = portMatch(sp.protocol, sp.port);
  filter.add(filterChains.services, `-d ${sp.clusterIP}/32 -p ${sp.protocol} ${comment} ${dport} ${reject}`);
  for (const ip of sp.externalIPs) filter.add(filterChains.external, `-d ${ip}/32 -p ${sp.protocol} ${comment} ${dport} ${reject}`);
  if (sp.nodePort > 0) {
    const np = portMatch(sp.protocol, sp.nodePort);
    for (const dst of nodePortDestinations(options)) filter.add(filterChains.external, `${dst}-p ${sp.protocol} ${comment} ${np} ${reject}`);
  }
}

/** The destination matches node ports are served on (with a trailing space), see RenderOptions.nodeAddresses. */
function nodePortDestinations(options: RenderOptions): string[] {
  const addresses = options.nodeAddresses ?? [];
  if (addresses.length === 0) {
    return [options.localhostNodePorts === false ? '! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL ' : '-m addrtype --dst-type LOCAL '];
  }
  const all = [...addresses];
  if (options.localhostNodePorts !== false && !all.includes(localhostAddress)) all.push(localhostAddress);
  return all.map((a) => `-d ${a}/32 `);
}

function renderNodePortJumps(nat: ChainSet, options: RenderOptions): void {
  // Last in SKIFF-SERVICES: a cluster IP or external IP rule must win over a node port on the same port.
  for (const dst of nodePortDestinations(options)) {
    nat.add(natChains.services, `-m comment --comment "skiff service nodeports; NOTE: this must be the last rule in this chain" ${dst}-j ${natChains.nodePorts}`);
  }
}

/** Chains in first-use order, each with its rules. */
class ChainSet {
  private readonly chains = new Map<string, string[]>();
  /** Chains whose rule array is a cached fragment's: copied before anything is appended to them. */
  private readonly borrowed = new Set<string>();

  chain(name: string): string[] {
    let rules = this.chains.get(name);
    if (!rules) {
      rules = [];
      this.chains.set(name, rules);
    } else if (this.borrowed.delete(name)) {
      rules = [...rules];
      this.chains.set(name, rules);
    }
    return rules;
  }

  /** Appends a fragment's chains; a chain new here takes the fragment's array as is (no copy). */
  merge(chains: readonly Chain[]): void {
    for (const c of chains) {
      if (!this.chains.has(c.name)) {
        this.chains.set(c.name, c.rules);
        this.borrowed.add(c.name);
      } else {
        this.chain(c.name).push(...c.rules);
      }
    }
  }

  add(name: string, rule: string): void {
    this.chain(name).push(`-A ${name} ${rule}`);
  }

  list(): Chain[] {
    return [...this.chains].map(([name, rules]) => ({ name, rules }));
  }
}

// The iptables rules of the pod network (pure part), each an "owned chain" jumped to from the FIRST rule
// of a built-in chain, so neither Docker's rules nor a host's own can shadow it (a restarted dockerd
// re-inserts its jumps at the top: the agent's periodic resync moves ours back).
//
// filter SKIFF-FORWARD (from FORWARD): Docker sets the FORWARD policy to DROP and lets in traffic to its
// bridges only for published ports or established flows, which would drop a new connection from a pod on
// another node; the chain accepts everything from and to the cluster CIDR (flannel's FLANNEL-FWD).
//
// nat SKIFF-POD-NAT (from POSTROUTING): Docker masquerades everything leaving a bridge for another
// interface, which would hide a pod's address from pods on other nodes; Kubernetes' network model wants
// pod-to-pod traffic un-NATed, so traffic from the cluster CIDR to the cluster CIDR is ACCEPTed here (no
// NAT) before Docker's MASQUERADE, except packets the service proxy marked for masquerading (hairpin and
// node-port traffic), which RETURN to the proxy's own POSTROUTING chain.
import { masqueradeMark, podNetworkChains as chainNames } from '../proxy/index.js';

/** One chain Skiff owns, its rules as `iptables -S` prints them, and the built-in chain that jumps to it first. */
export interface OwnedChain {
  table: 'filter' | 'nat';
  builtin: string;
  chain: string;
  rules: string[];
}

export const forwardChain = chainNames.forward;
export const podNatChain = chainNames.podNat;

/** The rules SKIFF-FORWARD should hold. */
export function forwardChainRules(clusterCIDR: string): string[] {
  return [`-A ${forwardChain} -s ${clusterCIDR} -j ACCEPT`, `-A ${forwardChain} -d ${clusterCIDR} -j ACCEPT`];
}

/** The owned chains of the pod network for a cluster CIDR. */
export function podNetworkChains(clusterCIDR: string): OwnedChain[] {
  return [
    { table: 'filter', builtin: 'FORWARD', chain: forwardChain, rules: forwardChainRules(clusterCIDR) },
    {
      table: 'nat',
      builtin: 'POSTROUTING',
      chain: podNatChain,
      rules: [`-A ${podNatChain} -m mark --mark ${masqueradeMark}/${masqueradeMark} -j RETURN`, `-A ${podNatChain} -s ${clusterCIDR} -d ${clusterCIDR} -j ACCEPT`],
    },
  ];
}

/**
 * The iptables argument lists (after `-t <table>`) that bring one owned chain to the wanted state, given
 * `iptables -S <builtin>` and `iptables -S <chain>` (undefined when the chain is missing). Empty when
 * everything is in place, so a resync of a healthy node runs only reads.
 */
export function planOwnedChain(owned: OwnedChain, builtinListing: string, chainListing: string | undefined): string[][] {
  const { builtin, chain, rules: want } = owned;
  const cmds: string[][] = [];
  if (chainListing === undefined) cmds.push(['-N', chain]);
  const have = (chainListing ?? '').split('\n').map((l) => l.trim()).filter((l) => l.startsWith(`-A ${chain} `));
  if (have.join('\n') !== want.join('\n')) {
    if (chainListing !== undefined) cmds.push(['-F', chain]);
    for (const rule of want) cmds.push(rule.split(' '));
  }
  const jump = `-A ${builtin} -j ${chain}`;
  const rules = builtinListing.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(`-A ${builtin} `));
  const jumps = rules.filter((l) => l === jump).length;
  if (rules[0] !== jump || jumps !== 1) {
    for (let i = 0; i < jumps; i++) cmds.push(['-D', builtin, '-j', chain]);
    cmds.push(['-I', builtin, '1', '-j', chain]);
  }
  return cmds;
}

/** planOwnedChain for SKIFF-FORWARD. */
export function planForwardRules(clusterCIDR: string, forwardListing: string, chainListing: string | undefined): string[][] {
  return planOwnedChain(podNetworkChains(clusterCIDR)[0]!, forwardListing, chainListing);
}

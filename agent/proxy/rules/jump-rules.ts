// The rules in the built-in chains that send traffic into Skiff's chains. They live in chains Skiff does
// not own (PREROUTING, OUTPUT, ...), so they are never part of the flushed payload: they are added once,
// only if missing, and then left in place across syncs and restarts.
import { filterChains, natChains } from './chain-names.js';
import type { Table } from './payload.js';

/** One jump rule, written exactly as iptables-save prints it, so presence is a line comparison. */
export interface JumpRule {
  table: Table;
  /** The built-in chain holding the rule. */
  chain: string;
  /** The Skiff chain it jumps to (created first if missing). */
  target: string;
  /** The rule body after `-A <chain> `. */
  spec: string;
}

const newOnly = '-m conntrack --ctstate NEW';

function jump(table: Table, chain: string, target: string, match: string, comment: string): JumpRule {
  const spec = `${match ? match + ' ' : ''}-m comment --comment "${comment}" -j ${target}`;
  return { table, chain, target, spec };
}

/** Every jump rule Skiff needs, in the order they are inserted. */
export function jumpRules(): JumpRule[] {
  return [
    jump('nat', 'PREROUTING', natChains.services, '', 'skiff service portals'),
    jump('nat', 'OUTPUT', natChains.services, '', 'skiff service portals'),
    jump('nat', 'POSTROUTING', natChains.postrouting, '', 'skiff postrouting rules'),
    // Filter chains see packets after DNAT: only NEW connections, so replies are never matched.
    jump('filter', 'INPUT', filterChains.services, newOnly, 'skiff service portals'),
    jump('filter', 'FORWARD', filterChains.services, newOnly, 'skiff service portals'),
    jump('filter', 'OUTPUT', filterChains.services, newOnly, 'skiff service portals'),
    jump('filter', 'INPUT', filterChains.external, newOnly, 'skiff externally-visible service portals'),
    jump('filter', 'FORWARD', filterChains.external, newOnly, 'skiff externally-visible service portals'),
    jump('filter', 'OUTPUT', filterChains.external, newOnly, 'skiff externally-visible service portals'),
    jump('filter', 'INPUT', filterChains.firewall, '', 'skiff localnet guard'),
  ];
}

/**
 * The payload that adds the missing jump rules, given iptables-save output of each table; undefined when
 * none is missing. Missing target chains are declared (they do not exist, so declaring flushes nothing).
 * Rules are inserted at the top (`-I`), as kube-proxy does, so a host's own DROP rules cannot shadow them.
 */
export function jumpRulesPayload(saved: Record<Table, string>): string | undefined {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const lines = new Set(saved[table].split('\n'));
    const missing = jumpRules().filter((j) => j.table === table && !lines.has(`-A ${j.chain} ${j.spec}`));
    if (missing.length === 0) continue;
    out.push(`*${table}`);
    for (const target of new Set(missing.map((j) => j.target))) {
      if (!lines.has(`:${target} - [0:0]`)) out.push(`:${target} - [0:0]`);
    }
    for (const j of missing) out.push(`-I ${j.chain} 1 ${j.spec}`);
    out.push('COMMIT');
  }
  return out.length > 0 ? out.join('\n') + '\n' : undefined;
}

/** Chain names declared in iptables-save output of one table (`:NAME POLICY [p:b]` lines). */
export function savedChainNames(saved: string): Set<string> {
  const names = new Set<string>();
  for (const line of saved.split('\n')) {
    if (!line.startsWith(':')) continue;
    const name = line.slice(1).split(' ')[0];
    if (name) names.add(name);
  }
  return names;
}

// Switching modes: rules the other proxy mode left on the node (a previous run with the other
// --proxy-mode) would keep DNATing with stale endpoints, at the same hook priority as the new mode's, so
// each mode removes the other's at start (kube-proxy's CleanupLeftovers). Both are idempotent and cheap
// when there is nothing to remove: one read each.
import type { IptablesRunner } from './iptables-runner.js';
import type { NftRunner } from './nftables/nft-runner.js';
import { tableFamily, tableName } from './nftables/names.js';
import { isProxyChain, jumpRules, savedChainNames, type Table } from './rules/index.js';

/**
 * Removes what the iptables mode writes: its jump rules from the built-in chains, then every SKIFF-
 * chain (flushed, then deleted), in one iptables-restore. Resolves with whether anything was there.
 */
export async function removeIptablesRules(runner: IptablesRunner): Promise<boolean> {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const satisfies readonly Table[]) {
    const saved = await runner.save(table);
    const lines = new Set(saved.split('\n'));
    const jumps = jumpRules().filter((j) => j.table === table && lines.has(`-A ${j.chain} ${j.spec}`));
    const owned = [...savedChainNames(saved)].filter(isProxyChain).sort();
    if (jumps.length === 0 && owned.length === 0) continue;
    out.push(`*${table}`);
    for (const name of owned) out.push(`:${name} - [0:0]`);
    for (const j of jumps) out.push(`-D ${j.chain} ${j.spec}`);
    for (const name of owned) out.push(`-X ${name}`);
    out.push('COMMIT');
  }
  if (out.length === 0) return false;
  await runner.restore(out.join('\n') + '\n', { noflush: true });
  return true;
}

/** Deletes the nftables mode's table (`table ip skiff`). Resolves with whether it was there. */
export async function removeNftablesTable(runner: NftRunner): Promise<boolean> {
  const existing = await runner.listExisting();
  if (existing.chains.size === 0 && existing.sets.size === 0 && existing.maps.size === 0) return false;
  await runner.apply(`delete table ${tableFamily} ${tableName}\n`);
  return true;
}

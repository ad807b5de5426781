// Rendered chains → one `iptables-restore --noflush` payload. With --noflush only the chains named in the
// payload change: declaring `:CHAIN - [0:0]` creates or flushes it, so a chain's rules are replaced in the
// same transaction that writes the new ones (no window where a service has no rule), and everything not
// Skiff's (Docker's rules, the host's firewall) is left alone.
import { isProxyChain } from './chain-names.js';
import type { Chain, RenderedRules } from './render.js';

export type Table = 'nat' | 'filter';

/** Chain names currently present in each table, as read with iptables-save. */
export interface ExistingChains {
  nat: ReadonlySet<string>;
  filter: ReadonlySet<string>;
}

export interface PayloadOptions {
  /** What exists now: Skiff chains here that are not rendered get flushed and deleted (`-X`). */
  existing: ExistingChains;
  /**
   * What the last successful apply wrote. When given, a chain whose rules are identical there and that
   * still exists is left out (a partial sync, as kube-proxy's): one changed endpoint rewrites a few chains,
   * not the whole table.
   */
  previous?: RenderedRules;
}

/** Table order in the payload: filter first, as kube-proxy writes it; each table is committed on its own. */
const tables: readonly Table[] = ['filter', 'nat'];

/** The payload text. Ends with a newline. */
export function renderPayload(rules: RenderedRules, options: PayloadOptions): string {
  const lines: string[] = [];
  for (const table of tables) {
    const wanted = rules[table];
    const previous = options.previous ? chainMap(options.previous[table]) : undefined;
    const existing = options.existing[table];
    const changed = wanted.filter((c) => !previous || !existing.has(c.name) || !sameRules(previous.get(c.name), c.rules));
    const wantedNames = new Set(wanted.map((c) => c.name));
    const stale = [...existing].filter((n) => isProxyChain(n) && !wantedNames.has(n)).sort();
    lines.push(`*${table}`);
    for (const c of changed) lines.push(`:${c.name} - [0:0]`);
    // A stale chain is declared (flushed) first, so nothing of ours references it when it is deleted.
    for (const name of stale) lines.push(`:${name} - [0:0]`);
    for (const c of changed) lines.push(...c.rules);
    for (const name of stale) lines.push(`-X ${name}`);
    lines.push('COMMIT');
  }
  return lines.join('\n') + '\n';
}

/** Whether a payload would change nothing (only table headers and COMMITs). */
export function isEmptyPayload(payload: string): boolean {
  return payload.split('\n').every((l) => l === '' || l === 'COMMIT' || l.startsWith('*'));
}

/** The rendered chains as one canonical text, to compare two renders cheaply. */
export function renderedText(rules: RenderedRules): string {
  return renderPayload(rules, { existing: { nat: new Set(), filter: new Set() } });
}

/** Whether two renders are the same chains with the same rules in the same order (cheaper than comparing text). */
export function sameRendered(a: RenderedRules, b: RenderedRules): boolean {
  for (const table of tables) {
    const x = a[table];
    const y = b[table];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i]!.name !== y[i]!.name || !sameRules(x[i]!.rules, y[i]!.rules)) return false;
  }
  return true;
}

/** The chain names of a rendered table. */
export function chainNames(chains: readonly Chain[]): Set<string> {
  return new Set(chains.map((c) => c.name));
}

function chainMap(chains: readonly Chain[]): Map<string, readonly string[]> {
  return new Map(chains.map((c) => [c.name, c.rules]));
}

function sameRules(a: readonly string[] | undefined, b: readonly string[]): boolean {
  if (a === b) return true;
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Ruleset → one `nft -f -` script, applied as one transaction: either all of it takes effect or none.
//
// Full (no previous ruleset): every chain is declared and flushed, every static set/map flushed, then
// everything written again; whatever else exists in the table (from an earlier run) is deleted. Partial
// (against the ruleset the last successful apply wrote): only changed chains are flushed and rewritten,
// only changed map elements deleted or added, only vanished chains and sets deleted. One changed endpoint
// at 10,000 services is then a handful of statements, not a re-upload of the table.
//
// Order matters inside the transaction: chains must exist before a rule or element refers to them, and a
// chain or set can only be deleted once nothing refers to it (its map elements deleted, the chains that
// jumped to it flushed).
import { tableFamily, tableName } from './names.js';
import type { Fragment, NftChain, NftRuleset } from './ruleset.js';

/** Chain and set names present in the table now (as listed by the runner). */
export interface ExistingObjects {
  chains: ReadonlySet<string>;
  sets: ReadonlySet<string>;
  maps: ReadonlySet<string>;
}

export interface ScriptOptions {
  /** What the last successful apply wrote; absent for a full sync. */
  previous?: NftRuleset;
  /**
   * For a full sync: what exists, so the objects not rendered any more are deleted and only existing ones
   * are flushed. Absent: everything is flushed (safe whatever exists) and nothing is deleted.
   */
  existing?: ExistingObjects;
}

const t = `${tableFamily} ${tableName}`;
/** Elements per `add element` statement: keeps lines short without costing nft measurable parse time. */
const elementsPerStatement = 1000;

/** The script; empty string when a partial sync has nothing to change. */
export function renderScript(wanted: NftRuleset, options: ScriptOptions = {}): string {
  return options.previous ? partialScript(wanted, options.previous) : fullScript(wanted, options.existing);
}

function chainDecl(name: string, c: NftChain): string {
  return c.hook ? `add chain ${t} ${name} { ${c.hook} }` : `add chain ${t} ${name}`;
}

function fullScript(wanted: NftRuleset, existing: ExistingObjects | undefined): string {
  const out: string[] = [`add table ${t}`];
  for (const [name, c] of wanted.chains) out.push(chainDecl(name, c));
  for (const [name, s] of wanted.sets) out.push(`add ${s.kind} ${t} ${name} { ${s.spec} }`);
  const staleChains = [...(existing?.chains ?? [])].filter((n) => !wanted.chains.has(n)).sort();
  const staleSets = [...(existing?.sets ?? [])].filter((n) => !wanted.sets.has(n)).sort();
  const staleMaps = [...(existing?.maps ?? [])].filter((n) => !wanted.sets.has(n)).sort();
  // Only what exists needs flushing (a first start writes into an empty table: 10k fewer statements).
  const exists = (name: string, kind: 'chain' | 'set' | 'map'): boolean =>
    !existing || (kind === 'chain' ? existing.chains : kind === 'set' ? existing.sets : existing.maps).has(name);
  for (const name of wanted.chains.keys()) if (exists(name, 'chain')) out.push(`flush chain ${t} ${name}`);
  for (const name of staleChains) out.push(`flush chain ${t} ${name}`);
  // Dynamic (affinity) sets keep their content across a full sync: a restart does not move clients.
  for (const [name, s] of wanted.sets) if (!s.dynamic && exists(name, s.kind)) out.push(`flush ${s.kind} ${t} ${name}`);
  for (const [name, c] of wanted.chains) for (const rule of c.rules) out.push(`add rule ${t} ${name} ${rule}`);
  for (const [name, elements] of wanted.elements) pushElements(out, 'add', name, [...elements]);
  for (const name of staleChains) out.push(`delete chain ${t} ${name}`);
  for (const name of staleSets) out.push(`delete set ${t} ${name}`);
  for (const name of staleMaps) out.push(`delete map ${t} ${name}`);
  return out.join('\n') + '\n';
}

/** Names and element keys that can differ between two renders; undefined: anything can (compare all). */
interface Touched {
  chains: Set<string>;
  sets: Set<string>;
  elements: Map<string, Set<string>>;
}

/**
 * What the fragments not shared by the two renders (plus the fixed part of each) name. A fragment shared
 * by identity rendered the same service port the same way, so nothing it names can have changed, unless
 * another, changed fragment names it too, which this includes.
 */
function touchedBetween(a: NftRuleset, b: NftRuleset): Touched | undefined {
  if (!a.origin || !b.origin) return undefined;
  const touched: Touched = { chains: new Set(), sets: new Set(), elements: new Map() };
  const add = (f: Fragment): void => {
    for (const [name] of f.chains) touched.chains.add(name);
    for (const [name] of f.sets) touched.sets.add(name);
    for (const [set, key] of f.elements) {
      let keys = touched.elements.get(set);
      if (!keys) touched.elements.set(set, (keys = new Set()));
      keys.add(key);
    }
  };
  add(b.origin.fixed);
  add(a.origin.fixed);
  const inA = new Set(a.origin.fragments);
  const inB = new Set(b.origin.fragments);
  for (const f of b.origin.fragments) if (!inA.has(f)) add(f);
  for (const f of a.origin.fragments) if (!inB.has(f)) add(f);
  return touched;
}

function partialScript(wanted: NftRuleset, previous: NftRuleset): string {
  const declare: string[] = [];
  const flush: string[] = [];
  const rules: string[] = [];
  const deleteElements: string[] = [];
  const addElements: string[] = [];
  const deletes: string[] = [];
  const touched = touchedBetween(previous, wanted);
  const chainNames = (r: NftRuleset): Iterable<string> => touched ? [...touched.chains].filter((n) => r.chains.has(n)) : r.chains.keys();
  const setNames = (r: NftRuleset): Iterable<string> => touched ? [...touched.sets].filter((n) => r.sets.has(n)) : r.sets.keys();

  for (const name of setNames(wanted)) {
    const s = wanted.sets.get(name)!;
    if (!previous.sets.has(name)) declare.push(`add ${s.kind} ${t} ${name} { ${s.spec} }`);
  }
  for (const name of chainNames(wanted)) {
    const c = wanted.chains.get(name)!;
    const before = previous.chains.get(name);
    if (before && sameRules(before.rules, c.rules)) continue;
    if (before) flush.push(`flush chain ${t} ${name}`);
    else declare.push(chainDecl(name, c));
    for (const rule of c.rules) rules.push(`add rule ${t} ${name} ${rule}`);
  }
  for (const name of chainNames(previous)) {
    if (wanted.chains.has(name)) continue;
    flush.push(`flush chain ${t} ${name}`);
    deletes.push(`delete chain ${t} ${name}`);
  }
  for (const name of setNames(previous)) {
    const s = previous.sets.get(name)!;
    if (!wanted.sets.has(name)) deletes.push(`delete ${s.kind} ${t} ${name}`);
  }

  for (const [name, elements] of wanted.elements) {
    const before = previous.elements.get(name) ?? new Map<string, string>();
    const keys: Iterable<string> = touched ? touched.elements.get(name) ?? [] : new Set([...before.keys(), ...elements.keys()]);
    const removed: Array<[string, string]> = [];
    const added: Array<[string, string]> = [];
    // A key whose verdict changed is deleted and re-added: `add element` does not replace a value.
    for (const key of keys) {
      const was = before.get(key);
      const now = elements.get(key);
      if (was === now) continue;
      if (was !== undefined) removed.push([key, '']);
      if (now !== undefined) added.push([key, now]);
    }
    pushElements(deleteElements, 'delete', name, removed);
    pushElements(addElements, 'add', name, added);
  }
  const out = [...declare, ...flush, ...rules, ...deleteElements, ...addElements, ...deletes];
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

function pushElements(out: string[], verb: 'add' | 'delete', set: string, elements: Array<[string, string]>): void {
  for (let i = 0; i < elements.length; i += elementsPerStatement) {
    const chunk = elements.slice(i, i + elementsPerStatement).map(([k, v]) => (v ? `${k} : ${v}` : k));
    out.push(`${verb} element ${t} ${set} { ${chunk.join(', ')} }`);
  }
}

/** Whether two renders would leave the table in the same state. */
export function sameRuleset(a: NftRuleset, b: NftRuleset): boolean {
  // With origins, only what changed fragments name is compared (the fixed part's hooks and specs are constants).
  if (a.origin && b.origin) return a.chains.size === b.chains.size && partialScript(a, b) === '';
  if (a.chains.size !== b.chains.size || a.sets.size !== b.sets.size) return false;
  for (const [name, c] of a.chains) {
    const other = b.chains.get(name);
    if (!other || other.hook !== c.hook) return false;
  }
  for (const [name, s] of a.sets) {
    const other = b.sets.get(name);
    if (!other || other.spec !== s.spec || other.kind !== s.kind) return false;
  }
  return partialScript(a, b) === '';
}

function sameRules(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

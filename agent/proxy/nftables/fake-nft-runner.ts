// A test double for NftRunner that interprets the subset of nft syntax Skiff writes (add/flush/delete of
// table, chain, set, map, rule, element) into an in-memory table, with the kernel's refusals that matter
// (adding an element whose key exists, deleting what does not exist, deleting a chain or set something
// still refers to), so tests check the end state of a sequence of syncs, not only script text. Each
// script is a transaction: on an error nothing of it is kept.
import { tableFamily, tableName } from './names.js';
import type { NftRunner } from './nft-runner.js';
import type { ExistingObjects } from './script.js';

interface FakeTable {
  chains: Map<string, string[]>;
  sets: Map<string, { kind: 'set' | 'map'; elements: Map<string, string> }>;
}

export class FakeNftRunner implements NftRunner {
  /** Every script applied successfully, in order. */
  readonly scripts: string[] = [];
  /** Set to make the next apply fail (then cleared). */
  failNextApply: Error | undefined;
  private table: FakeTable | undefined;

  async apply(script: string): Promise<void> {
    if (this.failNextApply) {
      const err = this.failNextApply;
      this.failNextApply = undefined;
      throw err;
    }
    const work = this.table ? cloneTable(this.table) : undefined;
    const state = { table: work };
    for (const line of script.split('\n')) if (line) this.exec(state, line);
    this.table = state.table;
    this.scripts.push(script);
  }

  async listExisting(): Promise<ExistingObjects> {
    const sets = [...(this.table?.sets ?? [])];
    return {
      chains: new Set(this.table?.chains.keys() ?? []),
      sets: new Set(sets.filter(([, s]) => s.kind === 'set').map(([n]) => n)),
      maps: new Set(sets.filter(([, s]) => s.kind === 'map').map(([n]) => n)),
    };
  }

  async tableExists(): Promise<boolean> {
    return this.table?.chains.has('services') ?? false;
  }

  /** Deletes the table, as `nft flush ruleset` would. */
  deleteTable(): void {
    this.table = undefined;
  }

  /** Chain names, in creation order. */
  chains(): string[] {
    return [...(this.table?.chains.keys() ?? [])];
  }

  /** Rules of one chain, or undefined if it does not exist. */
  rules(chain: string): string[] | undefined {
    const rules = this.table?.chains.get(chain);
    return rules ? [...rules] : undefined;
  }

  /** Elements (`key` or `key : value`) of a set or map, or undefined if it does not exist. */
  elements(set: string): string[] | undefined {
    const s = this.table?.sets.get(set);
    return s ? [...s.elements].map(([k, v]) => (v ? `${k} : ${v}` : k)) : undefined;
  }

  private exec(state: { table: FakeTable | undefined }, line: string): void {
    const prefix = `${tableFamily} ${tableName}`;
    const m = /^(add|flush|delete) (table|chain|set|map|rule|element) (\S+ \S+)(?: (\S+))?(?: (.*))?$/.exec(line);
    if (!m || m[3] !== prefix) throw new Error(`fake nft: unsupported line: ${line}`);
    const [, verb, kind, , name = '', rest = ''] = m;
    if (kind === 'table') {
      if (verb === 'add') state.table ??= { chains: new Map(), sets: new Map() };
      else if (verb === 'delete' && state.table) state.table = undefined;
      else throw new Error(`fake nft: unsupported or no table: ${line}`);
      return;
    }
    const t = state.table;
    if (!t) throw new Error(`fake nft: no table: ${line}`);
    const chain = (n: string): string[] => {
      const c = t.chains.get(n);
      if (!c) throw new Error(`fake nft: no chain ${n}: ${line}`);
      return c;
    };
    const set = (n: string) => {
      const s = t.sets.get(n);
      if (!s) throw new Error(`fake nft: no set ${n}: ${line}`);
      return s;
    };
    switch (`${verb} ${kind}`) {
      case 'add chain': if (!t.chains.has(name)) t.chains.set(name, []); return;
      case 'flush chain': chain(name).length = 0; return;
      case 'delete chain':
        if (chain(name).length > 0) throw new Error(`fake nft: chain ${name} not empty`);
        if (this.referenced(t, name)) throw new Error(`fake nft: chain ${name} is in use`);
        t.chains.delete(name);
        return;
      case 'add rule': chain(name).push(rest); return;
      case 'add set': case 'add map':
        if (!t.sets.has(name)) t.sets.set(name, { kind: kind as 'set' | 'map', elements: new Map() });
        return;
      case 'flush set': case 'flush map': set(name).elements.clear(); return;
      case 'delete set': case 'delete map':
        set(name);
        if (this.referenced(t, name, '@')) throw new Error(`fake nft: set ${name} is in use`);
        t.sets.delete(name);
        return;
      case 'add element': case 'delete element': {
        const s = set(name);
        const body = /^\{ (.*) \}$/.exec(rest)?.[1];
        if (body === undefined) throw new Error(`fake nft: bad elements: ${line}`);
        for (const el of body.split(', ')) {
          const [key = '', value = ''] = el.split(' : ');
          if (verb === 'add') {
            if (s.elements.has(key)) throw new Error(`fake nft: element ${key} exists in ${name}`);
            if (value.startsWith('goto ') || value.startsWith('jump ')) chain(value.slice(5));
            s.elements.set(key, value);
          } else {
            if (!s.elements.delete(key)) throw new Error(`fake nft: no element ${key} in ${name}`);
          }
        }
        return;
      }
      default: throw new Error(`fake nft: unsupported line: ${line}`);
    }
  }

  /** Whether a rule (or a map element, for chains) refers to `name`. */
  private referenced(t: FakeTable, name: string, sigil = ''): boolean {
    const word = new RegExp(`(^|[ {])${sigil ? '@' : '(goto|jump) '}${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}($|[ ,}])`);
    for (const rules of t.chains.values()) if (rules.some((r) => word.test(r))) return true;
    if (!sigil) for (const s of t.sets.values()) for (const v of s.elements.values()) if (v === `goto ${name}` || v === `jump ${name}`) return true;
    return false;
  }
}

function cloneTable(t: FakeTable): FakeTable {
  return {
    chains: new Map([...t.chains].map(([n, r]) => [n, [...r]])),
    sets: new Map([...t.sets].map(([n, s]) => [n, { kind: s.kind, elements: new Map(s.elements) }])),
  };
}

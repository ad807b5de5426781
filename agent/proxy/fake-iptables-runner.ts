// A test double for IptablesRunner that understands the subset of iptables-restore syntax Skiff writes
// (`*table`, `:CHAIN`, `-A`, `-I CHAIN 1`, `-D`, `-X`, `COMMIT`) and keeps the result, so tests can check the
// end state of a sequence of syncs, not only the payload text.
import { jumpRulesPayload, type Table } from './rules/index.js';
import type { IptablesRunner, RestoreOptions } from './iptables-runner.js';

const builtins: Record<Table, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

export class FakeIptablesRunner implements IptablesRunner {
  /** Every payload restored, in order. */
  readonly payloads: string[] = [];
  /** Set to make the next restore fail (then cleared). */
  failNextRestore: Error | undefined;
  private readonly tables: Record<Table, Map<string, string[]>> = { filter: new Map(), nat: new Map() };

  constructor() {
    for (const table of ['filter', 'nat'] as const) for (const c of builtins[table]) this.tables[table].set(c, []);
  }

  async save(table: Table): Promise<string> {
    const chains = this.tables[table];
    const lines = [`*${table}`];
    for (const name of chains.keys()) lines.push(builtins[table].includes(name) ? `:${name} ACCEPT [0:0]` : `:${name} - [0:0]`);
    for (const rules of chains.values()) lines.push(...rules);
    lines.push('COMMIT');
    return lines.join('\n') + '\n';
  }

  async restore(payload: string, _options: RestoreOptions): Promise<void> {
    if (this.failNextRestore) {
      const err = this.failNextRestore;
      this.failNextRestore = undefined;
      throw err;
    }
    this.payloads.push(payload);
    let table: Map<string, string[]> | undefined;
    for (const line of payload.split('\n')) {
      if (line === '' || line === 'COMMIT') continue;
      if (line.startsWith('*')) table = this.tables[line.slice(1) as Table];
      else if (!table) throw new Error(`fake iptables: rule outside a table: ${line}`);
      else this.apply(table, line);
    }
  }

  async ensureJumpRules(): Promise<void> {
    const payload = jumpRulesPayload({ filter: await this.save('filter'), nat: await this.save('nat') });
    if (payload) await this.restore(payload, { noflush: true });
  }

  /** Chain names of a table. */
  chains(table: Table): string[] {
    return [...this.tables[table].keys()];
  }

  /** Rules of one chain (full `-A` lines). */
  rules(table: Table, chain: string): string[] {
    return [...(this.tables[table].get(chain) ?? [])];
  }

  private apply(table: Map<string, string[]>, line: string): void {
    const [op, chain = '', ...rest] = line.split(' ');
    if (op!.startsWith(':')) {
      table.set(op!.slice(1), []);
      return;
    }
    const rules = table.get(chain);
    if (!rules) throw new Error(`fake iptables: no chain ${chain}: ${line}`);
    if (op === '-A') rules.push(line);
    else if (op === '-D') {
      const i = rules.indexOf(`-A ${chain} ${rest.join(' ')}`);
      if (i < 0) throw new Error(`fake iptables: no such rule: ${line}`);
      rules.splice(i, 1);
    }
    else if (op === '-I') rules.unshift(`-A ${chain} ${rest.slice(1).join(' ')}`);
    else if (op === '-X') {
      if (rules.length > 0) throw new Error(`fake iptables: chain ${chain} not empty`);
      // As the kernel: a chain still jumped to cannot be deleted.
      for (const other of table.values()) {
        if (other.some((r) => r.endsWith(` -j ${chain}`))) throw new Error(`fake iptables: chain ${chain} is still referenced`);
      }
      table.delete(chain);
    } else throw new Error(`fake iptables: unsupported line: ${line}`);
  }
}

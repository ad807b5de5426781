// The IptablesRunner seam: the only way the proxy touches iptables. The real one runs iptables-save and
// iptables-restore as single child processes (the payload on stdin, never a process per rule); the fake
// interprets payloads into an in-memory table so the proxier is tested without root.
import { jumpRulesPayload, type Table } from './rules/index.js';
import { runCommand, type CommandTarget } from './run-command.js';

export interface RestoreOptions {
  /** Keep what the payload does not name. Skiff always restores with --noflush: the table is shared. */
  noflush: true;
}

/** What the proxier needs from iptables. */
export interface IptablesRunner {
  /** iptables-save output of one table. */
  save(table: Table): Promise<string>;
  /** Applies a payload atomically with one iptables-restore. */
  restore(payload: string, options: RestoreOptions): Promise<void>;
  /** Adds the jump rules from built-in chains into Skiff's chains when missing; idempotent. */
  ensureJumpRules(): Promise<void>;
}

export interface RealIptablesRunnerOptions extends CommandTarget {
  /**
   * The iptables flavour: 'iptables' (Debian's alternative, nf_tables backend on bookworm), 'iptables-nft'
   * or 'iptables-legacy'. Every command uses the same one: mixing backends splits the rules in two.
   * Default 'iptables', so the proxy's rules live where Docker's do. Trade-off measured by
   * bench/proxy/run.ts: iptables-nft-restore 1.8.9 grows super-linearly with the number of chains and
   * jumps (a cold full sync of 10k services takes minutes; kubernetes#96018 reports the same) but applies
   * a small partial payload in tens of ms; legacy is linear (10k services in about 2 s) but re-uploads the
   * whole table on every restore, so even a one-chain change costs most of a second at 10k.
   */
  command?: 'iptables' | 'iptables-nft' | 'iptables-legacy';
}

/** Runs the real iptables tools, in `netnsPath`'s network namespace when given. */
export class RealIptablesRunner implements IptablesRunner {
  private readonly command: string;

  constructor(private readonly options: RealIptablesRunnerOptions = {}) {
    this.command = options.command ?? 'iptables';
  }

  save(table: Table): Promise<string> {
    return runCommand(this.options, [`${this.command}-save`, '-t', table]);
  }

  async restore(payload: string, _options: RestoreOptions): Promise<void> {
    // -w: wait for the xtables lock (legacy backend) instead of failing when another writer holds it.
    await runCommand(this.options, [`${this.command}-restore`, '--noflush', '-w', '5'], payload);
  }

  async ensureJumpRules(): Promise<void> {
    const [filter, nat] = await Promise.all([this.save('filter'), this.save('nat')]);
    const payload = jumpRulesPayload({ filter, nat });
    if (payload) await this.restore(payload, { noflush: true });
  }
}

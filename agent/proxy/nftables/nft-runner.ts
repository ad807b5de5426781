// The NftRunner seam: the only way the nftables proxier touches the kernel. The real one runs `nft -f -`
// once per sync (the script on stdin: one transaction) and `nft -t list` to find what exists; the fake
// (fake-nft-runner.ts) interprets scripts into an in-memory table so the proxier is tested without root.
import { runCommand, type CommandTarget } from '../run-command.js';
import { tableFamily, tableName } from './names.js';
import type { ExistingObjects } from './script.js';

export interface NftRunner {
  /** Applies a script atomically with one `nft -f -`. */
  apply(script: string): Promise<void>;
  /** Names of the chains, sets and maps in Skiff's table; all empty when the table does not exist. */
  listExisting(): Promise<ExistingObjects>;
  /** Whether Skiff's table and its dispatch chain exist (a cheap check that nobody deleted them). */
  tableExists(): Promise<boolean>;
}

export interface RealNftRunnerOptions extends CommandTarget {
  /** The nft binary. Default `nft` (from PATH; /usr/sbin/nft on Debian). */
  command?: string;
}

/** Runs the real nft, in `netnsPath`'s network namespace when given. */
export class RealNftRunner implements NftRunner {
  private readonly command: string;

  constructor(private readonly options: RealNftRunnerOptions = {}) {
    this.command = options.command ?? 'nft';
  }

  async apply(script: string): Promise<void> {
    await runCommand(this.options, [this.command, '-f', '-'], script);
  }

  async listExisting(): Promise<ExistingObjects> {
    // One process: -t (terse) leaves out set elements, and `list chains` prints chain headers, not rules.
    const listing = await runCommand(this.options, [this.command, '-t', `list chains ${tableFamily}; list sets ${tableFamily}; list maps ${tableFamily}`]);
    return { chains: listedNames(listing, 'chain'), sets: listedNames(listing, 'set'), maps: listedNames(listing, 'map') };
  }

  async tableExists(): Promise<boolean> {
    try {
      await runCommand(this.options, [this.command, 'list', 'chain', tableFamily, tableName, 'services']);
      return true;
    } catch {
      return false;
    }
  }
}

/** Names of `kind` objects inside `table ip skiff { ... }` blocks of `nft list` output. */
export function listedNames(listing: string, kind: 'chain' | 'set' | 'map'): Set<string> {
  const names = new Set<string>();
  let inTable = false;
  for (const line of listing.split('\n')) {
    const trimmed = line.trim();
    if (line.startsWith('table ')) inTable = trimmed === `table ${tableFamily} ${tableName} {`;
    else if (inTable && trimmed.startsWith(`${kind} `) && trimmed.endsWith('{')) {
      names.add(trimmed.slice(kind.length + 1, -1).trim());
    }
  }
  return names;
}

// NftablesProxier: keeps Skiff's nftables table equal to what the current Services and EndpointSlices
// render to, one `nft -f -` transaction per sync. The first sync (and one an hour, and the one after a
// failure) is full: it lists what exists and rewrites everything, deleting what is stale. Later syncs are
// partial: changed chains flushed and rewritten, changed map elements deleted or added, nothing else.
// The loop (rate limiting, skip-if-unchanged, periodic resync) is ProxierBase's, shared with iptables.
import { ProxierBase, type CommonProxierOptions, type SyncOutcome } from '../proxier-base.js';
import { servicePorts, ServicePortsCache } from '../rules/service-ports.js';
import type { NftRunner } from './nft-runner.js';
import { NftRenderCache, renderRuleset, type NftRuleset } from './ruleset.js';
import { renderScript, sameRuleset } from './script.js';

export interface NftablesProxierOptions extends CommonProxierOptions {
  runner: NftRunner;
}

export class NftablesProxier extends ProxierBase {
  private readonly runner: NftRunner;
  /** What the last successful apply wrote; undefined forces a full sync. */
  private lastApplied: NftRuleset | undefined;
  private readonly renderCache = new NftRenderCache();
  private readonly portsCache = new ServicePortsCache();

  constructor(options: NftablesProxierOptions) {
    super(options, 'nftables');
    this.runner = options.runner;
  }

  /** Nothing beyond the first sync: the table brings its own hooked base chains. */
  protected async setUp(): Promise<void> {}

  /** Someone may have deleted the table (`nft flush ruleset`): the next sync then rewrites it. */
  protected async checkSetUp(): Promise<void> {
    if (this.lastApplied && !(await this.runner.tableExists())) {
      this.log.warn('nftables table skiff is gone; rewriting it');
      this.forgetApplied();
    }
  }

  protected forgetApplied(): void {
    this.lastApplied = undefined;
  }

  protected async syncRules(): Promise<SyncOutcome> {
    const ports = servicePorts([...this.services.values()], [...this.slices.values()], this.portsCache);
    const wanted = renderRuleset(ports, {
      clusterCIDR: this.options.clusterCIDR, serviceCIDR: this.options.serviceCIDR,
      nodeAddresses: this.nodeAddresses(), localhostNodePorts: this.options.localhostNodePorts, cache: this.renderCache,
    });
    const previous = this.lastApplied;
    if (previous && sameRuleset(wanted, previous)) return 'skipped';
    const script = previous ? renderScript(wanted, { previous }) : renderScript(wanted, { existing: await this.runner.listExisting() });
    if (script) await this.runner.apply(script);
    this.lastApplied = wanted;
    return previous ? 'partial' : 'full';
  }
}

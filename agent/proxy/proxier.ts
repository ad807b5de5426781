// IptablesProxier: keeps the node's iptables equal to what the current Services and EndpointSlices
// render to, with one iptables-restore per sync (full, then partial: only changed chains). The loop
// (rate limiting, skip-if-unchanged, periodic and full resyncs) is ProxierBase's.
import type { IptablesRunner } from './iptables-runner.js';
import { ProxierBase, type CommonProxierOptions, type SyncOutcome } from './proxier-base.js';
import {
  chainNames,
  isEmptyPayload,
  RenderCache,
  renderPayload,
  renderState,
  sameRendered,
  savedChainNames,
  type ExistingChains,
  type RenderedRules,
} from './rules/index.js';

export type { ProxierStats } from './proxier-base.js';

export interface ProxierOptions extends CommonProxierOptions {
  runner: IptablesRunner;
}

export class IptablesProxier extends ProxierBase {
  private readonly runner: IptablesRunner;
  /** What the last successful restore wrote; undefined forces a full sync. */
  private lastApplied: RenderedRules | undefined;
  /** Chains known to exist; undefined means "read them with iptables-save before the next sync". */
  private existing: ExistingChains | undefined;
  private readonly renderCache = new RenderCache();

  constructor(options: ProxierOptions) {
    super(options, 'iptables');
    this.runner = options.runner;
  }

  protected async setUp(): Promise<void> {
    await this.runner.ensureJumpRules();
  }

  /** Someone may have flushed a built-in chain (a firewall reload): put the jumps back. */
  protected checkSetUp(): Promise<void> {
    return this.runner.ensureJumpRules();
  }

  protected forgetApplied(): void {
    this.lastApplied = undefined;
    this.existing = undefined;
  }

  protected async syncRules(): Promise<SyncOutcome> {
    const rendered = renderState(
      { services: [...this.services.values()], endpointSlices: [...this.slices.values()], nodeAddresses: this.nodeAddresses() },
      {
        clusterCIDR: this.options.clusterCIDR, serviceCIDR: this.options.serviceCIDR,
        localhostNodePorts: this.options.localhostNodePorts, cache: this.renderCache,
      },
    );
    if (this.lastApplied && sameRendered(rendered, this.lastApplied)) return 'skipped';
    const existing = this.existing ?? (await this.readExisting());
    const full = this.lastApplied === undefined;
    const payload = renderPayload(rendered, { existing, previous: this.lastApplied });
    if (!isEmptyPayload(payload)) await this.runner.restore(payload, { noflush: true });
    this.lastApplied = rendered;
    this.existing = { nat: chainNames(rendered.nat), filter: chainNames(rendered.filter) };
    return full ? 'full' : 'partial';
  }

  private async readExisting(): Promise<ExistingChains> {
    const [nat, filter] = await Promise.all([this.runner.save('nat'), this.runner.save('filter')]);
    return { nat: savedChainNames(nat), filter: savedChainNames(filter) };
  }
}

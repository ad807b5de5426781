// IptablesProxier: holds the latest Services, EndpointSlices and this node's Node, and keeps the node's
// iptables equal to what they render to. Level-triggered like kube-proxy's syncProxyRules: every sync
// renders everything from the current state; handlers only record state and ask for a sync.
import type { Logger } from 'pino';
import pino from 'pino';
import type { EndpointSlice, Node, Service } from '../../api/types/index.js';
import { RealClock, type Clock, type Timer } from '../../client/index.js';
import type { IptablesRunner } from './iptables-runner.js';
import type { NodeNetwork } from './node-network.js';
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

export interface ProxierOptions {
  runner: IptablesRunner;
  /** Local route for the service CIDR and route_localnet; skipped when absent (unit tests). */
  nodeNetwork?: NodeNetwork;
  clock?: Clock;
  logger?: Logger;
  /** Syncs start at least this far apart; requests in between are coalesced into one. Default 1000. */
  minSyncIntervalMs?: number;
  /** How often the jump rules are re-checked and state re-synced even without changes. Default 60000; 0 = never. */
  resyncIntervalMs?: number;
  /**
   * Every this often a sync rewrites every chain (re-reading what exists) even if nothing changed, which
   * repairs chains someone else edited: partial syncs only write what changed. Default 1 h, as kube-proxy.
   */
  fullSyncIntervalMs?: number;
  /** This node's name: its Node's addresses are where node ports are served (plus 127.0.0.1). */
  nodeName?: string;
  /** Pod network; traffic to a cluster IP from outside it is masqueraded. */
  clusterCIDR?: string;
  /** Service network; routed locally, and NEW packets into it that matched no service are rejected. */
  serviceCIDR?: string;
  /** Serve node ports on 127.0.0.1 too (default true). */
  localhostNodePorts?: boolean;
}

/** Counters, for tests and the metrics a later /metrics endpoint would serve. */
export interface ProxierStats {
  /** Payloads applied. */
  applied: number;
  /** Syncs that rendered exactly what was applied last, so nothing was run. */
  skipped: number;
  failed: number;
  /** Duration of the last applied sync (render + restore), ms. */
  lastSyncMs: number;
  /** Whether the last applied sync was a full one (every chain written). */
  lastSyncFull: boolean;
}

const objectKey = (o: { metadata: { namespace?: string; name?: string } }): string =>
  `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export class IptablesProxier {
  private readonly services = new Map<string, Service>();
  private readonly slices = new Map<string, EndpointSlice>();
  private node: Node | undefined;

  private readonly runner: IptablesRunner;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly minSyncIntervalMs: number;
  private readonly resyncIntervalMs: number;

  /** What the last successful restore wrote; undefined forces a full sync. */
  private lastApplied: RenderedRules | undefined;
  /** Chains known to exist; undefined means "read them with iptables-save before the next sync". */
  private existing: ExistingChains | undefined;

  private lastSyncStartMs = Number.NEGATIVE_INFINITY;
  private lastFullSyncMs = Number.NEGATIVE_INFINITY;
  private readonly renderCache = new RenderCache();
  private timer: Timer | undefined;
  private resyncTimer: Timer | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = false;
  /** Until start() has run, updates only record state: the first sync must be the full one start() does. */
  private started = false;
  private readonly counters: ProxierStats = { applied: 0, skipped: 0, failed: 0, lastSyncMs: 0, lastSyncFull: false };

  constructor(private readonly options: ProxierOptions) {
    this.runner = options.runner;
    this.clock = options.clock ?? new RealClock();
    this.log = options.logger ?? pino({ name: 'proxy' });
    this.minSyncIntervalMs = options.minSyncIntervalMs ?? 1000;
    this.resyncIntervalMs = options.resyncIntervalMs ?? 60_000;
  }

  /** Sets up the node (route, sysctl, jump rules) and applies the current state with a full sync. */
  async start(): Promise<void> {
    const net = this.options.nodeNetwork;
    if (net) {
      await net.enableRouteLocalnet();
      if (this.options.serviceCIDR) await net.ensureLocalServiceRoute(this.options.serviceCIDR);
    }
    // The first sync reads the chains that exist (an earlier run's included) and deletes the stale ones.
    this.existing = undefined;
    this.lastApplied = undefined;
    await this.runner.ensureJumpRules();
    this.started = true;
    await this.sync();
    this.scheduleResync();
  }

  /** Cancels pending syncs and waits for one in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.resyncTimer?.cancel();
    this.timer = undefined;
    this.resyncTimer = undefined;
    await this.running;
  }

  onServiceUpdate(svc: Service): void {
    this.services.set(objectKey(svc), svc);
    this.requestSync();
  }

  onServiceDelete(svc: Service): void {
    this.services.delete(objectKey(svc));
    this.requestSync();
  }

  onEndpointSliceUpdate(slice: EndpointSlice): void {
    this.slices.set(objectKey(slice), slice);
    this.requestSync();
  }

  onEndpointSliceDelete(slice: EndpointSlice): void {
    this.slices.delete(objectKey(slice));
    this.requestSync();
  }

  /** Only this node's Node matters (its addresses); others are ignored. */
  onNodeUpdate(node: Node): void {
    if (this.options.nodeName && node.metadata.name !== this.options.nodeName) return;
    this.node = node;
    this.requestSync();
  }

  stats(): ProxierStats {
    return { ...this.counters };
  }

  /**
   * Asks for a sync. It runs at once if the last one started at least minSyncIntervalMs ago, else when
   * that interval is over; any number of requests until then make one sync.
   */
  requestSync(): void {
    if (!this.started || this.stopped || this.timer) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    const delay = Math.max(0, this.lastSyncStartMs + this.minSyncIntervalMs - this.clock.now());
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      void this.sync();
    }, delay);
  }

  /** Syncs now (not rate limited); resolves when done. Concurrent calls share one run, then one more. */
  async sync(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.syncOnce().finally(() => {
      this.running = undefined;
      if (this.rerun) {
        this.rerun = false;
        this.requestSync();
      }
    });
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    const started = this.clock.now();
    const t0 = performance.now();
    this.lastSyncStartMs = started;
    if (started - this.lastFullSyncMs >= (this.options.fullSyncIntervalMs ?? 3_600_000)) {
      this.lastApplied = undefined;
      this.existing = undefined;
    }
    const rendered = renderState(
      { services: [...this.services.values()], endpointSlices: [...this.slices.values()], nodeAddresses: this.nodeAddresses() },
      {
        clusterCIDR: this.options.clusterCIDR, serviceCIDR: this.options.serviceCIDR,
        localhostNodePorts: this.options.localhostNodePorts, cache: this.renderCache,
      },
    );
    if (this.lastApplied && sameRendered(rendered, this.lastApplied)) {
      this.counters.skipped++;
      return;
    }
    try {
      const existing = this.existing ?? (await this.readExisting());
      const full = this.lastApplied === undefined;
      const payload = renderPayload(rendered, { existing, previous: this.lastApplied });
      if (!isEmptyPayload(payload)) await this.runner.restore(payload, { noflush: true });
      this.lastApplied = rendered;
      this.existing = { nat: chainNames(rendered.nat), filter: chainNames(rendered.filter) };
      this.counters.applied++;
      this.counters.lastSyncFull = full;
      if (full) this.lastFullSyncMs = started;
      this.counters.lastSyncMs = performance.now() - t0;
      this.log.debug({ full, services: this.services.size, ms: Math.round(this.counters.lastSyncMs) }, 'synced iptables rules');
    } catch (err) {
      // Unknown state now: read it again and write every chain on the retry.
      this.counters.failed++;
      this.existing = undefined;
      this.lastApplied = undefined;
      this.log.error({ err }, 'iptables sync failed; retrying');
      this.rerun = true;
    }
  }

  private async readExisting(): Promise<ExistingChains> {
    const [nat, filter] = await Promise.all([this.runner.save('nat'), this.runner.save('filter')]);
    return { nat: savedChainNames(nat), filter: savedChainNames(filter) };
  }

  private nodeAddresses(): string[] {
    const addresses = this.node?.status?.addresses ?? [];
    return addresses
      .filter((a) => (a.type === 'InternalIP' || a.type === 'ExternalIP') && /^\d+\.\d+\.\d+\.\d+$/.test(a.address))
      .map((a) => a.address)
      .sort();
  }

  private scheduleResync(): void {
    if (this.stopped || this.resyncIntervalMs <= 0) return;
    this.resyncTimer = this.clock.setTimer(() => {
      this.resyncTimer = undefined;
      // Someone may have flushed a built-in chain (a firewall reload): put the jumps back.
      this.runner.ensureJumpRules()
        .catch((err: unknown) => this.log.error({ err }, 'ensuring iptables jump rules failed'))
        .finally(() => {
          this.requestSync();
          this.scheduleResync();
        });
    }, this.resyncIntervalMs);
  }
}

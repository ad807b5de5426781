// What every proxier mode shares (kube-proxy's proxier loop): the latest Services, EndpointSlices and this
// node's Node; rate-limited, coalesced syncs; skip-if-unchanged and full-vs-partial bookkeeping; the
// periodic resync and the hourly full sync. A mode (iptables, nftables) supplies how to set the node up
// and how to render and apply one sync. Level-triggered: every sync renders everything from the current
// state; handlers only record state and ask for a sync.
import type { Logger } from 'pino';
import pino from 'pino';
import type { EndpointSlice, Node, Service } from '../../api/types/index.js';
import { RealClock, type Clock, type Timer } from '../../client/index.js';
import type { NodeNetwork } from './node-network.js';

/** Options every proxier mode takes (each adds its own runner). */
export interface CommonProxierOptions {
  /** Local route for the service CIDR and route_localnet; skipped when absent (unit tests). */
  nodeNetwork?: NodeNetwork;
  clock?: Clock;
  logger?: Logger;
  /** Syncs start at least this far apart; requests in between are coalesced into one. Default 1000. */
  minSyncIntervalMs?: number;
  /** How often the node set-up is re-checked and state re-synced even without changes. Default 60000; 0 = never. */
  resyncIntervalMs?: number;
  /**
   * Every this often a sync rewrites everything (re-reading what exists) even if nothing changed, which
   * repairs rules someone else edited: partial syncs only write what changed. Default 1 h, as kube-proxy.
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
  /** Syncs that changed the rules. */
  applied: number;
  /** Syncs that rendered exactly what was applied last, so nothing was run. */
  skipped: number;
  failed: number;
  /** Duration of the last applied sync (render + apply), ms. */
  lastSyncMs: number;
  /** Whether the last applied sync was a full one (everything written). */
  lastSyncFull: boolean;
}

/** The surface ProxyServer drives, whatever the mode. */
export interface Proxier {
  start(): Promise<void>;
  stop(): Promise<void>;
  sync(): Promise<void>;
  requestSync(): void;
  stats(): ProxierStats;
  onServiceUpdate(svc: Service): void;
  onServiceDelete(svc: Service): void;
  onEndpointSliceUpdate(slice: EndpointSlice): void;
  onEndpointSliceDelete(slice: EndpointSlice): void;
  onNodeUpdate(node: Node): void;
}

/** What a mode's sync did. */
export type SyncOutcome = 'skipped' | 'full' | 'partial';

const objectKey = (o: { metadata: { namespace?: string; name?: string } }): string =>
  `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export abstract class ProxierBase implements Proxier {
  protected readonly services = new Map<string, Service>();
  protected readonly slices = new Map<string, EndpointSlice>();
  private node: Node | undefined;

  protected readonly clock: Clock;
  protected readonly log: Logger;
  private readonly minSyncIntervalMs: number;
  private readonly resyncIntervalMs: number;

  private lastSyncStartMs = Number.NEGATIVE_INFINITY;
  private lastFullSyncMs = Number.NEGATIVE_INFINITY;
  private timer: Timer | undefined;
  private resyncTimer: Timer | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = false;
  /** Until start() has run, updates only record state: the first sync must be the full one start() does. */
  private started = false;
  private readonly counters: ProxierStats = { applied: 0, skipped: 0, failed: 0, lastSyncMs: 0, lastSyncFull: false };

  constructor(protected readonly options: CommonProxierOptions, private readonly what: string) {
    this.clock = options.clock ?? new RealClock();
    this.log = options.logger ?? pino({ name: 'proxy' });
    this.minSyncIntervalMs = options.minSyncIntervalMs ?? 1000;
    this.resyncIntervalMs = options.resyncIntervalMs ?? 60_000;
  }

  /** The mode's node set-up at start (hooks, jump rules); the node network is done by the base. */
  protected abstract setUp(): Promise<void>;
  /** Forget what was applied: the next sync reads what exists and writes everything. */
  protected abstract forgetApplied(): void;
  /** Renders the current state and applies it (or the part that changed). Throws on failure. */
  protected abstract syncRules(): Promise<SyncOutcome>;
  /** The periodic check that the mode's hooks are still in place (someone may have flushed them). */
  protected abstract checkSetUp(): Promise<void>;

  /** Sets up the node (route, sysctl, hooks) and applies the current state with a full sync. */
  async start(): Promise<void> {
    const net = this.options.nodeNetwork;
    if (net) {
      await net.enableRouteLocalnet();
      if (this.options.serviceCIDR) await net.ensureLocalServiceRoute(this.options.serviceCIDR);
    }
    // The first sync reads what exists (an earlier run's included) and deletes the stale part.
    this.forgetApplied();
    await this.setUp();
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
    if (started - this.lastFullSyncMs >= (this.options.fullSyncIntervalMs ?? 3_600_000)) this.forgetApplied();
    try {
      const outcome = await this.syncRules();
      if (outcome === 'skipped') {
        this.counters.skipped++;
        return;
      }
      const full = outcome === 'full';
      this.counters.applied++;
      this.counters.lastSyncFull = full;
      if (full) this.lastFullSyncMs = started;
      this.counters.lastSyncMs = performance.now() - t0;
      this.log.debug({ full, services: this.services.size, ms: Math.round(this.counters.lastSyncMs) }, `synced ${this.what} rules`);
    } catch (err) {
      // Unknown state now: read it again and write everything on the retry.
      this.counters.failed++;
      this.forgetApplied();
      this.log.error({ err }, `${this.what} sync failed; retrying`);
      this.rerun = true;
    }
  }

  /** The addresses of this node's Node that serve node ports (IPv4 Internal/External), sorted. */
  protected nodeAddresses(): string[] {
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
      this.checkSetUp()
        .catch((err: unknown) => this.log.error({ err }, `checking the ${this.what} set-up failed`))
        .finally(() => {
          this.requestSync();
          this.scheduleResync();
        });
    }, this.resyncIntervalMs);
  }
}

// Keeps this node's pod-network plumbing for a multi-node cluster, level-triggered from a Node informer
// (and a periodic resync that repairs what someone else changed): host-gateway routes to every other
// node's pod CIDR through that node's InternalIP (routes.ts), the SKIFF-FORWARD accept chain for the
// cluster CIDR and the SKIFF-POD-NAT exemption that keeps pod-to-pod traffic un-NATed (forward-rules.ts). Each pass reads the actual state back from the kernel (`ip route show
// proto 250`, `iptables -S`) and runs only the commands that differ, so a restarted agent adopts and
// corrects what an earlier one left, and never touches routes it did not mark.
import type { Logger } from 'pino';
import type { Node } from '../../api/index.js';
import { findResource } from '../../api/resources.js';
import { Informer, type RestClient } from '../../client/index.js';
import { CommandError, RealCommandRunner, type CommandRunner } from './command-runner.js';
import { planOwnedChain, podNetworkChains } from './forward-rules.js';
import { defaultRouteProtocol, desiredRoutes, isIpv4Network, parseRoutes, planRoutes } from './routes.js';

const nodesResource = findResource('', 'v1', 'nodes')!;

/** How often everything is re-checked without any Node event, in ms. */
export const defaultResyncMs = 30_000;
/** How soon a failed pass is retried, in ms. */
const retryMs = 2_000;

export interface HostGatewayRoutesOptions {
  /** Watches Nodes through it (a node may list and watch every Node). */
  client: RestClient;
  /** This node's name: its own pod CIDR is local (the CRI's bridge), never routed. */
  nodeName: string;
  /** The cluster's pod network (the control plane's --cluster-cidr, default 10.244.0.0/16). */
  clusterCIDR: string;
  /** Where `ip` and `iptables` run; default the real commands in `netnsPath` (or this namespace). */
  runner?: CommandRunner;
  netnsPath?: string;
  /** The iptables command: the same flavour as Docker's and the proxy's (default `iptables`). */
  iptables?: 'iptables' | 'iptables-legacy' | 'iptables-nft';
  /** The `proto` number marking our routes (default 250). */
  routeProtocol?: number;
  resyncMs?: number;
  logger: Logger;
}

export class HostGatewayRoutes {
  private readonly runner: CommandRunner;
  private readonly iptables: string;
  private readonly proto: number;
  private readonly log: Logger;
  private informer: Informer<Node> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private dirty = false;
  private lastFailed = false;
  private stopped = false;
  /** Last failure per route/rule, so a persisting problem is logged once, not every pass. */
  private readonly reported = new Map<string, string>();

  /** Throws on a cluster CIDR that is not an IPv4 network. */
  constructor(private readonly opts: HostGatewayRoutesOptions) {
    if (!isIpv4Network(opts.clusterCIDR)) throw new Error(`invalid cluster CIDR "${opts.clusterCIDR}": want an IPv4 network such as 10.244.0.0/16`);
    this.runner = opts.runner ?? new RealCommandRunner(opts.netnsPath);
    this.iptables = opts.iptables ?? 'iptables';
    this.proto = opts.routeProtocol ?? defaultRouteProtocol;
    this.log = opts.logger.child({ component: 'host-gateway' });
  }

  /** Watches Nodes, waits for the first list, makes one pass (its failure is logged and retried), then resyncs periodically. */
  async start(): Promise<void> {
    const informer = new Informer<Node>(this.opts.client, nodesResource, { logger: this.log });
    this.informer = informer;
    const kick = (): void => void this.syncNow();
    informer.addEventHandler({ onAdd: kick, onUpdate: (o, n) => (relevant(o) !== relevant(n) ? kick() : undefined), onDelete: kick });
    informer.start();
    await informer.waitForSync();
    await this.syncNow();
    this.schedule(this.lastFailed ? retryMs : this.opts.resyncMs ?? defaultResyncMs);
    this.log.info({ clusterCIDR: this.opts.clusterCIDR, node: this.opts.nodeName }, 'host-gateway routes running');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.informer?.stop();
    await this.running;
  }

  /** Runs a pass now (coalescing with one already running); resolves when the state it saw is applied. */
  syncNow(): Promise<void> {
    if (this.running) {
      this.dirty = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.dirty = false;
        try {
          await this.reconcile(this.informer?.list() ?? []);
          this.lastFailed = false;
        } catch (err) {
          this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'pod network pass failed; retrying');
          this.lastFailed = true;
        }
      } while (this.dirty && !this.stopped);
    })().finally(() => {
      this.running = undefined;
      if (this.lastFailed) this.schedule(retryMs);
    });
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.syncNow().finally(() => this.schedule(this.lastFailed ? retryMs : this.opts.resyncMs ?? defaultResyncMs));
    }, ms);
    this.timer.unref();
  }

  /** One pass over `nodes`: the FORWARD chain, then the routes. Throws when the state cannot be read. */
  async reconcile(nodes: readonly Node[]): Promise<void> {
    await this.reconcileChains();
    const current = parseRoutes(await this.runner.run(['ip', '-4', 'route', 'show', 'table', 'main', 'proto', String(this.proto)]));
    const desired = desiredRoutes(nodes, this.opts.nodeName);
    for (const cmd of planRoutes(desired, current, this.proto)) {
      const cidr = cmd[3] ?? '';
      try {
        await this.runner.run(cmd);
        this.reported.delete(cidr);
        this.log.info({ podCIDR: cidr, via: cmd[5], action: cmd[2] === 'del' ? 'removed' : 'set' }, 'pod network route');
      } catch (err) {
        // One bad node (an InternalIP not on a connected network) must not block the others' routes.
        if (cmd[2] === 'del' && err instanceof CommandError && /No such process/i.test(err.stderr)) continue;
        this.reportOnce(cidr, `could not ${cmd.join(' ')}`, err);
      }
    }
  }

  /** Brings every owned chain (forward-rules.ts) to its wanted state, reading each back first. */
  private async reconcileChains(): Promise<void> {
    for (const owned of podNetworkChains(this.opts.clusterCIDR)) {
      const ipt = (args: readonly string[]): Promise<string> => this.runner.run([this.iptables, '-w', '5', '-t', owned.table, ...args]);
      const builtin = await ipt(['-S', owned.builtin]);
      let chain: string | undefined;
      try {
        chain = await ipt(['-S', owned.chain]);
      } catch (err) {
        if (!(err instanceof CommandError && err.exitCode === 1)) throw err;
        chain = undefined; // "No chain/target/match by that name"
      }
      const plan = planOwnedChain(owned, builtin, chain);
      for (const args of plan) await ipt(args);
      if (plan.length) this.log.info({ table: owned.table, chain: owned.chain, clusterCIDR: this.opts.clusterCIDR, commands: plan.length }, 'pod network rules set');
    }
  }

  private reportOnce(key: string, what: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.reported.get(key) === message) return;
    this.reported.set(key, message);
    this.log.warn({ podCIDR: key, err: message }, what);
  }
}

/** The parts of a Node the routes depend on; other changes (heartbeats) need no pass. */
function relevant(n: Node): string {
  return JSON.stringify([n.spec?.podCIDR, n.status?.addresses?.filter((a) => a.type === 'InternalIP')]);
}

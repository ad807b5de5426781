// ProxyServer: the proxier fed by informers (Services, EndpointSlices, this node's Node), as kube-proxy's
// ProxyServer wires its config handlers. Informer handlers only hand objects over; the proxier decides
// when to sync.
import type { Logger } from 'pino';
import pino from 'pino';
import type { KubeObject } from '../../api/object.js';
import { requireResource } from '../../api/resources.js';
import type { EndpointSlice, Node, Service } from '../../api/types/index.js';
import { InformerFactory, type Informer, type RestClient } from '../../client/index.js';
import { RealIptablesRunner, type IptablesRunner } from './iptables-runner.js';
import { NftablesProxier } from './nftables/proxier.js';
import { RealNftRunner, type NftRunner } from './nftables/nft-runner.js';
import { RealNodeNetwork, type NodeNetwork } from './node-network.js';
import type { CommonProxierOptions, Proxier } from './proxier-base.js';
import { IptablesProxier } from './proxier.js';
import { removeIptablesRules, removeNftablesTable } from './leftovers.js';

/** How service traffic is programmed: iptables-restore payloads, or Skiff's own nftables table. */
export type ProxyMode = 'iptables' | 'nftables';

export interface ProxyServerOptions extends Omit<CommonProxierOptions, 'nodeNetwork'> {
  client: RestClient;
  /** Default 'iptables'. */
  mode?: ProxyMode;
  /** iptables mode. Default: the real iptables in this network namespace. */
  runner?: IptablesRunner;
  /** nftables mode. Default: the real nft in this network namespace. */
  nftRunner?: NftRunner;
  /** Default: the real `ip route` / sysctl in this network namespace. */
  nodeNetwork?: NodeNetwork;
  /** How long to wait for the first list of every informer. Default 60 s. */
  syncTimeoutMs?: number;
}

export class ProxyServer {
  readonly proxier: Proxier;
  /** Removes the other mode's leftovers at start. */
  private readonly removeLeftovers: () => Promise<boolean>;
  private readonly factory: InformerFactory;
  private readonly log: Logger;

  constructor(private readonly options: ProxyServerOptions) {
    this.log = options.logger ?? pino({ name: 'proxy' });
    const common = { ...options, logger: this.log, nodeNetwork: options.nodeNetwork ?? new RealNodeNetwork() };
    const iptables = options.runner ?? new RealIptablesRunner();
    const nft = options.nftRunner ?? new RealNftRunner();
    if (options.mode === 'nftables') {
      this.proxier = new NftablesProxier({ ...common, runner: nft });
      this.removeLeftovers = () => removeIptablesRules(iptables);
    } else {
      this.proxier = new IptablesProxier({ ...common, runner: iptables });
      this.removeLeftovers = () => removeNftablesTable(nft);
    }
    this.factory = new InformerFactory(options.client, { clock: options.clock, logger: this.log });
  }

  /** Starts the informers, waits for their first list, then sets up the node and applies a full sync. */
  async start(): Promise<void> {
    const p = this.proxier;
    this.watch<Service>(this.factory.forResource(requireResource('', 'v1', 'services')), (s) => p.onServiceUpdate(s), (s) => p.onServiceDelete(s));
    this.watch<EndpointSlice>(this.factory.forResource(requireResource('discovery.k8s.io', 'v1', 'endpointslices')),
      (s) => p.onEndpointSliceUpdate(s), (s) => p.onEndpointSliceDelete(s));
    if (this.options.nodeName) {
      const nodes = this.factory.forResource<Node>(requireResource('', 'v1', 'nodes'), { fieldSelector: `metadata.name=${this.options.nodeName}` });
      this.watch<Node>(nodes, (n) => p.onNodeUpdate(n), () => {});
    }
    this.factory.start();
    if (!(await this.factory.waitForSync(this.options.syncTimeoutMs ?? 60_000))) {
      throw new Error('timed out waiting for the Service, EndpointSlice and Node informers to sync');
    }
    // Best effort: a node without the other mode's tools (no nft, no iptables) has nothing of it to remove.
    await this.removeLeftovers()
      .then((removed) => removed && this.log.info('removed the other proxy mode\'s rules'))
      .catch((err: unknown) => this.log.warn({ err }, 'could not check for the other proxy mode\'s rules'));
    await p.start();
    this.log.info({ node: this.options.nodeName, mode: this.options.mode ?? 'iptables' }, 'service proxy started');
  }

  async stop(): Promise<void> {
    await this.factory.stop();
    await this.proxier.stop();
  }

  private watch<T extends KubeObject>(informer: Informer<T>, update: (o: T) => void, remove: (o: T) => void): void {
    informer.addEventHandler({ onAdd: update, onUpdate: (_old, o) => update(o), onDelete: remove });
  }
}

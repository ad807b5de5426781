// Hands the node's pod CIDR to the runtime, as upstream's kubelet does in updatePodCIDR: whenever the
// kubelet sees its Node with a spec.podCIDR it has not yet applied, it calls CRI UpdateRuntimeConfig once;
// the runtime then gives new sandboxes IPs from that CIDR. The kubelet sees its Node through a watch on
// it alone (so a CIDR set later arrives at once) and through the 10 s status loop (the fallback). A failed
// call is retried at the next sighting, never in a tight loop. Nothing is persisted: a restarted kubelet
// applies the CIDR again when it first sees its Node.
import type { Logger } from 'pino';
import type { Node } from '../../../api/index.js';
import { Informer, type RestClient } from '../../../client/index.js';
import { nodesResource } from '../resources.js';
import type { RuntimeService } from '../runtime.js';

export class PodCidrSync {
  private applied: string | undefined;
  /** The CIDR being applied right now, so a burst of sightings makes one call. */
  private applying: string | undefined;
  private chain: Promise<void> = Promise.resolve();
  private informer: Informer<Node> | undefined;

  constructor(
    private readonly runtime: Pick<RuntimeService, 'updateRuntimeConfig'>,
    private readonly log: Logger,
    /** Called after a CIDR was applied (the kubelet reports its Node's readiness again). */
    private readonly onApplied: (podCIDR: string) => void = () => {},
  ) {}

  /** The pod CIDR the runtime has accepted, if any. */
  get podCIDR(): string | undefined {
    return this.applied;
  }

  /** Watches the Node `nodeName` (only it) and applies its pod CIDR whenever it appears or changes. */
  watch(client: RestClient, nodeName: string): void {
    const informer = new Informer<Node>(client, nodesResource, { fieldSelector: `metadata.name=${nodeName}`, logger: this.log });
    informer.addEventHandler({ onAdd: (n) => void this.observe(n), onUpdate: (_o, n) => void this.observe(n) });
    informer.start();
    this.informer = informer;
  }

  /** Called with the kubelet's own Node whenever it is read or watched; resolves once any call made finished. */
  observe(node: Node | undefined): Promise<void> {
    const cidr = node?.spec?.podCIDR;
    if (!cidr || cidr === this.applied || cidr === this.applying) return this.chain;
    this.applying = cidr;
    this.chain = this.chain.then(() => this.apply(cidr));
    return this.chain;
  }

  async stop(): Promise<void> {
    await this.informer?.stop();
    await this.chain;
  }

  private async apply(cidr: string): Promise<void> {
    try {
      await this.runtime.updateRuntimeConfig({ runtime_config: { network_config: { pod_cidr: cidr } } });
      const previous = this.applied;
      this.applied = cidr;
      this.log.info({ podCIDR: cidr, ...(previous ? { previous } : {}) }, 'pod CIDR handed to the runtime');
      this.onApplied(cidr);
    } catch (err) {
      this.log.warn({ podCIDR: cidr, err: err instanceof Error ? err.message : String(err) }, 'runtime refused the pod CIDR; will retry');
    } finally {
      if (this.applying === cidr) this.applying = undefined;
    }
  }
}

// The node IPAM controller (upstream's pkg/controller/nodeipam with the range allocator): every Node gets
// spec.podCIDR and spec.podCIDRs, the lowest free subnet of the cluster CIDR (/24 of 10.244.0.0/16 by
// default); the subnet is freed when the Node is deleted. At start the used set is rebuilt from the Nodes
// in the informer cache, so a restarted controller never hands out a subnet a Node already holds.
//
// Concurrency: allocation decisions run on one worker, so two Nodes never get the same subnet from this
// controller; the write is an update checked against a freshly read resourceVersion, retried on 409, so a
// kubelet or user writing the same Node at the same time cannot lose or double the assignment. A subnet
// chosen for a Node stays reserved for that Node (by uid) until the Node is gone, even while our own write
// has not reached the informer yet. Only one nodeipam may run per cluster (as upstream, which elects a
// leader): two would each think a subnet free and give it to different Nodes.
import { ConflictError, NotFoundError } from '../../../api/errors.js';
import type { Node } from '../../../api/index.js';
import type { Informer } from '../../../client/index.js';
import type { ControllerContext } from '../controller-context.js';
import { QueueController } from '../queue-controller.js';
import { nodesResource } from '../resources.js';
import { CidrSet, cidrsOverlap } from './cidr-set.js';

/** Upstream's kube-controller-manager --cluster-cidr has no default; Skiff's `server` defaults to flannel's. */
export const defaultClusterCIDR = '10.244.0.0/16';
/** Upstream's --node-cidr-mask-size default for IPv4. */
export const defaultNodeCIDRMaskSize = 24;
/** The event source upstream's range allocator records under. */
const eventComponent = 'cidrAllocator';
/** Read-modify-write attempts on 409 before the key goes back to the queue. */
const maxWriteAttempts = 5;

export interface NodeIpamOptions {
  /** The pod network the node subnets are cut from (default 10.244.0.0/16). */
  clusterCIDR?: string;
  /** Prefix length of each Node's subnet (default 24). */
  nodeCIDRMaskSize?: number;
}

interface Held {
  uid: string;
  cidr: string;
}

export class NodeIpamController extends QueueController {
  private readonly nodes: Informer<Node>;
  readonly cidrs: CidrSet;
  /** What the used set holds for each Node name, and for which incarnation (uid) of it. */
  private readonly held = new Map<string, Held>();
  /** Nodes that found the range full; retried when a subnet is freed. */
  private readonly waiting = new Set<string>();

  /** Throws on an unusable cluster CIDR / mask size pair (before anything starts). */
  constructor(ctx: ControllerContext, options: NodeIpamOptions = {}) {
    super('nodeipam', ctx);
    this.cidrs = new CidrSet(options.clusterCIDR ?? defaultClusterCIDR, options.nodeCIDRMaskSize ?? defaultNodeCIDRMaskSize);
    this.nodes = ctx.informers.forResource<Node>(nodesResource);
    const enqueue = (n: Node): void => this.queue.add(n.metadata.name ?? '');
    this.nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  }

  /** Rebuilds the used set from the synced cache, then runs ONE worker whatever is asked: see the header. */
  override run(_workers: number): Promise<void> {
    for (const node of this.nodes.list()) this.occupy(node);
    this.log.info({ clusterCIDR: this.cidrs.clusterCIDR, maskSize: this.cidrs.nodeMaskSize, used: this.cidrs.usedCount, capacity: this.cidrs.capacity }, 'node CIDR allocator ready');
    return super.run(1);
  }

  async reconcile(name: string): Promise<void> {
    const node = this.nodes.get(name);
    const held = this.held.get(name);
    if (!node) {
      if (held) this.release(name);
      return;
    }
    if (held && held.uid !== node.metadata.uid) this.release(name); // deleted and re-created under the same name
    if (node.spec?.podCIDR) {
      this.occupy(node);
      return;
    }
    await this.assign(node);
  }

  /** Records the subnet a Node already holds. */
  private occupy(node: Node): void {
    const name = node.metadata.name ?? '';
    const cidr = node.spec?.podCIDR;
    if (!cidr) return;
    const held = this.held.get(name);
    if (held?.cidr === cidr && held.uid === node.metadata.uid) return;
    if (held) this.release(name);
    if (!this.cidrs.occupy(cidr)) {
      this.log.warn({ node: name, podCIDR: cidr, clusterCIDR: this.cidrs.clusterCIDR }, 'node holds a pod CIDR outside the cluster CIDR; leaving it alone');
      return;
    }
    this.held.set(name, { uid: node.metadata.uid ?? '', cidr });
    this.waiting.delete(name);
  }

  /** Frees what `name` held, unless another Node holds an overlapping subnet too (hand-set duplicates). */
  private release(name: string): void {
    const held = this.held.get(name);
    if (!held) return;
    this.held.delete(name);
    const sharedWith = [...this.held.values()].some((h) => cidrsOverlap(h.cidr, held.cidr));
    if (!sharedWith) this.cidrs.release(held.cidr);
    this.log.info({ node: name, podCIDR: held.cidr }, 'released node pod CIDR');
    for (const w of this.waiting) this.queue.add(w);
  }

  /** Picks (or re-uses the reserved) subnet and writes it to the Node with a resourceVersion-checked update. */
  private async assign(cached: Node): Promise<void> {
    const name = cached.metadata.name ?? '';
    let held = this.held.get(name);
    if (!held) {
      const cidr = this.cidrs.allocateNext();
      if (!cidr) {
        this.rangeFull(cached);
        return;
      }
      held = { uid: cached.metadata.uid ?? '', cidr };
      this.held.set(name, held);
    }
    for (let attempt = 0; attempt < maxWriteAttempts; attempt++) {
      let fresh: Node;
      try {
        fresh = await this.ctx.client.get<Node>(nodesResource, name);
      } catch (err) {
        if (err instanceof NotFoundError) this.release(name);
        throw err;
      }
      if (fresh.metadata.uid !== held.uid) {
        // The Node we reserved for is gone and a new one took its name: start over for the new one.
        this.release(name);
        this.queue.add(name);
        return;
      }
      if (fresh.spec?.podCIDR) {
        this.occupy(fresh);
        return;
      }
      try {
        await this.ctx.client.update<Node>(nodesResource, { ...fresh, spec: { ...fresh.spec, podCIDR: held.cidr, podCIDRs: [held.cidr] } });
      } catch (err) {
        if (err instanceof ConflictError) continue;
        throw err;
      }
      this.waiting.delete(name);
      this.log.info({ node: name, podCIDR: held.cidr }, 'assigned node pod CIDR');
      return;
    }
    throw new ConflictError({ kind: 'nodes', name }, 'the node kept changing while its pod CIDR was being written');
  }

  private rangeFull(node: Node): void {
    const name = node.metadata.name ?? '';
    if (!this.waiting.has(name)) {
      this.waiting.add(name);
      this.log.error({ node: name, clusterCIDR: this.cidrs.clusterCIDR, capacity: this.cidrs.capacity }, 'no pod CIDR left for node: the cluster CIDR is full');
    }
    this.ctx.recorder.event(eventComponent, node, 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
  }
}

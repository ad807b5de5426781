// The node's heartbeat Lease in kube-node-lease, as upstream's nodelease controller: named after the node,
// holder the node, leaseDurationSeconds 40, renewTime refreshed every 10 s, owned by the Node (so it goes
// with it).
import type { Lease, Node } from '../../../api/index.js';
import { ConflictError, NotFoundError } from '../../../api/errors.js';
import type { Logger } from 'pino';
import type { Clock, RestClient } from '../../../client/index.js';
import { leasesResource } from '../resources.js';
import { toMicroTime } from '../time.js';
import { findResource } from '../../../api/resources.js';

export const leaseNamespace = 'kube-node-lease';
export const leaseDurationSeconds = 40;
export const leaseRenewIntervalMs = 10_000;

export class NodeLease {
  constructor(
    private readonly client: RestClient,
    private readonly nodeName: string,
    private readonly node: () => Node | undefined,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  private fresh(): Lease {
    const node = this.node();
    const nowText = toMicroTime(this.clock.now());
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.nodeName,
        namespace: leaseNamespace,
        ownerReferences: node?.metadata.uid ? [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: node.metadata.uid }] : [],
      },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds, renewTime: nowText, acquireTime: nowText },
    };
  }

  private async ensureNamespace(): Promise<void> {
    const ns = findResource('', 'v1', 'namespaces');
    if (!ns) return;
    await this.client.create(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: leaseNamespace } }).catch(() => undefined);
  }

  /** Creates or renews the lease. */
  async renew(): Promise<Lease> {
    let lease: Lease;
    try {
      lease = await this.client.get<Lease>(leasesResource, this.nodeName, { namespace: leaseNamespace });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      try {
        return await this.client.create<Lease>(leasesResource, this.fresh());
      } catch (createErr) {
        if (!(createErr instanceof NotFoundError)) throw createErr;
        await this.ensureNamespace();
        return await this.client.create<Lease>(leasesResource, this.fresh());
      }
    }
    const updated: Lease = {
      ...lease,
      spec: { ...lease.spec, holderIdentity: this.nodeName, leaseDurationSeconds, renewTime: toMicroTime(this.clock.now()) },
    };
    if (!lease.metadata.ownerReferences?.length) updated.metadata = { ...lease.metadata, ownerReferences: this.fresh().metadata.ownerReferences };
    try {
      return await this.client.update<Lease>(leasesResource, updated);
    } catch (err) {
      if (err instanceof ConflictError) this.log.debug({ node: this.nodeName }, 'lease renewal conflicted; next period retries');
      throw err;
    }
  }
}

// Registers the Node and keeps its status current, as upstream's kubelet_node_status: create the Node (or
// adopt an existing one), then every 10 s compute the status and write it when it changed, or at least
// every nodeStatusReportFrequency (5 min) as a heartbeat.
import type { Node } from '../../../api/index.js';
import { AlreadyExistsError } from '../../../api/errors.js';
import type { Logger } from 'pino';
import type { Clock, RestClient } from '../../../client/index.js';
import { canonical } from '../status/index.js';
import { nodesResource } from '../resources.js';
import { nodeStatus, withoutHeartbeats, type NodeStatusInput } from './node-status.js';

export const nodeStatusUpdateFrequencyMs = 10_000;
export const nodeStatusReportFrequencyMs = 5 * 60_000;

export class NodeRegistrar {
  private lastReportMs = 0;
  /** The Node as last read or written. */
  node: Node | undefined;

  constructor(
    private readonly client: RestClient,
    private readonly nodeName: string,
    private readonly input: () => NodeStatusInput,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Creates the Node (adopting an existing one) and reports its status once. */
  async register(): Promise<Node> {
    const input = this.input();
    const labels = {
      'kubernetes.io/hostname': this.nodeName,
      'kubernetes.io/os': input.machine.operatingSystem,
      'kubernetes.io/arch': input.machine.architecture,
      'beta.kubernetes.io/os': input.machine.operatingSystem,
      'beta.kubernetes.io/arch': input.machine.architecture,
    };
    try {
      this.node = await this.client.create<Node>(nodesResource, { apiVersion: 'v1', kind: 'Node', metadata: { name: this.nodeName, labels }, spec: {}, status: nodeStatus(input, undefined) });
      this.log.info({ node: this.nodeName }, 'node registered');
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      this.node = await this.client.get<Node>(nodesResource, this.nodeName);
      this.log.info({ node: this.nodeName }, 'node already registered; adopting it');
    }
    await this.report(true);
    return this.node;
  }

  /** Writes the status when it changed or the report period passed (or `force`). Answers whether it wrote. */
  async report(force = false): Promise<boolean> {
    const current = await this.client.get<Node>(nodesResource, this.nodeName);
    this.node = current;
    const input = this.input();
    const status = nodeStatus(input, current);
    const changed = canonical(withoutHeartbeats(status)) !== canonical(withoutHeartbeats(current.status));
    if (!force && !changed && input.nowMs - this.lastReportMs < nodeStatusReportFrequencyMs) return false;
    this.node = await this.client.patch<Node>(nodesResource, this.nodeName, { status }, { subresource: 'status' });
    this.lastReportMs = input.nowMs;
    return true;
  }
}

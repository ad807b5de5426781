// NodeInfo (upstream's framework.NodeInfo): one node with the sums the filters and scores read, kept up
// to date as pods are bound, assumed or removed, so a decision never walks a node's pods.
import type { Node } from '../../api/types/node.js';
import type { Pod } from '../../api/types/pod.js';
import { amountsFromList, emptyAmounts, podNonZeroRequests, podRequestAmounts, type ResourceAmounts } from './resources.js';

/** A host port in use: protocol, port and the host IP it binds ('0.0.0.0' for all). */
export interface HostPort {
  protocol: string;
  port: number;
  hostIP: string;
}

/** What the scheduler keeps per pod: derived once when the pod enters the cache. */
export interface PodInfo {
  key: string;
  pod: Pod;
  requests: ResourceAmounts;
  nonZero: { milliCpu: number; memoryBytes: number };
  hostPorts: HostPort[];
  /** UID of the pod's controller owner (ReplicaSet, Job, ...), for spreading. */
  ownerUid: string | undefined;
}

/** The pod's host ports; unset protocol is TCP and unset hostIP all addresses, as upstream. */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ protocol: p.protocol ?? 'TCP', port: p.hostPort, hostIP: p.hostIP || '0.0.0.0' });
    }
  }
  return out;
}

/** The UID of the owner reference marked controller, if any. */
export function controllerOwnerUid(pod: Pod): string | undefined {
  return pod.metadata.ownerReferences?.find((o) => o.controller === true)?.uid;
}

export function newPodInfo(key: string, pod: Pod): PodInfo {
  return {
    key,
    pod,
    requests: podRequestAmounts(pod),
    nonZero: podNonZeroRequests(pod),
    hostPorts: podHostPorts(pod),
    ownerUid: controllerOwnerUid(pod),
  };
}

export class NodeInfo {
  node: Node;
  allocatable: ResourceAmounts = emptyAmounts();
  /** The node's pod count limit (allocatable pods). */
  allowedPodNumber = 0;
  readonly requested: ResourceAmounts = emptyAmounts();
  readonly nonZeroRequested = { milliCpu: 0, memoryBytes: 0 };
  readonly pods = new Map<string, PodInfo>();
  /** `protocol/port` → host IPs bound, each with a use count. */
  private readonly usedPorts = new Map<string, Map<string, number>>();
  private readonly ownerCounts = new Map<string, number>();

  constructor(node: Node) {
    this.node = node;
    this.setNode(node);
  }

  get name(): string {
    return this.node.metadata.name ?? '';
  }

  /** Replaces the Node object (labels, taints, allocatable may have changed); the pod sums stay. */
  setNode(node: Node): void {
    this.node = node;
    const { amounts, pods } = amountsFromList(node.status?.allocatable ?? node.status?.capacity);
    this.allocatable = amounts;
    this.allowedPodNumber = pods;
  }

  addPod(info: PodInfo): void {
    if (this.pods.has(info.key)) this.removePod(info.key);
    this.pods.set(info.key, info);
    this.apply(info, 1);
  }

  removePod(key: string): boolean {
    const info = this.pods.get(key);
    if (!info) return false;
    this.pods.delete(key);
    this.apply(info, -1);
    return true;
  }

  /** Pods of this controller owner on the node (assumed ones included). */
  ownerCount(uid: string): number {
    return this.ownerCounts.get(uid) ?? 0;
  }

  /** True when `port` clashes with a port in use: same protocol and port, and either side binds all addresses or both the same IP. */
  portInUse(port: HostPort): boolean {
    const ips = this.usedPorts.get(`${port.protocol}/${port.port}`);
    if (!ips || ips.size === 0) return false;
    if (port.hostIP === '0.0.0.0') return true;
    return ips.has('0.0.0.0') || ips.has(port.hostIP);
  }

  private apply(info: PodInfo, sign: 1 | -1): void {
    const r = this.requested;
    r.milliCpu += sign * info.requests.milliCpu;
    r.memoryBytes += sign * info.requests.memoryBytes;
    r.ephemeralStorageBytes += sign * info.requests.ephemeralStorageBytes;
    for (const [name, v] of info.requests.scalarMilli) r.scalarMilli.set(name, (r.scalarMilli.get(name) ?? 0) + sign * v);
    this.nonZeroRequested.milliCpu += sign * info.nonZero.milliCpu;
    this.nonZeroRequested.memoryBytes += sign * info.nonZero.memoryBytes;
    for (const p of info.hostPorts) {
      const k = `${p.protocol}/${p.port}`;
      const ips = this.usedPorts.get(k) ?? new Map<string, number>();
      const n = (ips.get(p.hostIP) ?? 0) + sign;
      if (n > 0) ips.set(p.hostIP, n);
      else ips.delete(p.hostIP);
      if (ips.size > 0) this.usedPorts.set(k, ips);
      else this.usedPorts.delete(k);
    }
    if (info.ownerUid) {
      const n = (this.ownerCounts.get(info.ownerUid) ?? 0) + sign;
      if (n > 0) this.ownerCounts.set(info.ownerUid, n);
      else this.ownerCounts.delete(info.ownerUid);
    }
  }
}

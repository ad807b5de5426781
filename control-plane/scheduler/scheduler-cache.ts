// The scheduler's view of the cluster (upstream's internal/cache): every node with the pods bound or
// assumed on it. "Assume" puts a pod on its chosen node the moment the decision is made, so the next
// decision already counts it, long before the watch reports the binding; "forget" undoes that when the
// binding fails. The informers' pod events then confirm (or move) what was assumed.
import type { Node } from '../../api/types/node.js';
import type { Pod } from '../../api/types/pod.js';
import { NodeInfo, newPodInfo } from './node-info.js';

interface PodState {
  nodeName: string;
  assumed: boolean;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  /** Nodes known from Node objects, in arrival order: the scheduling loop walks this list round-robin. */
  private order: NodeInfo[] = [];
  /** Node infos that only hold pods whose Node object is not (or no longer) known. */
  private readonly ghosts = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();

  /** Known nodes in a stable order; do not mutate. */
  nodeList(): readonly NodeInfo[] {
    return this.order;
  }

  nodeCount(): number {
    return this.order.length;
  }

  getNode(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  addOrUpdateNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const known = this.nodes.get(name);
    if (known) {
      known.setNode(node);
      return;
    }
    const ghost = this.ghosts.get(name);
    const info = ghost ?? new NodeInfo(node);
    if (ghost) {
      ghost.setNode(node);
      this.ghosts.delete(name);
    }
    this.nodes.set(name, info);
    this.order.push(info);
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    this.nodes.delete(name);
    this.order = this.order.filter((n) => n !== info);
    // Pods still bound there keep counting until their own delete events arrive.
    if (info.pods.size > 0) this.ghosts.set(name, info);
  }

  /** True when the pod is assumed (decided, binding not yet confirmed by the watch). */
  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed === true;
  }

  /** Counts `pod` on `nodeName` before the binding is confirmed. */
  assume(key: string, pod: Pod, nodeName: string): void {
    this.place(key, pod, nodeName, true);
  }

  /** Undoes `assume` after a failed binding; a pod the watch already confirmed stays. */
  forget(key: string): void {
    const state = this.podStates.get(key);
    if (!state?.assumed) return;
    this.unplace(key, state.nodeName);
  }

  /** A pod with spec.nodeName from the informer: confirms an assumed pod or adds/moves a bound one. */
  addOrUpdateBoundPod(key: string, pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    this.place(key, pod, nodeName, false);
  }

  /** The pod was deleted or became terminal: it no longer uses its node. */
  removePod(key: string): void {
    const state = this.podStates.get(key);
    if (state) this.unplace(key, state.nodeName);
  }

  private infoFor(nodeName: string): NodeInfo {
    const info = this.nodes.get(nodeName) ?? this.ghosts.get(nodeName);
    if (info) return info;
    const ghost = new NodeInfo({ metadata: { name: nodeName } });
    this.ghosts.set(nodeName, ghost);
    return ghost;
  }

  private place(key: string, pod: Pod, nodeName: string, assumed: boolean): void {
    const old = this.podStates.get(key);
    if (old && old.nodeName !== nodeName) this.unplace(key, old.nodeName);
    this.infoFor(nodeName).addPod(newPodInfo(key, pod));
    this.podStates.set(key, { nodeName, assumed });
  }

  private unplace(key: string, nodeName: string): void {
    this.podStates.delete(key);
    const info = this.nodes.get(nodeName) ?? this.ghosts.get(nodeName);
    if (!info) return;
    info.removePod(key);
    if (info.pods.size === 0 && this.ghosts.get(nodeName) === info) this.ghosts.delete(nodeName);
  }
}

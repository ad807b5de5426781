// NodeResourcesFit: the filter checks the pod's requests against what the node has left (allocatable
// minus everything bound or assumed there): pod count, cpu, memory, ephemeral-storage and any extended
// resource, reporting each shortfall as upstream does ("Too many pods", "Insufficient cpu"). The score
// is upstream's default LeastAllocated strategy: the freer the node's cpu and memory after placing the
// pod, the higher (cpu and memory weighted 1 each), using non-zero requests so empty pods still spread.
import type { Pod } from '../../../api/types/pod.js';
import type { CycleState, FilterPlugin, ScorePlugin } from '../framework.js';
import { maxNodeScore, unschedulable } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { podNonZeroRequests, podRequestAmounts, type ResourceAmounts } from '../resources.js';

export const errReasonTooManyPods = 'Too many pods';

/** Upstream's "Insufficient <resource>". */
export function errReasonInsufficient(resource: string): string {
  return `Insufficient ${resource}`;
}

function requestsOf(state: CycleState, pod: Pod): ResourceAmounts {
  let r = state.data.get('NodeResourcesFit') as ResourceAmounts | undefined;
  if (!r) {
    r = podRequestAmounts(pod);
    state.data.set('NodeResourcesFit', r);
  }
  return r;
}

/** The pod's non-zero cpu/memory requests, computed once per cycle. */
export function nonZeroOf(state: CycleState, pod: Pod): { milliCpu: number; memoryBytes: number } {
  let r = state.data.get('NodeResourcesFit/nonZero') as { milliCpu: number; memoryBytes: number } | undefined;
  if (!r) {
    r = podNonZeroRequests(pod);
    state.data.set('NodeResourcesFit/nonZero', r);
  }
  return r;
}

/** The reasons the pod does not fit the node's free resources; empty when it fits. */
export function insufficientResources(req: ResourceAmounts, node: NodeInfo): string[] {
  const reasons: string[] = [];
  if (node.pods.size + 1 > node.allowedPodNumber) reasons.push(errReasonTooManyPods);
  const a = node.allocatable;
  const used = node.requested;
  if (req.milliCpu > 0 && req.milliCpu > a.milliCpu - used.milliCpu) reasons.push(errReasonInsufficient('cpu'));
  if (req.memoryBytes > 0 && req.memoryBytes > a.memoryBytes - used.memoryBytes) reasons.push(errReasonInsufficient('memory'));
  if (req.ephemeralStorageBytes > 0 && req.ephemeralStorageBytes > a.ephemeralStorageBytes - used.ephemeralStorageBytes) {
    reasons.push(errReasonInsufficient('ephemeral-storage'));
  }
  for (const [name, want] of req.scalarMilli) {
    if (want > 0 && want > (a.scalarMilli.get(name) ?? 0) - (used.scalarMilli.get(name) ?? 0)) reasons.push(errReasonInsufficient(name));
  }
  return reasons;
}

export const nodeResourcesFitFilter: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(state, pod, node) {
    const reasons = insufficientResources(requestsOf(state, pod), node);
    return reasons.length === 0 ? undefined : unschedulable('NodeResourcesFit', 'Unschedulable', ...reasons);
  },
};

/** Upstream's leastRequestedScore for one resource: free share after placing the pod, 0..100. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * maxNodeScore) / capacity);
}

export const nodeResourcesLeastAllocated: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  score(state, pod, node) {
    const req = nonZeroOf(state, pod);
    const cpu = leastRequestedScore(node.nonZeroRequested.milliCpu + req.milliCpu, node.allocatable.milliCpu);
    const mem = leastRequestedScore(node.nonZeroRequested.memoryBytes + req.memoryBytes, node.allocatable.memoryBytes);
    return Math.floor((cpu + mem) / 2);
  },
};

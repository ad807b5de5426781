// The FailedScheduling message (upstream's FitError.Error plus DefaultPreemption's post-filter text):
//   0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.
// Each reason is counted over the nodes that gave it, and the "count reason" strings are sorted as
// strings, exactly as upstream's sortReasonsHistogram does. Skiff does not preempt, so the preemption
// part is what upstream prints when its dry run finds no victims: nodes failing for a reason eviction
// cannot fix are "not helpful", the others (resources, ports) found no victims.
import type { Pod } from '../../api/types/pod.js';
import type { FilterFailure } from './framework.js';

/** Upstream's ErrNoNodesAvailable text. */
export const noNodesAvailableMessage = 'no nodes available to schedule pods';
export const preemptionNotHelpful = 'Preemption is not helpful for scheduling';
export const noPreemptionVictims = 'No preemption victims found for incoming pod';

/** "count reason" strings, sorted. */
function histogram(reasons: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

function* allReasons(failures: Iterable<FilterFailure>): Iterable<string> {
  for (const f of failures) yield* f.reasons;
}

function* preemptionReasons(failures: Iterable<FilterFailure>): Iterable<string> {
  for (const f of failures) yield f.code === 'UnschedulableAndUnresolvable' ? preemptionNotHelpful : noPreemptionVictims;
}

/** The post-filter part, as DefaultPreemption words it. */
export function preemptionMessage(pod: Pod, numAllNodes: number, failures: readonly FilterFailure[]): string {
  if (pod.spec?.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  return `preemption: 0/${numAllNodes} nodes are available: ${histogram(preemptionReasons(failures))}.`;
}

/** The whole message for a pod no node fits; `failures` holds one entry per node. */
export function fitErrorMessage(pod: Pod, numAllNodes: number, failures: readonly FilterFailure[]): string {
  if (numAllNodes === 0) return noNodesAvailableMessage;
  return `0/${numAllNodes} nodes are available: ${histogram(allReasons(failures))}. ${preemptionMessage(pod, numAllNodes, failures)}`;
}

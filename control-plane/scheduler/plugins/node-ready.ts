// NodeReady filter: a node whose Ready condition is not True takes no pods. Upstream leaves this to the
// node.kubernetes.io/not-ready and /unreachable NoSchedule taints that the node lifecycle controller
// adds (TaintToleration then filters); Skiff checks the condition too, so a node whose kubelet never
// reported Ready is skipped even before any controller taints it, unless the pod tolerates not-ready.
import { taintToleratedBy } from '../../../api/taints.js';
import type { FilterPlugin } from '../framework.js';
import { unschedulable } from '../framework.js';

/** Upstream's old CheckNodeCondition predicate text. */
export const errReasonNodeNotReady = 'node(s) were not ready';
const notReadyTaint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' as const };

export const nodeReady: FilterPlugin = {
  name: 'NodeReady',
  filter(_state, pod, node) {
    const ready = node.node.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status === 'True') return undefined;
    if (taintToleratedBy(notReadyTaint, pod.spec?.tolerations)) return undefined;
    return unschedulable('NodeReady', 'UnschedulableAndUnresolvable', errReasonNodeNotReady);
  },
};

// NodeUnschedulable filter: a cordoned node (spec.unschedulable) takes no new pods unless the pod
// tolerates the node.kubernetes.io/unschedulable:NoSchedule taint, as upstream.
import { taintToleratedBy } from '../../../api/taints.js';
import type { FilterPlugin } from '../framework.js';
import { unschedulable } from '../framework.js';

export const errReasonUnschedulable = 'node(s) were unschedulable';
const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(_state, pod, node) {
    if (!node.node.spec?.unschedulable) return undefined;
    if (taintToleratedBy(unschedulableTaint, pod.spec?.tolerations)) return undefined;
    return unschedulable('NodeUnschedulable', 'UnschedulableAndUnresolvable', errReasonUnschedulable);
  },
};

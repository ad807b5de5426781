// NodeName filter: a pod that names a node (spec.nodeName set before scheduling, e.g. by a test or a
// DaemonSet of old) fits only that node. Upstream's ErrReason text.
import type { FilterPlugin } from '../framework.js';
import { unschedulable } from '../framework.js';

export const errReasonNodeName = "node(s) didn't match the requested node name";

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(_state, pod, node) {
    const want = pod.spec?.nodeName;
    if (!want || want === node.name) return undefined;
    return unschedulable('NodeName', 'UnschedulableAndUnresolvable', errReasonNodeName);
  },
};

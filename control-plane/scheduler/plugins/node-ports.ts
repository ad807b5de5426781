// NodePorts filter: a pod's host ports must be free on the node (same protocol and port clash when
// either binds all addresses or both bind the same IP). Resolvable by preemption, as upstream.
import type { FilterPlugin } from '../framework.js';
import { unschedulable } from '../framework.js';
import { podHostPorts } from '../node-info.js';

export const errReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(state, pod, node) {
    let ports = state.data.get('NodePorts') as ReturnType<typeof podHostPorts> | undefined;
    if (!ports) {
      ports = podHostPorts(pod);
      state.data.set('NodePorts', ports);
    }
    if (ports.some((p) => node.portInUse(p))) return unschedulable('NodePorts', 'Unschedulable', errReasonNodePorts);
    return undefined;
  },
};

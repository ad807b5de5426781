// NodeAffinity: the filter applies spec.nodeSelector (every label must equal) and the required node
// affinity terms (ORed); the score sums the weights of the preferred terms a node matches, normalised
// so the best node gets 100 (upstream weight 2).
import { nodeSelectorTermMatches, nodeSelectorTermsMatch } from '../../../api/node-affinity.js';
import type { Pod } from '../../../api/types/pod.js';
import type { FilterPlugin, ScorePlugin } from '../framework.js';
import { defaultNormalizeScore, unschedulable } from '../framework.js';
import type { NodeInfo } from '../node-info.js';

export const errReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";

/** True when the node satisfies the pod's nodeSelector and required node affinity. */
export function requiredNodeAffinityMatches(pod: Pod, node: NodeInfo): boolean {
  const labels = node.node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return nodeSelectorTermsMatch(required.nodeSelectorTerms, node.node);
}

export const nodeAffinityFilter: FilterPlugin = {
  name: 'NodeAffinity',
  filter(_state, pod, node) {
    if (requiredNodeAffinityMatches(pod, node)) return undefined;
    return unschedulable('NodeAffinity', 'UnschedulableAndUnresolvable', errReasonNodeAffinity);
  },
};

export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  score(_state, pod, node) {
    let total = 0;
    for (const term of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (term.weight !== 0 && nodeSelectorTermMatches(term.preference, node.node)) total += term.weight;
    }
    return total;
  },
  normalize(_state, _pod, scores) {
    defaultNormalizeScore(scores, false);
  },
};

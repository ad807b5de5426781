// OwnerSpread score (upstream's former SelectorSpread, now the default PodTopologySpread constraints on
// hostname): among pods with the same controller owner (a ReplicaSet's, a Job's), nodes holding fewer
// of them score higher, so replicas land on different nodes. Weight 2, as PodTopologySpread's default.
import type { ScorePlugin } from '../framework.js';
import { maxNodeScore } from '../framework.js';
import { controllerOwnerUid } from '../node-info.js';

export const ownerSpread: ScorePlugin = {
  name: 'OwnerSpread',
  weight: 2,
  score(_state, pod, node) {
    const uid = controllerOwnerUid(pod);
    return uid ? node.ownerCount(uid) : 0;
  },
  normalize(_state, _pod, scores) {
    // Upstream's SelectorSpread normalisation: 100 × (max − count) / max; all 100 when no node has any.
    let max = 0;
    for (const s of scores) if (s > max) max = s;
    for (let i = 0; i < scores.length; i++) {
      scores[i] = max === 0 ? maxNodeScore : Math.floor((maxNodeScore * (max - (scores[i] ?? 0))) / max);
    }
  },
};

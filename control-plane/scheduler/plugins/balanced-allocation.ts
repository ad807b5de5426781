// NodeResourcesBalancedAllocation score: prefers nodes whose cpu and memory would be used in equal
// shares after placing the pod, so one resource is not exhausted while the other idles.
import type { ScorePlugin } from '../framework.js';
import { maxNodeScore } from '../framework.js';
import { nonZeroOf } from './node-resources-fit.js';

/** Upstream weight 1; score = (1 − standard deviation of the cpu and memory shares) × 100. */
export const nodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(state, pod, node) {
    const req = nonZeroOf(state, pod);
    const fractions: number[] = [];
    const a = node.allocatable;
    if (a.milliCpu > 0) fractions.push(Math.min(1, (node.nonZeroRequested.milliCpu + req.milliCpu) / a.milliCpu));
    if (a.memoryBytes > 0) fractions.push(Math.min(1, (node.nonZeroRequested.memoryBytes + req.memoryBytes) / a.memoryBytes));
    if (fractions.length < 2) return maxNodeScore;
    const mean = fractions.reduce((s, f) => s + f, 0) / fractions.length;
    const variance = fractions.reduce((s, f) => s + (f - mean) ** 2, 0) / fractions.length;
    return Math.floor((1 - Math.sqrt(variance)) * maxNodeScore);
  },
};

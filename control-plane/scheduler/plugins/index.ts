// The default plugin set, in upstream's filter order (cheap, unresolvable checks first; the first
// failing filter decides a node's reason, as upstream without RunAllFilters).
import type { FilterPlugin, ScorePlugin } from '../framework.js';
import { nodeAffinityFilter, nodeAffinityScore } from './node-affinity.js';
import { nodeName } from './node-name.js';
import { nodePorts } from './node-ports.js';
import { nodeReady } from './node-ready.js';
import { nodeResourcesBalancedAllocation } from './balanced-allocation.js';
import { nodeResourcesFitFilter, nodeResourcesLeastAllocated } from './node-resources-fit.js';
import { nodeUnschedulable } from './node-unschedulable.js';
import { ownerSpread } from './owner-spread.js';
import { taintTolerationFilter, taintTolerationScore } from './taint-toleration.js';

export const defaultFilterPlugins: readonly FilterPlugin[] = [
  nodeUnschedulable,
  nodeName,
  taintTolerationFilter,
  // After the taints: a node the lifecycle controller tainted not-ready reports the taint, as upstream.
  nodeReady,
  nodeAffinityFilter,
  nodePorts,
  nodeResourcesFitFilter,
];

export const defaultScorePlugins: readonly ScorePlugin[] = [
  taintTolerationScore,
  nodeAffinityScore,
  nodeResourcesLeastAllocated,
  nodeResourcesBalancedAllocation,
  ownerSpread,
];

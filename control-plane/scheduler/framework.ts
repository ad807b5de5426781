// The scheduler framework's plugin seams, as upstream's k8s.io/kube-scheduler/framework: a Filter says
// whether a pod may run on a node (with reasons when not), a Score ranks the nodes that passed, and a
// NormalizeScore maps a plugin's raw scores onto 0..100 across the scored nodes.
import type { Pod } from '../../api/types/pod.js';
import type { NodeInfo } from './node-info.js';

/** The highest score a plugin may give a node after normalisation (upstream's MaxNodeScore). */
export const maxNodeScore = 100;

/**
 * Why a filter failed. `Unschedulable` may be fixed by preempting pods on the node (resources,
 * ports); `UnschedulableAndUnresolvable` cannot (taints, affinity, node name): the preemption part of
 * the FailedScheduling message tells the two apart.
 */
export type FilterCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** A failed filter: its code and the reasons, each counted per node in the FailedScheduling message. */
export interface FilterFailure {
  code: FilterCode;
  reasons: string[];
  plugin: string;
}

/** Undefined means the node passed. */
export type FilterResult = FilterFailure | undefined;

/** Per-pod data a plugin computes once per scheduling cycle (upstream's PreFilter/PreScore state). */
export interface CycleState {
  pod: Pod;
  /** Plugins' private per-cycle data, keyed by plugin name. */
  data: Map<string, unknown>;
}

export interface FilterPlugin {
  readonly name: string;
  filter(state: CycleState, pod: Pod, node: NodeInfo): FilterResult;
}

export interface ScorePlugin {
  readonly name: string;
  /** Upstream default weight, multiplied into the normalised score. */
  readonly weight: number;
  /** A raw score; meaningful only relative to the other nodes' once normalised. */
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  /** Rewrites `scores` in place onto 0..maxNodeScore; absent when the raw score already is. */
  normalize?(state: CycleState, pod: Pod, scores: number[]): void;
}

/** Builds a filter failure. */
export function unschedulable(plugin: string, code: FilterCode, ...reasons: string[]): FilterFailure {
  return { plugin, code, reasons };
}

/**
 * Upstream's DefaultNormalizeScore: scales scores so the highest becomes maxNodeScore; `reverse`
 * flips them (for counts where fewer is better). All-zero input stays zero, or all max when reversed.
 */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) {
      scores[i] = reverse ? maxNodeScore : 0;
      continue;
    }
    const scaled = Math.floor((maxNodeScore * (scores[i] ?? 0)) / max);
    scores[i] = reverse ? maxNodeScore - scaled : scaled;
  }
}

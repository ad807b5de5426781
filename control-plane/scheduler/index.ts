// The scheduler room's door: the Scheduler itself, and the framework pieces other rooms or tests may
// reuse (plugins, the decision algorithm, the failure message).

/** `Scheduler`: `new Scheduler({client, informers?, clock, logger})`, `start()`, `stop()`; binds unbound pods to nodes. */
export { Scheduler, type SchedulerOptions } from './scheduler.js';

/** Plugin seams (Filter, Score) and upstream's score normalisation. */
export {
  maxNodeScore,
  defaultNormalizeScore,
  unschedulable,
  type FilterPlugin,
  type ScorePlugin,
  type FilterResult,
  type FilterFailure,
  type FilterCode,
  type CycleState,
} from './framework.js';

/** The default filter and score plugins, in upstream's order and with upstream's weights. */
export { defaultFilterPlugins, defaultScorePlugins } from './plugins/index.js';

/** One decision over a node list: filters, percentageOfNodesToScore, scores, round-robin tie-break. */
export { ScheduleAlgorithm, numFeasibleNodesToFind, type ScheduleResult, type ScheduleAlgorithmOptions } from './schedule-algorithm.js';

/** The FailedScheduling message, in upstream's exact wording. */
export { fitErrorMessage, noNodesAvailableMessage } from './fit-error.js';

/** The scheduling queue (active, back-off, unschedulable) with upstream's 1 s → 10 s back-off. */
export { SchedulingQueue, podInitialBackoffMs, podMaxBackoffMs, type QueuedPodInfo } from './scheduling-queue.js';

/** The scheduler's cache of nodes and bound/assumed pods, and its per-node sums. */
export { SchedulerCache } from './scheduler-cache.js';
export { NodeInfo, newPodInfo, type PodInfo } from './node-info.js';

/** How a decision is written: `PodBinder` seam and the pods/binding implementation. */
export { ApiBinder, type PodBinder } from './binder.js';

/** The scheduler name pods select by default (spec.schedulerName), also the events' source. */
export { defaultSchedulerName } from './failure-reporter.js';

// The Scheduler: informers feed the cache (nodes, bound pods) and the queue (unbound pods of this
// scheduler); one loop pops a pod, runs the filters and scores over the cache, assumes the pod on the
// chosen node and binds it through pods/binding without waiting, so the next decision starts at once.
// As upstream's scheduleOne with its asynchronous binding cycle.
import { hostname } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ConflictError, NotFoundError } from '../../api/errors.js';
import { findResource, type ResourceInfo } from '../../api/resources.js';
import type { Node } from '../../api/types/node.js';
import type { Pod } from '../../api/types/pod.js';
import { keyOf } from '../../client/cache.js';
import { RealClock, type Clock } from '../../client/clock.js';
import { InformerFactory } from '../../client/informer-factory.js';
import type { Informer } from '../../client/informer.js';
import { defaultLogger, type Logger } from '../../client/log.js';
import type { RestClient } from '../../client/rest-client.js';
import { defaultSchedulerName, FailureReporter } from './failure-reporter.js';
import type { FilterPlugin, ScorePlugin } from './framework.js';
import { ApiBinder, type PodBinder } from './binder.js';
import { nodeSchedulingPropertiesChanged } from './node-changes.js';
import { podSchedulingPropertiesChanged } from './pod-changes.js';
import { defaultFilterPlugins, defaultScorePlugins } from './plugins/index.js';
import { ScheduleAlgorithm } from './schedule-algorithm.js';
import { SchedulerCache } from './scheduler-cache.js';
import { SchedulingQueue, type QueuedPodInfo } from './scheduling-queue.js';

const podsResource = findResource('', 'v1', 'pods') as ResourceInfo;
const nodesResource = findResource('', 'v1', 'nodes') as ResourceInfo;

/** Bindings allowed in flight at once; the loop waits for one to finish beyond this. */
const defaultMaxInFlightBindings = 64;
/** The loop yields to the event loop after this much uninterrupted scheduling, so watches keep flowing. */
const yieldEveryMs = 20;

export interface SchedulerOptions {
  client: RestClient;
  /** Shared informers (the control plane's); a private factory is made when absent. */
  informers?: InformerFactory;
  clock?: Clock;
  logger?: Logger;
  /** Pods whose spec.schedulerName is this (or unset, for the default name) are ours. */
  schedulerName?: string;
  /** Fixed percentage of nodes to find feasible before scoring; unset is upstream's adaptive rule. */
  percentageOfNodesToScore?: number;
  filters?: readonly FilterPlugin[];
  scores?: readonly ScorePlugin[];
  maxInFlightBindings?: number;
  /** How pods are bound; default POST pods/<name>/binding through `client`. */
  binder?: PodBinder;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export class Scheduler {
  private readonly client: RestClient;
  private readonly informers: InformerFactory;
  private readonly ownInformers: boolean;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly schedulerName: string;
  private readonly cache = new SchedulerCache();
  private readonly queue: SchedulingQueue;
  private readonly algorithm: ScheduleAlgorithm;
  private readonly reporter: FailureReporter;
  private readonly maxInFlight: number;
  private readonly binder: PodBinder;
  private podInformer: Informer<Pod> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private signalStopped: () => void = () => undefined;
  /** Resolves on stop(), so a loop still waiting for shared informers to sync ends too. */
  private readonly stoppedPromise = new Promise<false>((resolve) => (this.signalStopped = () => resolve(false)));
  private inFlight = 0;
  private readonly pendingBindings = new Set<Promise<void>>();
  private bindingSlotWaiter: (() => void) | undefined;

  constructor(options: SchedulerOptions) {
    this.client = options.client;
    this.clock = options.clock ?? new RealClock();
    this.log = (options.logger ?? defaultLogger()).child({ component: 'scheduler' });
    this.ownInformers = options.informers === undefined;
    this.informers = options.informers ?? new InformerFactory(options.client, { clock: this.clock, logger: this.log });
    this.schedulerName = options.schedulerName ?? defaultSchedulerName;
    this.queue = new SchedulingQueue({ clock: this.clock });
    this.algorithm = new ScheduleAlgorithm({
      filters: options.filters ?? defaultFilterPlugins,
      scores: options.scores ?? defaultScorePlugins,
      percentageOfNodesToScore: options.percentageOfNodesToScore,
    });
    this.reporter = new FailureReporter({
      client: this.client,
      clock: this.clock,
      logger: this.log,
      schedulerName: this.schedulerName,
      instance: `${this.schedulerName}-${hostname()}`,
    });
    this.maxInFlight = options.maxInFlightBindings ?? defaultMaxInFlightBindings;
    this.binder = options.binder ?? new ApiBinder(this.client);
  }

  /** Starts the informers and, once they have synced, the scheduling loop. Idempotent. */
  start(): void {
    if (this.running || this.stopped) return;
    const nodes = this.informers.forResource<Node>(nodesResource);
    const pods = this.informers.forResource<Pod>(podsResource);
    this.podInformer = pods;
    nodes.addEventHandler({
      onAdd: (n) => this.onNodeAdd(n),
      onUpdate: (o, n) => this.onNodeUpdate(o, n),
      onDelete: (n) => this.cache.removeNode(n.metadata.name ?? ''),
    });
    pods.addEventHandler({
      onAdd: (p) => this.onPod(p, false),
      onUpdate: (o, p) => this.onPod(p, false, o),
      onDelete: (p) => this.onPod(p, true),
    });
    this.informers.start();
    this.running = this.run(nodes, pods);
  }

  /** Stops the loop, waits for bindings in flight, and stops the informers if they are the scheduler's own. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStopped();
    this.queue.close();
    this.bindingSlotWaiter?.();
    await this.running;
    await Promise.allSettled([...this.pendingBindings]);
    if (this.ownInformers) await this.informers.stop();
  }

  /** Queue sizes, for tests and status pages. */
  queueLengths(): { active: number; backoff: number; unschedulable: number } {
    return this.queue.lengths();
  }

  private onNodeAdd(node: Node): void {
    this.cache.addOrUpdateNode(node);
    this.queue.moveAllToActiveOrBackoff();
  }

  private onNodeUpdate(old: Node, node: Node): void {
    this.cache.addOrUpdateNode(node);
    // Heartbeats rewrite the status every few seconds; only changes a filter could see wake parked pods.
    if (nodeSchedulingPropertiesChanged(old, node)) this.queue.moveAllToActiveOrBackoff();
  }

  private isOurs(pod: Pod): boolean {
    const name = pod.spec?.schedulerName;
    return (name === undefined || name === '' ? defaultSchedulerName : name) === this.schedulerName;
  }

  private onPod(pod: Pod, deleted: boolean, old?: Pod): void {
    const key = keyOf(pod);
    if (pod.spec?.nodeName) {
      this.queue.delete(key);
      this.reporter.forget(key);
      if (deleted || isTerminal(pod)) {
        this.cache.removePod(key);
        // Freed resources or ports may let a parked pod fit now.
        this.queue.moveAllToActiveOrBackoff();
        return;
      }
      this.cache.addOrUpdateBoundPod(key, pod);
      return;
    }
    if (deleted || pod.metadata.deletionTimestamp || !this.isOurs(pod) || isTerminal(pod)) {
      this.queue.delete(key);
      this.reporter.forget(key);
      // A pod we assumed and whose binding is still in flight must not be dropped from the cache here.
      if (deleted && this.cache.isAssumed(key)) this.cache.forget(key);
      return;
    }
    // The watch still shows the pod unbound while our binding is in flight: it is not pending again.
    if (this.cache.isAssumed(key)) return;
    this.queue.update(key, pod, old === undefined || podSchedulingPropertiesChanged(old, pod));
  }

  private async run(nodes: Informer<Node>, pods: Informer<Pod>): Promise<void> {
    const bothSynced = Promise.all([nodes.waitForSync(), pods.waitForSync()]).then(([a, b]) => a && b);
    const synced = await Promise.race([bothSynced, this.stoppedPromise]);
    if (!synced || this.stopped) return;
    this.log.info({ nodes: this.cache.nodeCount() }, 'scheduler caches synced, scheduling');
    let sliceStart = Date.now();
    while (!this.stopped) {
      if (this.inFlight >= this.maxInFlight) await new Promise<void>((r) => (this.bindingSlotWaiter = r));
      if (this.stopped) return;
      const info = await this.queue.pop();
      if (!info) return;
      try {
        this.scheduleOne(info);
      } catch (err) {
        this.log.error({ err, pod: info.key }, 'scheduling attempt failed');
        this.queue.addBackoff(info);
      }
      if (Date.now() - sliceStart >= yieldEveryMs) {
        await yieldToEventLoop();
        sliceStart = Date.now();
      }
    }
  }

  private scheduleOne(info: QueuedPodInfo): void {
    // The queue may hold an older copy: decide on the informer's latest.
    const current = this.podInformer?.get(info.key);
    if (!current || current.spec?.nodeName || current.metadata.deletionTimestamp || !this.isOurs(current)) {
      this.queue.done(info.key);
      return;
    }
    info.pod = current;
    const cycle = this.queue.currentCycle();
    const result = this.algorithm.schedule(current, this.cache.nodeList());
    if (result.kind === 'unschedulable') {
      this.log.debug({ pod: info.key, message: result.message }, 'unschedulable');
      this.queue.addUnschedulable(info, cycle);
      this.track(this.reporter.report(info.key, current, result.message));
      return;
    }
    this.cache.assume(info.key, current, result.nodeName);
    this.inFlight++;
    this.track(this.bind(info, result.nodeName));
  }

  private track(p: Promise<void>): void {
    this.pendingBindings.add(p);
    void p.finally(() => this.pendingBindings.delete(p));
  }

  private async bind(info: QueuedPodInfo, nodeName: string): Promise<void> {
    const pod = info.pod;
    try {
      await this.binder.bind(pod, nodeName);
      this.queue.done(info.key);
      this.reporter.forget(info.key);
      this.log.debug({ pod: info.key, node: nodeName }, 'bound');
    } catch (err) {
      this.cache.forget(info.key);
      if (err instanceof ConflictError || err instanceof NotFoundError) {
        // Already bound (by us in an earlier life, or by someone else) or gone: nothing to retry.
        this.log.info({ pod: info.key, node: nodeName, reason: err.message }, 'binding dropped');
        this.queue.done(info.key);
        return;
      }
      this.log.warn({ err, pod: info.key, node: nodeName }, 'binding failed, retrying after back-off');
      this.queue.addBackoff(info);
      // The forgotten pod freed room on the node: parked pods may fit there now.
      this.queue.moveAllToActiveOrBackoff();
      await this.reporter.report(info.key, pod, `Binding rejected: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.inFlight--;
      const waiter = this.bindingSlotWaiter;
      this.bindingSlotWaiter = undefined;
      waiter?.();
    }
  }
}

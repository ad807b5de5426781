// The scheduling queue (upstream's internal/queue PriorityQueue), three parts:
//  - activeQ: pods ready to be tried, highest priority first, then first-in first-out;
//  - backoffQ: pods that failed and wait out their back-off (1 s doubling per attempt, up to 10 s);
//  - unschedulable: pods no node fits; they stay parked until a cluster event (a node added or
//    changed, a pod deleted) might make them fit, then move to backoffQ or activeQ. Pods parked longer
//    than 5 minutes are retried anyway, as upstream's podMaxInUnschedulablePodsDuration.
import type { Clock, Timer } from '../../client/clock.js';
import type { Pod } from '../../api/types/pod.js';
import { KeyedHeap } from './heap.js';

/** Upstream's podInitialBackoffDuration. */
export const podInitialBackoffMs = 1000;
/** Upstream's podMaxBackoffDuration. */
export const podMaxBackoffMs = 10_000;
/** Upstream's podMaxInUnschedulablePodsDuration. */
export const podMaxInUnschedulableMs = 5 * 60_000;
/** How often parked pods are checked against podMaxInUnschedulableMs (upstream: 30 s). */
const unschedulableFlushIntervalMs = 30_000;

/** A pod in the queue, with its attempt history. */
export interface QueuedPodInfo {
  key: string;
  pod: Pod;
  /** Scheduling attempts so far (incremented on pop). */
  attempts: number;
  /** When the pod (re-)entered the queue, in clock ms: FIFO order and the start of its back-off. */
  timestamp: number;
  /** Tie-breaker keeping FIFO exact when timestamps are equal. */
  seq: number;
}

export interface SchedulingQueueOptions {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

function priorityOf(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>((a, b) => {
    const pa = priorityOf(a.pod);
    const pb = priorityOf(b.pod);
    if (pa !== pb) return pa > pb;
    return a.timestamp !== b.timestamp ? a.timestamp < b.timestamp : a.seq < b.seq;
  });
  private readonly backoffQ = new KeyedHeap<QueuedPodInfo>((a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done: a delete or update meanwhile must not resurrect them. */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private seq = 0;
  /** Counts pops; a move request during a cycle sends that cycle's failures to back-off, not parking. */
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private waiters: Array<(info: QueuedPodInfo | undefined) => void> = [];
  private backoffTimer: Timer | undefined;
  private backoffTimerAt = Infinity;
  private flushTimer: Timer | undefined;
  private closed = false;

  constructor(options: SchedulingQueueOptions) {
    this.clock = options.clock;
    this.initialBackoffMs = options.initialBackoffMs ?? podInitialBackoffMs;
    this.maxBackoffMs = options.maxBackoffMs ?? podMaxBackoffMs;
    this.scheduleFlush();
  }

  /** A new unbound pod: straight to activeQ unless already queued. */
  add(key: string, pod: Pod): void {
    if (this.closed) return;
    if (this.inFlight.has(key)) {
      (this.inFlight.get(key) as QueuedPodInfo).pod = pod;
      return;
    }
    const existing = this.activeQ.get(key) ?? this.backoffQ.get(key) ?? this.unschedulable.get(key);
    if (existing) {
      this.update(key, pod);
      return;
    }
    this.pushActive({ key, pod, attempts: 0, timestamp: this.clock.now(), seq: this.seq++ });
  }

  /**
   * The pod changed. Queued copies are refreshed; a parked pod is moved out when `mayFitNow` (its new
   * spec — tolerations, affinity, requests — may fit now), else refreshed in place.
   */
  update(key: string, pod: Pod, mayFitNow = true): void {
    const inFlight = this.inFlight.get(key);
    if (inFlight) {
      inFlight.pod = pod;
      return;
    }
    const active = this.activeQ.get(key);
    if (active) {
      this.activeQ.set(key, { ...active, pod });
      return;
    }
    const backoff = this.backoffQ.get(key);
    if (backoff) {
      this.backoffQ.set(key, { ...backoff, pod });
      return;
    }
    const parked = this.unschedulable.get(key);
    if (parked && !mayFitNow) {
      parked.pod = pod;
      return;
    }
    if (parked) {
      this.unschedulable.delete(key);
      this.requeue({ ...parked, pod });
      return;
    }
    this.add(key, pod);
  }

  /** The pod was deleted, bound elsewhere, or is no longer ours. */
  delete(key: string): void {
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** The next pod to schedule; waits until one is active. Undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const info = this.tryPop();
    if (info || this.closed) return Promise.resolve(info);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next active pod without waiting. */
  tryPop(): QueuedPodInfo | undefined {
    if (this.closed) return undefined;
    this.flushBackoffCompleted();
    const info = this.activeQ.pop();
    if (!info) return undefined;
    info.attempts++;
    this.schedulingCycle++;
    this.inFlight.set(info.key, info);
    return info;
  }

  /** The popped pod was bound (or dropped): it leaves the queue for good. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * A popped pod no node fits. Parked until a cluster event, unless one happened while it was being
   * tried (then back-off, as the event may already have made room). Ignored if deleted meanwhile.
   */
  addUnschedulable(info: QueuedPodInfo, cycle: number): void {
    if (!this.inFlight.has(info.key) || this.closed) return;
    this.inFlight.delete(info.key);
    const requeued = { ...info, timestamp: this.clock.now(), seq: this.seq++ };
    if (this.moveRequestCycle >= cycle) this.pushBackoff(requeued);
    else this.unschedulable.set(info.key, requeued);
  }

  /** A popped pod hit an error (API failure binding it): retry after its back-off. */
  addBackoff(info: QueuedPodInfo): void {
    if (!this.inFlight.has(info.key) || this.closed) return;
    this.inFlight.delete(info.key);
    this.pushBackoff({ ...info, timestamp: this.clock.now(), seq: this.seq++ });
  }

  /** The cycle number of the pod last popped: pass it back to addUnschedulable. */
  currentCycle(): number {
    return this.schedulingCycle;
  }

  /** A cluster event that may make parked pods schedulable: move them all to back-off or active. */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.schedulingCycle;
    if (this.unschedulable.size === 0) return;
    const parked = [...this.unschedulable.values()];
    this.unschedulable.clear();
    for (const info of parked) this.requeue(info);
  }

  /** Back-off of a pod after `attempts` tries: initial × 2^(attempts−1), capped. */
  backoffDurationMs(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  /** Sizes of the three parts, for tests and metrics. */
  lengths(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  /** True when the key waits anywhere in the queue (not counting in-flight pods). */
  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key);
  }

  close(): void {
    this.closed = true;
    this.backoffTimer?.cancel();
    this.flushTimer?.cancel();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(undefined);
  }

  private backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDurationMs(info.attempts);
  }

  private requeue(info: QueuedPodInfo): void {
    if (info.attempts > 0 && this.backoffExpiry(info) > this.clock.now()) this.pushBackoff(info);
    else this.pushActive(info);
  }

  private pushActive(info: QueuedPodInfo): void {
    this.activeQ.set(info.key, info);
    this.wake();
  }

  private pushBackoff(info: QueuedPodInfo): void {
    this.backoffQ.set(info.key, info);
    this.armBackoffTimer();
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.activeQ.size > 0) {
      const w = this.waiters.shift() as (info: QueuedPodInfo | undefined) => void;
      w(this.tryPop());
    }
  }

  private flushBackoffCompleted(): void {
    const now = this.clock.now();
    for (let top = this.backoffQ.peek(); top && this.backoffExpiry(top) <= now; top = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.activeQ.set(top.key, top);
    }
  }

  private armBackoffTimer(): void {
    const top = this.backoffQ.peek();
    if (!top || this.closed) return;
    const at = this.backoffExpiry(top);
    if (this.backoffTimer && this.backoffTimerAt <= at) return;
    this.backoffTimer?.cancel();
    this.backoffTimerAt = at;
    this.backoffTimer = this.clock.setTimer(() => {
      this.backoffTimer = undefined;
      this.backoffTimerAt = Infinity;
      this.flushBackoffCompleted();
      this.wake();
      this.armBackoffTimer();
    }, Math.max(0, at - this.clock.now()));
  }

  private scheduleFlush(): void {
    if (this.closed) return;
    this.flushTimer = this.clock.setTimer(() => {
      const now = this.clock.now();
      for (const [key, info] of this.unschedulable) {
        if (now - info.timestamp < podMaxInUnschedulableMs) continue;
        this.unschedulable.delete(key);
        this.requeue(info);
      }
      this.scheduleFlush();
    }, unschedulableFlushIntervalMs);
  }
}

// One probe (liveness, readiness or startup) of one container, as upstream's prober worker: waits
// initialDelaySeconds from the container's start, probes every periodSeconds, and changes its result only
// after successThreshold successes or failureThreshold failures in a row. Liveness and readiness wait for
// the startup probe to succeed; the startup probe stops once it has. After a liveness or startup failure the
// worker holds until the container is replaced (a new container id).
import type { Container, Probe } from '../../../api/index.js';
import type { Clock, Timer } from '../../../client/index.js';
import type { Prober, ProbeResult } from './prober.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

/** A probe's result as the kubelet uses it; undefined while unknown (startup before its first verdict). */
export type ProbeVerdict = ProbeResult | undefined;

export interface WorkerTarget {
  containerId: string;
  container: Container;
  podIP: string;
  startedAtMs: number;
}

export interface WorkerDeps {
  clock: Clock;
  prober: Prober;
  /** Whether the container's startup probe (if any) has succeeded. */
  started(containerId: string): boolean;
  /** Called whenever the result of this worker changes. */
  onResult(type: ProbeType, containerId: string, verdict: ProbeResult): void;
}

/** The result before any probe ran, as upstream's initial values. */
export function initialVerdict(type: ProbeType): ProbeVerdict {
  if (type === 'readiness') return 'failure';
  if (type === 'liveness') return 'success';
  return undefined;
}

export class ProbeWorker {
  private timer: Timer | undefined;
  private stopped = false;
  private lastResult: ProbeResult | undefined;
  private resultRun = 0;
  private onHold = false;
  private running = false;
  verdict: ProbeVerdict;

  constructor(
    readonly type: ProbeType,
    private readonly probe: Probe,
    readonly target: WorkerTarget,
    private readonly deps: WorkerDeps,
  ) {
    this.verdict = initialVerdict(type);
  }

  start(): void {
    const delayMs = Math.max(0, this.target.startedAtMs + (this.probe.initialDelaySeconds ?? 0) * 1000 - this.deps.clock.now());
    this.schedule(delayMs);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(() => void this.tick(), ms);
  }

  private periodMs(): number {
    return (this.probe.periodSeconds ?? 10) * 1000;
  }

  /** One period: probe (unless gated) and schedule the next. */
  async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    try {
      await this.probeOnce();
    } finally {
      this.running = false;
    }
    if (this.type === 'startup' && this.verdict === 'success') return;
    this.schedule(this.periodMs());
  }

  private async probeOnce(): Promise<void> {
    if (this.onHold) return;
    const id = this.target.containerId;
    if (this.type !== 'startup' && !this.deps.started(id)) return;
    const outcome = await this.deps.prober.probe(this.probe, this.target);
    if (this.stopped) return;
    const result = outcome.result;
    if (result === this.lastResult) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    const failureThreshold = this.probe.failureThreshold ?? 3;
    const successThreshold = this.probe.successThreshold ?? 1;
    if ((result === 'failure' && this.resultRun < failureThreshold) || (result === 'success' && this.resultRun < successThreshold)) return;
    const changed = this.verdict !== result;
    this.verdict = result;
    if (result === 'failure' && this.type !== 'readiness') {
      // The container is going to be killed; nothing to probe until it is replaced.
      this.onHold = true;
    }
    if (changed || (result === 'failure' && this.type !== 'readiness')) this.deps.onResult(this.type, id, result);
  }
}

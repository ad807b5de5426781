// Keeps one ProbeWorker per (pod, container, probe type) for running containers, replacing it when the
// container is replaced, and answers the pod worker's questions: is this container ready, started, or has
// it failed liveness/startup (to be killed)? Result changes wake the pod's worker.
import type { Pod, Probe } from '../../../api/index.js';
import type { Clock } from '../../../client/index.js';
import type { PodRuntimeState } from '../runtime-state.js';
import { attemptsOf } from '../runtime-state.js';
import type { Prober } from './prober.js';
import { ProbeWorker, type ProbeType } from './probe-worker.js';

const probeTypes: ProbeType[] = ['startup', 'liveness', 'readiness'];

function probeOf(c: NonNullable<Pod['spec']>['containers'][number], type: ProbeType): Probe | undefined {
  if (type === 'startup') return c.startupProbe;
  if (type === 'liveness') return c.livenessProbe;
  return c.readinessProbe;
}

export class ProbeManager {
  private readonly workers = new Map<string, ProbeWorker>();

  constructor(
    private readonly clock: Clock,
    private readonly prober: Prober,
    /** Wakes the pod's worker (by uid) when a result changes. */
    private readonly onChange: (uid: string) => void,
  ) {}

  /** Starts, replaces or stops the workers of `pod` for its current containers. */
  syncPod(pod: Pod, state: PodRuntimeState, podIP: string): void {
    const uid = pod.metadata.uid ?? '';
    const wanted = new Set<string>();
    for (const c of pod.spec?.containers ?? []) {
      const latest = attemptsOf(state, c.name)[0];
      if (!latest || latest.state !== 'CONTAINER_RUNNING') continue;
      for (const type of probeTypes) {
        const probe = probeOf(c, type);
        if (!probe) continue;
        const key = `${uid}/${c.name}/${type}`;
        wanted.add(key);
        const existing = this.workers.get(key);
        if (existing && existing.target.containerId === latest.id && existing.target.podIP === podIP) continue;
        existing?.stop();
        const w = new ProbeWorker(type, probe, { containerId: latest.id, container: c, podIP, startedAtMs: latest.startedAtMs }, {
          clock: this.clock,
          prober: this.prober,
          started: (id) => this.started(id),
          onResult: () => this.onChange(uid),
        });
        this.workers.set(key, w);
        w.start();
      }
    }
    for (const [key, w] of this.workers) {
      if (key.startsWith(`${uid}/`) && !wanted.has(key)) {
        w.stop();
        this.workers.delete(key);
      }
    }
  }

  /** Stops every worker of the pod. */
  removePod(uid: string): void {
    for (const [key, w] of this.workers) {
      if (!key.startsWith(`${uid}/`)) continue;
      w.stop();
      this.workers.delete(key);
    }
  }

  private worker(containerId: string, type: ProbeType): ProbeWorker | undefined {
    for (const w of this.workers.values()) if (w.type === type && w.target.containerId === containerId) return w;
    return undefined;
  }

  /** True once the startup probe succeeded (or there is none). */
  started(containerId: string): boolean {
    const w = this.worker(containerId, 'startup');
    return !w || w.verdict === 'success';
  }

  /** Started and passing readiness (or no readiness probe). */
  ready(containerId: string): boolean {
    if (!this.started(containerId)) return false;
    const w = this.worker(containerId, 'readiness');
    return !w || w.verdict === 'success';
  }

  /** Why the container must be killed: a failed liveness or startup probe; undefined when healthy. */
  failure(containerId: string): ProbeType | undefined {
    if (this.worker(containerId, 'startup')?.verdict === 'failure') return 'startup';
    if (this.worker(containerId, 'liveness')?.verdict === 'failure') return 'liveness';
    return undefined;
  }

  /** How many workers run (tests). */
  size(): number {
    return this.workers.size;
  }
}

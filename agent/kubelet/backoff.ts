// Per-container restart back-off, as upstream's flowcontrol.Backoff keyed by pod uid + container name:
// 10 s doubling to 5 min. An entry not updated for twice the maximum (10 min: the container ran that long
// without failing) expires, so the next failure starts again at 10 s.
import type { Clock } from '../../client/index.js';

export const backoffInitialMs = 10_000;
export const backoffMaxMs = 300_000;

interface Entry {
  durationMs: number;
  lastUpdateMs: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly initialMs = backoffInitialMs,
    private readonly maxMs = backoffMaxMs,
  ) {}

  /** The current back-off of `key` in ms (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.durationMs ?? 0;
  }

  /**
   * True while `key` is backing off from an event (a container's finish) at `eventMs`: less than the
   * current back-off has passed since it.
   */
  isInBackOffSince(key: string, eventMs: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    const now = this.clock.now();
    if (this.expired(now, e.lastUpdateMs)) return false;
    return now - eventMs < e.durationMs;
  }

  /** Ms left of the back-off from `eventMs` (0 when not backing off). */
  remainingMs(key: string, eventMs: number): number {
    if (!this.isInBackOffSince(key, eventMs)) return 0;
    return this.get(key) - (this.clock.now() - eventMs);
  }

  /** Records a restart after an event at `eventMs`: starts at the initial back-off or doubles it. */
  next(key: string, eventMs: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventMs, e.lastUpdateMs)) {
      this.entries.set(key, { durationMs: this.initialMs, lastUpdateMs: eventMs });
      return;
    }
    e.durationMs = Math.min(e.durationMs * 2, this.maxMs);
    e.lastUpdateMs = eventMs;
  }

  /** Forgets `key` (the pod went away). */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose key starts with `prefix` (all containers of a pod). */
  resetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  private expired(eventMs: number, lastUpdateMs: number): boolean {
    return eventMs - lastUpdateMs > 2 * this.maxMs;
  }
}

/** Go's time.Duration text for whole seconds (`10s`, `1m20s`, `5m0s`), as upstream's messages print it. */
export function formatGoDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}

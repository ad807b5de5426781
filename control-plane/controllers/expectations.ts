// Upstream's (UIDTracking)ControllerExpectations: after a controller asks for N creations or deletions it
// must not act on the same key again until its informer has observed them, or it would act twice on a
// cache that does not show its own writes yet. Expectations expire (5 minutes, as upstream) so a lost
// watch event cannot wedge a controller forever.
import type { Clock } from '../../client/index.js';

export const expectationsTimeoutMs = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  /** Keys (namespace/name) of the objects whose deletion is awaited. */
  deletes: Set<string>;
  setAtMs: number;
}

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when nothing is awaited for `key`, or what was awaited is too old to keep waiting for. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.clock.now() - e.setAtMs > expectationsTimeoutMs;
  }

  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { adds: count, deletes: new Set(), setAtMs: this.clock.now() });
  }

  expectDeletions(key: string, objectKeys: string[]): void {
    this.byKey.set(key, { adds: 0, deletes: new Set(objectKeys), setAtMs: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.adds--;
  }

  /** A creation that failed (or was skipped) will never be observed: stop waiting for it. */
  lowerCreations(key: string, count: number): void {
    const e = this.byKey.get(key);
    if (e) e.adds -= count;
  }

  deletionObserved(key: string, objectKey: string): void {
    this.byKey.get(key)?.deletes.delete(objectKey);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }
}

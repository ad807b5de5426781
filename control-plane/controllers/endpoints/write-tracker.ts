// Upstream's endpointSliceTracker, reduced: the controller remembers the resourceVersions it wrote (and the
// names it deleted) per Service, and treats its cache as stale until the informer shows them, so a
// reconcile right after a write never creates a duplicate slice from a cache that lags its own writes.
import type { KubeObject } from '../../../api/object.js';
import type { Clock } from '../../../client/index.js';

const deleted = 'deleted';
/** A write someone else undid at once (deleted our new slice) must not block the Service forever. */
const maxWaitMs = 30_000;

export class WriteTracker {
  private readonly expected = new Map<string, Map<string, string>>();
  private readonly since = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  wrote(key: string, obj: KubeObject): void {
    this.forKey(key).set(obj.metadata.name ?? '', obj.metadata.resourceVersion ?? '0');
  }

  deleted(key: string, name: string): void {
    this.forKey(key).set(name, deleted);
  }

  /** True when `cached` does not yet reflect every write made for `key`; clears the record once it does. */
  stale(key: string, cached: KubeObject[]): boolean {
    const want = this.expected.get(key);
    if (!want) return false;
    if (this.clock.now() - (this.since.get(key) ?? 0) > maxWaitMs) {
      this.forget(key);
      return false;
    }
    for (const [name, rv] of want) {
      const found = cached.find((o) => o.metadata.name === name);
      if (rv === deleted ? found !== undefined : !found || Number(found.metadata.resourceVersion ?? 0) < Number(rv)) return true;
    }
    this.forget(key);
    return false;
  }

  forget(key: string): void {
    this.expected.delete(key);
    this.since.delete(key);
  }

  private forKey(key: string): Map<string, string> {
    let m = this.expected.get(key);
    if (!m) this.expected.set(key, (m = new Map()));
    this.since.set(key, this.clock.now());
    return m;
  }
}

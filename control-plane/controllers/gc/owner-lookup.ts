// Resolving an ownerReference to the owner's current state, as the garbage collector needs it: the cache
// first, and a live GET before ever calling an owner absent (a cache may simply not have seen it yet;
// upstream's attemptToDeleteItem does the same live lookup). Owners known to be absent are remembered.
import { NotFoundError } from '../../../api/errors.js';
import type { KubeObject, OwnerReference } from '../../../api/object.js';
import { findResourceByKind, groupVersion, type ResourceInfo } from '../../../api/resources.js';
import type { Informer, RestClient } from '../../../client/index.js';
import { byUid } from '../index-funcs.js';

export type OwnerState = { state: 'present'; owner: KubeObject } | { state: 'absent' } | { state: 'unknown' };

const absentCacheSize = 1000;

export function resourceId(r: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return `${r.group}/${r.plural}`;
}

export class OwnerLookup {
  /** uids known not to exist (an LRU by insertion order), so a deleted owner's many dependents cost one GET. */
  private readonly absent = new Set<string>();

  constructor(
    private readonly client: RestClient,
    private readonly informers: ReadonlyMap<string, Informer<KubeObject>>,
  ) {}

  async resolve(ref: OwnerReference, dependentNamespace: string | undefined): Promise<OwnerState> {
    const r = findResourceByKind(ref.apiVersion, ref.kind);
    // An owner of a kind we do not serve cannot be checked: never collect on a guess.
    if (!r) return { state: 'unknown' };
    if (r.namespaced && !dependentNamespace) return { state: 'absent' };
    const namespace = r.namespaced ? dependentNamespace : undefined;
    if (this.absent.has(ref.uid)) return { state: 'absent' };
    const cached = this.informers.get(resourceId(r))?.byIndex(byUid, ref.uid).find((o) => o.metadata.namespace === namespace);
    if (cached) return { state: 'present', owner: cached };
    try {
      const live = await this.client.get(r, ref.name, { namespace });
      if (live.metadata.uid === ref.uid) return { state: 'present', owner: { ...live, apiVersion: groupVersion(r), kind: r.kind } };
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    this.markAbsent(ref.uid);
    return { state: 'absent' };
  }

  private markAbsent(uid: string): void {
    this.absent.add(uid);
    if (this.absent.size > absentCacheSize) {
      const oldest = this.absent.values().next().value;
      if (oldest !== undefined) this.absent.delete(oldest);
    }
  }
}

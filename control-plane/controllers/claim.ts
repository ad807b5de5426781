// Adoption and release (upstream's ControllerRefManager): a controller owns the objects whose controller
// reference names it; it adopts orphans its selector matches and releases owned objects its selector no
// longer matches. Objects controlled by someone else are never touched.
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { Selector } from '../../api/index.js';
import { NotFoundError } from '../../api/errors.js';
import type { RestClient } from '../../client/index.js';
import { controllerOf, controllerRef, withoutOwner } from './owner-refs.js';

export interface ClaimRequest<T extends KubeObject> {
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  selector: Selector;
  /** Candidates in the owner's namespace, from the cache. */
  candidates: T[];
  resource: ResourceInfo;
  client: RestClient;
  /**
   * Re-reads the owner from the API server before the first adoption: a cache may still show an owner
   * that was just deleted or re-created, and adopting for it would orphan the object again at once.
   */
  canAdopt: () => Promise<boolean>;
}

/** The candidates the owner controls after adopting and releasing as needed. */
export async function claimObjects<T extends KubeObject>(req: ClaimRequest<T>): Promise<T[]> {
  const claimed: T[] = [];
  const ownerUid = req.owner.metadata.uid ?? '';
  const ownerDeleting = req.owner.metadata.deletionTimestamp !== undefined;
  let adoptable: boolean | undefined;
  for (const obj of req.candidates) {
    const ref = controllerOf(obj);
    const matches = req.selector.matches(obj.metadata.labels);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches) {
        claimed.push(obj);
        continue;
      }
      // Releasing while the owner is being deleted or the object is going away changes nothing useful.
      if (ownerDeleting || obj.metadata.deletionTimestamp) continue;
      await ignoreNotFound(patchOwners(req, obj, withoutOwner(obj, ownerUid)));
      continue;
    }
    if (!matches || ownerDeleting || obj.metadata.deletionTimestamp) continue;
    adoptable ??= await req.canAdopt();
    if (!adoptable) continue;
    const owners = [...(obj.metadata.ownerReferences ?? []), controllerRef(req.owner, req.ownerApiVersion, req.ownerKind)];
    const adopted = await ignoreNotFound(patchOwners(req, obj, owners));
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

/** Replaces the owner references, pinned to the cached resourceVersion so a concurrent change wins (409). */
function patchOwners<T extends KubeObject>(req: ClaimRequest<T>, obj: T, owners: KubeObject['metadata']['ownerReferences']): Promise<T> {
  const patch = { metadata: { ownerReferences: owners ?? [], resourceVersion: obj.metadata.resourceVersion } };
  return req.client.patch<T>(req.resource, obj.metadata.name ?? '', patch, { namespace: obj.metadata.namespace });
}

async function ignoreNotFound<R>(p: Promise<R>): Promise<R | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** canAdopt for the usual case: the owner still exists with the same uid and is not being deleted. */
export function ownerStillCurrent(client: RestClient, resource: ResourceInfo, owner: KubeObject): () => Promise<boolean> {
  return async () => {
    try {
      const fresh = await client.get(resource, owner.metadata.name ?? '', { namespace: owner.metadata.namespace });
      return fresh.metadata.uid === owner.metadata.uid && !fresh.metadata.deletionTimestamp;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  };
}

// GET on a collection: selectors, `limit`/`continue` paging over one snapshot revision, and
// upstream's resourceVersion / resourceVersionMatch semantics.
import { ApiError, BadRequestError, ExpiredError } from '../../api/errors.js';
import type { KubeList, KubeObject } from '../../api/object.js';
import { groupVersion, storagePrefix, type ResourceInfo } from '../../api/resources.js';
import type { ListOptions } from '../storage/store.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { fromStorageShape } from './event-conversion.js';
import type { ObjectFilter } from './object-filter.js';
import type { ResourceContext } from './resource-context.js';

export interface ListQuery {
  namespace?: string;
  filter?: ObjectFilter;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

/** Items fetched per store page while filling a filtered page. */
const scanChunk = 500;

const expiredContinue =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function parseRevision(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new BadRequestError(`invalid resourceVersion "${text}"`);
  return Number(text);
}

/** Where the list starts and at which revision it reads. */
async function startPoint(ctx: ResourceContext, prefix: string, q: ListQuery): Promise<{ atRevision?: number; startAfterKey?: string }> {
  if (q.continueToken) {
    if (q.resourceVersion !== undefined && q.resourceVersion !== '' && q.resourceVersion !== '0') {
      throw new BadRequestError('specifying resource version is not allowed when using continue');
    }
    const position = decodeContinue(q.continueToken, prefix);
    if (position.revision <= (await ctx.store.compactedRevision())) throw new ExpiredError(expiredContinue);
    return { atRevision: position.revision, startAfterKey: position.lastKey };
  }
  const match = q.resourceVersionMatch;
  if (match !== undefined && match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    throw new BadRequestError(`unsupported resourceVersionMatch "${match}"`);
  }
  if (match && (q.resourceVersion === undefined || q.resourceVersion === '')) {
    throw new BadRequestError('resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
  if (q.resourceVersion === undefined || q.resourceVersion === '' || q.resourceVersion === '0') return {};
  const rv = parseRevision(q.resourceVersion);
  if (match === 'Exact') return { atRevision: rv };
  // NotOlderThan: the latest state is never older than rv, as long as rv has been reached.
  const current = await ctx.store.currentRevision();
  if (rv > current) throw new ApiError(504, 'Timeout', `Too large resource version: ${rv}, current: ${current}`, { retryAfterSeconds: 1 });
  return {};
}

export async function listObjects(ctx: ResourceContext, r: ResourceInfo, q: ListQuery): Promise<KubeList> {
  const prefix = storagePrefix(r, q.namespace);
  const start = await startPoint(ctx, prefix, q);
  const limit = q.limit !== undefined && q.limit > 0 ? q.limit : undefined;
  const items: KubeObject[] = [];
  let revision: number | undefined = start.atRevision;
  let after = start.startAfterKey;
  let more = false;
  let remaining: number | undefined;
  let lastKey: string | undefined;
  for (;;) {
    const want = limit === undefined ? undefined : q.filter ? Math.max(scanChunk, limit - items.length) : limit - items.length;
    const options: ListOptions = {
      ...(want !== undefined ? { limit: want } : {}),
      ...(after !== undefined ? { startAfterKey: after } : {}),
      ...(revision !== undefined ? { atRevision: revision } : {}),
    };
    const page = await ctx.store.list(prefix, options);
    revision = page.revision;
    let stoppedEarly = false;
    for (const [i, item] of page.items.entries()) {
      const obj = fromStorageShape(r, item.object);
      if (!q.filter || q.filter(obj)) items.push(obj);
      lastKey = item.key;
      if (limit !== undefined && items.length >= limit) {
        stoppedEarly = i < page.items.length - 1 || page.more;
        break;
      }
    }
    if (stoppedEarly) {
      more = true;
      remaining = q.filter ? undefined : page.remaining !== undefined ? page.remaining + (page.items.length - items.length) : undefined;
      break;
    }
    if (!page.more || page.items.length === 0) break;
    after = page.items[page.items.length - 1]?.key;
  }
  const list: KubeList = {
    apiVersion: groupVersion(r),
    kind: `${r.kind}List`,
    metadata: { resourceVersion: String(revision ?? 0) },
    items,
  };
  if (more && lastKey !== undefined) {
    list.metadata.continue = encodeContinue({ revision: revision ?? 0, lastKey });
    if (remaining !== undefined && remaining > 0) list.metadata.remainingItemCount = remaining;
  }
  return list;
}

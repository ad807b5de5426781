// PUT and PATCH share upstream's GuaranteedUpdate loop: read the current object, compute the new one,
// run defaulting and validation, and compare-and-swap it into the store; a write without a
// resourceVersion precondition retries on conflicts, one with a precondition answers 409.
import { BadRequestError, ConflictError, InvalidError, NotFoundError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { admitUpdate } from './admission.js';
import { applyDefaults, validate } from './api-seams.js';
import { createObject } from './create.js';
import { fromStorageShape, toStorageShape } from './event-conversion.js';
import { checkFields } from './field-check.js';
import { prepareForUpdate } from './object-meta.js';
import { applyPatch, applyPatchType } from './patch/apply-patch.js';
import { removeObject } from './deletion.js';
import {
  checkNamespace,
  checkTypeMeta,
  keyOf,
  subjectOf,
  type ResourceContext,
  type WriteOptions,
} from './resource-context.js';
import { hasStatusSubresource, prepareForUpdateByKind, readyToRemove, tracksGeneration } from './strategies.js';

/** Which part of the object a write may change: the main resource, `status`, or a namespace's `finalize`. */
export type UpdateMode = 'main' | 'status' | 'finalize' | 'binding';

const maxAttempts = 10;

/** Kinds upstream lets PUT create (AllowCreateOnUpdate). */
const createOnUpdate = new Set(['events', 'endpoints', 'leases']);

function merged(mode: UpdateMode, r: ResourceInfo, next: KubeObject, current: KubeObject): KubeObject {
  if (mode === 'binding') return next;
  if (mode === 'status') {
    // Upstream's status strategies: only status changes; metadata stays (ResetObjectMetaForStatus).
    const out: KubeObject = { ...current, metadata: { ...current.metadata } };
    if (next.status === undefined) delete out.status;
    else out.status = next.status;
    return out;
  }
  if (mode === 'finalize') {
    const spec = typeof current.spec === 'object' && current.spec !== null ? current.spec : {};
    const wanted = typeof next.spec === 'object' && next.spec !== null ? (next.spec as Record<string, unknown>).finalizers : undefined;
    return { ...current, metadata: { ...current.metadata }, spec: { ...spec, finalizers: Array.isArray(wanted) ? wanted : [] } };
  }
  if (hasStatusSubresource(r)) {
    // The main resource's writes leave status alone, as upstream's PrepareForUpdate does.
    if (current.status === undefined) delete next.status;
    else next.status = current.status;
  }
  prepareForUpdateByKind(r, next, current);
  return next;
}

/**
 * The GuaranteedUpdate loop. `produce` gets the current object (served shape) and returns the wanted
 * one; `pinned` says whether the caller named a resourceVersion (then a conflict is final).
 */
export async function guaranteedUpdate(
  ctx: ResourceContext,
  r: ResourceInfo,
  namespace: string | undefined,
  name: string,
  mode: UpdateMode,
  options: WriteOptions,
  produce: (current: KubeObject) => KubeObject,
  pinned: boolean,
): Promise<KubeObject> {
  const key = keyOf(r, namespace, name);
  for (let attempt = 1; ; attempt++) {
    const stored = await ctx.store.get(key);
    if (!stored) throw new NotFoundError(subjectOf(r, name));
    const current = fromStorageShape(r, stored.object);
    const wanted = produce(structuredClone(current));
    if (wanted.metadata.name !== undefined && wanted.metadata.name !== name) {
      throw new BadRequestError(`the name of the object (${wanted.metadata.name}) does not match the name on the URL (${name})`);
    }
    const rv = wanted.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== String(stored.modRevision)) {
      if (!/^[0-9]+$/.test(rv)) throw new BadRequestError(`invalid resourceVersion "${rv}"`);
      throw new ConflictError(subjectOf(r, name));
    }
    const next = merged(mode, r, wanted, current);
    next.metadata.name = name;
    checkNamespace(r, next, namespace);
    prepareForUpdate(next, current, tracksGeneration(r));
    // On the merged object: a status write cannot change taints or labels, so it never trips the
    // node checks, whatever stale spec its body carried.
    admitUpdate(r, next, current, options.requester);
    applyDefaults(r, next);
    const errors = mode === 'binding' ? [] : validate(r, next, current);
    if (errors.length > 0) throw new InvalidError({ ...subjectOf(r, name), kind: r.kind }, errors);
    const toStore = toStorageShape(r, next);
    if (options.dryRun) return fromStorageShape(r, { ...toStore, metadata: { ...toStore.metadata, resourceVersion: String(stored.modRevision) } });
    if (readyToRemove(toStore)) {
      // The last finalizer went away on a terminating object: the update completes the delete.
      const removed = await removeObject(ctx, r, key, stored.modRevision).catch((e: unknown) => {
        if (e instanceof ConflictError && !pinned && attempt < maxAttempts) return undefined;
        throw e;
      });
      if (removed) return fromStorageShape(r, removed);
      continue;
    }
    const isService = r.plural === 'services' && r.group === '' && mode === 'main';
    const plan = isService ? await ctx.allocator.plan(toStore, stored.object) : undefined;
    try {
      const written = await ctx.store.update(key, toStore, stored.modRevision);
      await plan?.commit();
      return fromStorageShape(r, written.object);
    } catch (e) {
      await plan?.rollback();
      if (e instanceof NotFoundError) throw new NotFoundError(subjectOf(r, name));
      if (!(e instanceof ConflictError)) throw e;
      if (pinned || attempt >= maxAttempts) throw new ConflictError(subjectOf(r, name));
    }
  }
}

/** PUT on the resource or its status/finalize subresource. */
export async function updateObject(
  ctx: ResourceContext,
  r: ResourceInfo,
  namespace: string | undefined,
  name: string,
  body: KubeObject,
  mode: UpdateMode,
  options: WriteOptions,
): Promise<{ object: KubeObject; created: boolean }> {
  checkTypeMeta(r, body);
  if (body.metadata.name !== name) {
    throw new BadRequestError(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  checkFields(r, body, options);
  checkNamespace(r, body, namespace);
  const pinned = body.metadata.resourceVersion !== undefined && body.metadata.resourceVersion !== '';
  if (mode === 'main' && createOnUpdate.has(r.plural) && !(await ctx.store.get(keyOf(r, namespace, name)))) {
    return { object: await createObject(ctx, r, namespace, { ...body, metadata: { ...body.metadata, name } }, options), created: true };
  }
  const object = await guaranteedUpdate(ctx, r, namespace, name, mode, options, () => structuredClone(body), pinned);
  return { object, created: false };
}

/** PATCH in any of the four patch types; server-side apply creates a missing object. */
export async function patchObject(
  ctx: ResourceContext,
  r: ResourceInfo,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  mediaType: string,
  mode: UpdateMode,
  options: WriteOptions,
): Promise<{ object: KubeObject; created: boolean }> {
  if (mediaType === applyPatchType && mode === 'main' && !(await ctx.store.get(keyOf(r, namespace, name)))) {
    const body = applyPatch(r, { metadata: {} }, patch, mediaType);
    body.metadata.name ??= name;
    if (body.metadata.name !== name) throw new BadRequestError(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    return { object: await createObject(ctx, r, namespace, body, options), created: true };
  }
  const produce = (current: KubeObject): KubeObject => {
    const next = applyPatch(r, current, patch, mediaType);
    checkTypeMeta(r, next);
    checkFields(r, next, { ...options, warnings: attemptWarnings }, 'patch');
    return next;
  };
  let attemptWarnings: string[] = [];
  const wrapped = (current: KubeObject): KubeObject => {
    attemptWarnings = [];
    return produce(current);
  };
  const object = await guaranteedUpdate(ctx, r, namespace, name, mode, options, wrapped, false);
  options.warnings.push(...attemptWarnings);
  return { object, created: false };
}

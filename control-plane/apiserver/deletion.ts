// DELETE, as upstream's graceful deletion and finalizers work:
//  - the propagation policy becomes a garbage-collector finalizer (Orphan → `orphan`, Foreground →
//    `foregroundDeletion`, Background → neither); the garbage collector does the rest;
//  - an object with finalizers only gets deletionTimestamp; the update that removes the last finalizer
//    removes it (see update.ts);
//  - a pod bound to a node is deleted gracefully: deletionTimestamp = now + grace, and it stays until the
//    kubelet deletes it again with gracePeriodSeconds=0; an unscheduled or finished pod goes at once;
//  - a namespace turns Terminating. Emptying it and removing its `kubernetes` finalizer is the namespace
//    controller's job (a later issue), which then calls PUT namespaces/<name>/finalize.
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isRecord } from './body.js';
import { fromStorageShape } from './event-conversion.js';
import { nowTimestamp } from './object-meta.js';
import { keyOf, subjectOf, type ResourceContext } from './resource-context.js';
import { specFinalizers } from './strategies.js';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

/** The garbage collector's finalizers: it orphans the dependents, or deletes them first. */
const orphanFinalizer = 'orphan';
const foregroundFinalizer = 'foregroundDeletion';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  /** The deprecated form of propagationPolicy: true is Orphan, false Background. */
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

const maxAttempts = 10;
const defaultGracePeriodSeconds = 30;

/** Reads DeleteOptions from a body (if any) and the query; the body wins, as upstream. */
export function parseDeleteOptions(body: unknown, query: Record<string, string | undefined>, dryRun: boolean): DeleteOptions {
  const b = isRecord(body) ? body : {};
  const options: DeleteOptions = { dryRun: dryRun || (Array.isArray(b.dryRun) && b.dryRun.includes('All')) };
  const grace = b.gracePeriodSeconds ?? query.gracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    const n = typeof grace === 'number' ? grace : Number(grace);
    if (!Number.isInteger(n)) throw new BadRequestError(`invalid gracePeriodSeconds "${String(grace)}"`);
    options.gracePeriodSeconds = Math.max(0, n);
  }
  const policy = b.propagationPolicy ?? query.propagationPolicy;
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw new BadRequestError(`invalid propagationPolicy "${String(policy)}"`);
    }
    options.propagationPolicy = policy;
  }
  const orphan = b.orphanDependents ?? query.orphanDependents;
  if (orphan !== undefined && orphan !== null) {
    if (orphan !== true && orphan !== false && orphan !== 'true' && orphan !== 'false') {
      throw new BadRequestError(`invalid orphanDependents "${String(orphan)}"`);
    }
    options.orphanDependents = orphan === true || orphan === 'true';
  }
  if (isRecord(b.preconditions)) {
    const { uid, resourceVersion } = b.preconditions;
    options.preconditions = {
      ...(typeof uid === 'string' ? { uid } : {}),
      ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}),
    };
  }
  return options;
}

/** Deletes the key (compare-and-swap) and frees what a Service held. Returns the last state. */
export async function removeObject(ctx: ResourceContext, r: ResourceInfo, key: string, expectedRevision: number): Promise<KubeObject> {
  const deleted = await ctx.store.delete(key, expectedRevision);
  if (r.plural === 'services' && r.group === '') {
    await ctx.allocator.releaseService(deleted.object).catch((e: unknown) => {
      ctx.logger.error({ err: e, service: key }, 'releasing service allocations failed');
    });
  }
  return deleted.object;
}

function podGracePeriod(obj: KubeObject, options: DeleteOptions): number {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const status = isRecord(obj.status) ? obj.status : {};
  if (!spec.nodeName || status.phase === 'Succeeded' || status.phase === 'Failed') return 0;
  if (options.gracePeriodSeconds !== undefined) return options.gracePeriodSeconds;
  const fromSpec = spec.terminationGracePeriodSeconds;
  return typeof fromSpec === 'number' && fromSpec >= 0 ? fromSpec : defaultGracePeriodSeconds;
}

function checkPreconditions(r: ResourceInfo, name: string, obj: KubeObject, options: DeleteOptions): void {
  const p = options.preconditions;
  if (p?.uid !== undefined && p.uid !== obj.metadata.uid) {
    throw new ConflictError(subjectOf(r, name), `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`);
  }
  if (p?.resourceVersion !== undefined && p.resourceVersion !== obj.metadata.resourceVersion) {
    throw new ConflictError(
      subjectOf(r, name),
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`,
    );
  }
}

/**
 * The policy a delete asks for, as upstream's store decides it: propagationPolicy, else the deprecated
 * orphanDependents, else what the object's own GC finalizers say (a second plain delete keeps a
 * foreground or orphaning deletion going), else Background.
 */
function chosenPolicy(obj: KubeObject, options: DeleteOptions): PropagationPolicy {
  if (options.propagationPolicy !== undefined) return options.propagationPolicy;
  if (options.orphanDependents !== undefined) return options.orphanDependents ? 'Orphan' : 'Background';
  const finalizers = obj.metadata.finalizers ?? [];
  if (finalizers.includes(orphanFinalizer)) return 'Orphan';
  if (finalizers.includes(foregroundFinalizer)) return 'Foreground';
  return 'Background';
}

/** The object's finalizers with the GC's one for `policy` (and not the other one). */
function finalizersFor(obj: KubeObject, policy: PropagationPolicy): string[] {
  const kept = (obj.metadata.finalizers ?? []).filter((f) => f !== orphanFinalizer && f !== foregroundFinalizer);
  if (policy === 'Orphan') kept.push(orphanFinalizer);
  if (policy === 'Foreground') kept.push(foregroundFinalizer);
  return kept;
}

/** What the delete turns `obj` into: undefined to remove it now, or the terminating object to store. */
function terminating(r: ResourceInfo, obj: KubeObject, options: DeleteOptions): KubeObject | undefined {
  const m = obj.metadata;
  const isNamespace = r.plural === 'namespaces' && r.group === '';
  const finalizers = finalizersFor(obj, chosenPolicy(obj, options));
  const hasFinalizers = finalizers.length > 0 || (isNamespace && specFinalizers(obj).length > 0);
  const grace = r.plural === 'pods' && r.group === '' ? podGracePeriod(obj, options) : 0;
  if (!hasFinalizers && grace === 0) return undefined;
  const next = structuredClone(obj);
  if (finalizers.length > 0) next.metadata.finalizers = finalizers;
  else delete next.metadata.finalizers;
  if (isNamespace) next.status = { ...(isRecord(obj.status) ? obj.status : {}), phase: 'Terminating' };
  if (m.deletionTimestamp !== undefined) {
    // Already terminating: a second delete may only shorten a pod's grace period.
    const current = m.deletionGracePeriodSeconds ?? 0;
    if (grace >= current) return next;
  }
  next.metadata.deletionTimestamp = nowTimestamp(grace);
  next.metadata.deletionGracePeriodSeconds = grace;
  return next;
}

/** Namespaces upstream's NamespaceLifecycle admission refuses to delete. */
const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

export async function deleteObject(ctx: ResourceContext, r: ResourceInfo, namespace: string | undefined, name: string, options: DeleteOptions): Promise<KubeObject> {
  if (r.plural === 'namespaces' && r.group === '' && immortalNamespaces.has(name)) {
    throw new ForbiddenError(`namespaces "${name}" is forbidden: this namespace may not be deleted`, subjectOf(r, name));
  }
  const key = keyOf(r, namespace, name);
  for (let attempt = 1; ; attempt++) {
    const stored = await ctx.store.get(key);
    if (!stored) throw new NotFoundError(subjectOf(r, name));
    checkPreconditions(r, name, stored.object, options);
    const next = terminating(r, stored.object, options);
    try {
      if (next === undefined) {
        if (options.dryRun) return fromStorageShape(r, stored.object);
        return fromStorageShape(r, await removeObject(ctx, r, key, stored.modRevision));
      }
      if (options.dryRun || JSON.stringify(next) === JSON.stringify(stored.object)) return fromStorageShape(r, next);
      return fromStorageShape(r, (await ctx.store.update(key, next, stored.modRevision)).object);
    } catch (e) {
      if (e instanceof NotFoundError) throw new NotFoundError(subjectOf(r, name));
      if (!(e instanceof ConflictError) || attempt >= maxAttempts) throw e;
    }
  }
}

/** DELETE on a collection: deletes every matching object one by one and answers the list of them. */
export async function deleteCollection(
  ctx: ResourceContext,
  r: ResourceInfo,
  namespace: string | undefined,
  matching: KubeObject[],
  options: DeleteOptions,
): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const obj of matching) {
    try {
      out.push(await deleteObject(ctx, r, namespace ?? obj.metadata.namespace, obj.metadata.name ?? '', { ...options, preconditions: {} }));
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  return out;
}

// What every verb handler shares: the store, the logger, the service allocator, and small helpers
// for keys, error subjects and the namespace a write lands in.
import type { Logger } from 'pino';
import { BadRequestError, ForbiddenError, NotFoundError, type ErrorSubject } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { builtinResources, groupVersion, storageKey, type ResourceInfo } from '../../api/resources.js';
import type { Store, StoredObject } from '../storage/store.js';
import type { AdmissionSettings } from './admission.js';
import type { ServiceAllocator } from './service-allocator.js';
import type { RequestUser } from './strategies.js';

export interface ResourceContext {
  store: Store;
  logger: Logger;
  allocator: ServiceAllocator;
  /** Create-time admission settings; the defaults (300 s tolerations) when absent. */
  admission?: AdmissionSettings;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Per-request write options (query parameters kubectl sends). */
export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** Collected `Warning` header texts. */
  warnings: string[];
  /**
   * The authenticated user making the request, for strategies that record it (a CSR's spec.username)
   * and admission that depends on it (NodeRestriction, on creates, updates and patches); absent for
   * the server's own writes.
   */
  requester?: RequestUser;
}

export function subjectOf(r: ResourceInfo, name?: string): ErrorSubject {
  return { ...(r.group ? { group: r.group } : {}), kind: r.plural, ...(name !== undefined ? { name } : {}) };
}

export function keyOf(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return storageKey(r, r.namespaced ? namespace : undefined, name);
}

const namespaceResource = builtinResources.find((r) => r.plural === 'namespaces' && r.group === '') as ResourceInfo;

export async function getOrNotFound(ctx: ResourceContext, r: ResourceInfo, namespace: string | undefined, name: string): Promise<StoredObject> {
  const found = await ctx.store.get(keyOf(r, namespace, name));
  if (!found) throw new NotFoundError(subjectOf(r, name));
  return found;
}

/** Upstream's NamespaceLifecycle admission: writes need an existing namespace that is not terminating. */
export async function ensureNamespaceWritable(ctx: ResourceContext, r: ResourceInfo, namespace: string, name: string): Promise<void> {
  const ns = await ctx.store.get(keyOf(namespaceResource, undefined, namespace));
  if (!ns) throw new NotFoundError({ kind: 'namespaces', name: namespace });
  const status = ns.object.status as { phase?: unknown } | undefined;
  if (ns.object.metadata.deletionTimestamp || status?.phase === 'Terminating') {
    throw new ForbiddenError(
      `${subjectOf(r).group ? `${r.plural}.${r.group}` : r.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      subjectOf(r, name),
    );
  }
}

/** Checks apiVersion/kind of a body against the resource and fills them in when absent. */
export function checkTypeMeta(r: ResourceInfo, obj: KubeObject, expectedKind = r.kind, expectedVersion = groupVersion(r)): void {
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectedVersion) {
    throw new BadRequestError(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectedVersion})`);
  }
  if (obj.kind !== undefined && obj.kind !== expectedKind) {
    throw new BadRequestError(`the kind in the data (${obj.kind}) does not match the expected kind (${expectedKind})`);
  }
  obj.apiVersion = expectedVersion;
  obj.kind = expectedKind;
}

/** The URL's namespace wins; a different one in the body is an error, as upstream. */
export function checkNamespace(r: ResourceInfo, obj: KubeObject, namespace: string | undefined): void {
  if (!r.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== '' && obj.metadata.namespace !== namespace) {
    throw new BadRequestError('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (namespace !== undefined) obj.metadata.namespace = namespace;
}

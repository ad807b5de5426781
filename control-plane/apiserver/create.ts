// POST: decode → defaulting → validation → allocation (Services) → storage, as upstream's admission
// chain orders it.
import { AlreadyExistsError, BadRequestError, InvalidError, type FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { StoredObject } from '../storage/store.js';
import { applyDefaults, validate } from './api-seams.js';
import { fromStorageShape, toStorageShape } from './event-conversion.js';
import { checkFields } from './field-check.js';
import { generateNameSuffix, pathSegmentNameErrors, prepareForCreate } from './object-meta.js';
import {
  checkNamespace,
  checkTypeMeta,
  ensureNamespaceWritable,
  keyOf,
  subjectOf,
  type ResourceContext,
  type WriteOptions,
} from './resource-context.js';
import { prepareForCreateByKind, serverCreateErrors, tracksGeneration } from './strategies.js';
import { admitCreate, defaultAdmissionSettings, type AdmissionSettings } from './admission.js';

/** How often a generateName create retries after a suffix collision. */
const generateNameAttempts = 5;

function invalid(r: ResourceInfo, name: string, errors: FieldError[]): InvalidError {
  return new InvalidError({ ...subjectOf(r, name), kind: r.kind }, errors);
}

/** Admission for a new object: returns it ready to store (in the storage shape). */
export function admitNew(
  r: ResourceInfo,
  body: KubeObject,
  namespace: string | undefined,
  options: WriteOptions,
  settings: AdmissionSettings = defaultAdmissionSettings,
): KubeObject {
  checkTypeMeta(r, body);
  checkFields(r, body, options);
  checkNamespace(r, body, namespace);
  const obj = structuredClone(body);
  prepareForCreateByKind(r, obj, options.requester);
  applyDefaults(r, obj);
  prepareForCreate(obj, tracksGeneration(r));
  admitCreate(r, obj, settings, options.requester);
  const name = obj.metadata.name ?? '';
  const errors = validate(r, obj);
  errors.push(...serverCreateErrors(r, obj));
  if (errors.length > 0) throw invalid(r, name, errors);
  return toStorageShape(r, obj);
}

export async function createObject(
  ctx: ResourceContext,
  r: ResourceInfo,
  namespace: string | undefined,
  body: KubeObject,
  options: WriteOptions,
): Promise<KubeObject> {
  const meta = body.metadata;
  const generated = !meta.name && !!meta.generateName;
  if (!meta.name && !meta.generateName) {
    throw invalid(r, '', [{ field: 'metadata.name', type: 'FieldValueRequired', detail: 'Required value: name or generateName is required' }]);
  }
  if (meta.generateName) {
    const errors = pathSegmentNameErrors(meta.generateName, 'metadata.generateName');
    if (errors.length > 0) throw invalid(r, meta.generateName, errors);
  }
  if (r.namespaced && namespace === undefined) throw new BadRequestError('the namespace of the object must be given in the URL');
  for (let attempt = 1; ; attempt++) {
    const candidate = structuredClone(body);
    if (generated) candidate.metadata.name = `${meta.generateName ?? ''}${generateNameSuffix()}`;
    const name = candidate.metadata.name ?? '';
    const nameErrors = pathSegmentNameErrors(name);
    if (nameErrors.length > 0) throw invalid(r, name, nameErrors);
    if (r.namespaced && namespace !== undefined) await ensureNamespaceWritable(ctx, r, namespace, name);
    const obj = admitNew(r, candidate, namespace, options, ctx.admission);
    try {
      const stored = await store(ctx, r, namespace, obj, options);
      return fromStorageShape(r, stored.object);
    } catch (e) {
      if (!(e instanceof AlreadyExistsError) || !generated || attempt >= generateNameAttempts) {
        if (e instanceof AlreadyExistsError) throw new AlreadyExistsError(subjectOf(r, name));
        throw e;
      }
    }
  }
}

async function store(ctx: ResourceContext, r: ResourceInfo, namespace: string | undefined, obj: KubeObject, options: WriteOptions): Promise<StoredObject> {
  const key = keyOf(r, namespace, obj.metadata.name ?? '');
  if (options.dryRun) {
    if (await ctx.store.get(key)) throw new AlreadyExistsError(subjectOf(r, obj.metadata.name));
    return { key, object: obj, modRevision: 0, createRevision: 0 };
  }
  const isService = r.plural === 'services' && r.group === '';
  const plan = isService ? await ctx.allocator.plan(obj) : undefined;
  try {
    return await ctx.store.create(key, obj);
  } catch (e) {
    await plan?.rollback();
    throw e;
  }
}

// ObjectMeta checks (upstream's ValidateObjectMeta / ValidateObjectMetaUpdate in apimachinery).
import type { FieldError } from '../errors.js';
import { validateLabels } from '../labels/validation.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../names.js';
import type { ObjectMeta } from '../object.js';
import { asRecord, child, forbidden, invalid, required, tooLong, validateImmutableField } from './field-error.js';

/** Validates a name (or a generateName prefix when `prefix` is true), returning upstream's messages. */
export type NameValidator = (name: string, prefix: boolean) => string[];

// A generateName prefix may end in '-': the random suffix follows it (upstream's maskTrailingDash).
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
}

/** Most kinds: names are DNS-1123 subdomains. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
/** Namespaces: names are DNS-1123 labels. */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
/** Services: names are DNS-1035 labels (they become DNS names and env var prefixes). */
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** Upstream's TotalAnnotationSizeLimitB: 256 KiB over all keys and values. */
export const totalAnnotationSizeLimitBytes = 256 * 1024;

/** Annotation keys must be qualified names (checked lower-cased) and the whole map ≤256 KiB. */
export function validateAnnotations(annotations: Readonly<Record<string, string>> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    total += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : String(v));
  }
  if (total > totalAnnotationSizeLimitBytes) errs.push(tooLong(path, totalAnnotationSizeLimitBytes));
  return errs;
}

function validateOwnerReferences(meta: ObjectMeta, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let controllers = 0;
  for (const ref of meta.ownerReferences ?? []) {
    const r = asRecord(ref) ?? {};
    const apiVersion = typeof r['apiVersion'] === 'string' ? r['apiVersion'] : '';
    if (apiVersion === '' || apiVersion.endsWith('/')) errs.push(invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (!r['kind']) errs.push(invalid(child(path, 'kind'), r['kind'] ?? '', 'kind must not be empty'));
    if (!r['name']) errs.push(invalid(child(path, 'name'), r['name'] ?? '', 'name must not be empty'));
    if (!r['uid']) errs.push(invalid(child(path, 'uid'), r['uid'] ?? '', 'uid must not be empty'));
    if (r['controller'] === true) controllers++;
  }
  if (controllers > 1) errs.push(invalid(path, { rendered: '[]v1.OwnerReference{...}' }, 'Only one reference can have Controller set to true.'));
  return errs;
}

function validateFinalizers(finalizers: readonly string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) {
    for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
  }
  return errs;
}

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameFn: NameValidator;
}

/**
 * Validates metadata on create: name (or generateName, which the apiserver expands), namespace
 * presence by scope, labels, annotations, owner references and finalizers.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, opts: ObjectMetaOptions, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const m: ObjectMeta = meta ?? {};
  const name = m.name ?? '';
  const generateName = m.generateName ?? '';
  if (generateName !== '') {
    for (const msg of opts.nameFn(generateName, true)) errs.push(invalid(child(path, 'generateName'), generateName, msg));
  }
  if (name === '') {
    if (generateName === '') errs.push(required(child(path, 'name'), 'name or generateName is required'));
  } else {
    for (const msg of opts.nameFn(name, false)) errs.push(invalid(child(path, 'name'), name, msg));
  }
  const ns = m.namespace ?? '';
  if (opts.namespaced) {
    if (ns === '') errs.push(required(child(path, 'namespace'), ''));
    else for (const msg of isDNS1123Label(ns)) errs.push(invalid(child(path, 'namespace'), ns, msg));
  } else if (ns !== '') {
    errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(m, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, child(path, 'finalizers')));
  return errs;
}

/** Labels and annotations of an embedded template's metadata (pod templates). */
export function validateTemplateMeta(meta: ObjectMeta | undefined, path: string): FieldError[] {
  return [...validateLabels(meta?.labels, child(path, 'labels')), ...validateAnnotations(meta?.annotations, child(path, 'annotations'))];
}

/**
 * Metadata on update: name, namespace, uid and creationTimestamp may not change. An empty uid or
 * creationTimestamp in the new object counts as unchanged: the apiserver carries them over from the
 * stored object, as upstream's BeforeUpdate does.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path = 'metadata'): FieldError[] {
  const n = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateImmutableField(n.name ?? '', o.name ?? '', child(path, 'name')));
  errs.push(...validateImmutableField(n.namespace ?? '', o.namespace ?? '', child(path, 'namespace')));
  if (n.uid) errs.push(...validateImmutableField(n.uid, o.uid ?? '', child(path, 'uid')));
  if (n.creationTimestamp) {
    errs.push(...validateImmutableField(n.creationTimestamp, o.creationTimestamp ?? '', child(path, 'creationTimestamp')));
  }
  return errs;
}

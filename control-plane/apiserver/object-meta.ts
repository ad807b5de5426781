// What the server owns in metadata, as upstream's rest.BeforeCreate/BeforeUpdate: uid, creation time,
// generation and the fields a client may not change after creation.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { deepEqual } from './patch/json-patch.js';

/** `2024-05-01T10:00:00Z`: RFC 3339 without fractions, as Kubernetes serializes metav1.Time. */
export function nowTimestamp(offsetSeconds = 0): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + offsetSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Upstream's name generator alphabet (no vowels, no look-alikes), 5 characters. */
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function generateNameSuffix(): string {
  const bytes = randomBytes(5);
  return Array.from(bytes, (b) => suffixAlphabet[b % suffixAlphabet.length]).join('');
}

/**
 * Checks that a name can be a path segment and a storage key. Full DNS-name rules are api/validate's;
 * this is the part the server itself depends on (upstream's path-segment-name check).
 */
export function pathSegmentNameErrors(name: string, field = 'metadata.name'): FieldError[] {
  if (name === '.' || name === '..') {
    return [{ field, type: 'FieldValueInvalid', detail: `Invalid value: "${name}": may not be '${name}'` }];
  }
  for (const bad of ['/', '%']) {
    if (name.includes(bad)) {
      return [{ field, type: 'FieldValueInvalid', detail: `Invalid value: "${name}": may not contain '${bad}'` }];
    }
  }
  if (name.length > 253) {
    return [{ field, type: 'FieldValueTooLong', detail: `Too long: may not be more than 253 bytes` }];
  }
  return [];
}

/**
 * Drops empty labels, annotations, finalizers and ownerReferences: Go's omitempty never serializes
 * them, so a patch that empties a map must not leave `annotations: {}` behind (kubectl diff shows it).
 */
export function dropEmptyMetadata(obj: KubeObject): void {
  const m = obj.metadata as Record<string, unknown>;
  for (const field of ['labels', 'annotations', 'finalizers', 'ownerReferences']) {
    const v = m[field];
    if (v === null || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0)) delete m[field];
  }
}

/**
 * Stamps a new object's server-owned metadata. `name` must already be resolved (generateName applied).
 * `tracksGeneration` is false for kinds without a spec, which upstream leaves without a generation.
 */
export function prepareForCreate(obj: KubeObject, tracksGeneration = true): void {
  const m = obj.metadata;
  m.uid = randomUUID();
  m.creationTimestamp = nowTimestamp();
  if (tracksGeneration) m.generation = 1;
  else delete m.generation;
  dropEmptyMetadata(obj);
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.managedFields;
}

/** Everything except metadata and status: what a change of bumps `metadata.generation`. */
function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/** Carries the immutable metadata of `old` into `next` and bumps the generation when the spec changed. */
export function prepareForUpdate(next: KubeObject, old: KubeObject, tracksGeneration = true): void {
  const m = next.metadata;
  const o = old.metadata;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  if (o.deletionTimestamp !== undefined) m.deletionTimestamp = o.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (tracksGeneration) {
    const generation = o.generation ?? 1;
    m.generation = deepEqual(specPart(next), specPart(old)) ? generation : generation + 1;
  } else {
    delete m.generation;
  }
  delete m.managedFields;
  dropEmptyMetadata(next);
}

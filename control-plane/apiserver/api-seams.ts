// Everything the API server takes from api/ (defaulting, validation, selectors) and api/schema/
// (strict field checks, strategic-merge metadata), behind one file so the handlers read the same
// whichever way those rooms shape their exports.
import { ApiError, BadRequestError, type FieldError } from '../../api/errors.js';
import { applyDefaults as defaultObject, validate as validateObject } from '../../api/index.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import {
  findDefinitionByGvk,
  findTypeErrors,
  findUnknownFields,
  getDefinition,
  type Definition,
  type FieldSchema,
} from '../../api/schema/index.js';

export { getDefinition };

/** The definition of a resource's kind, or undefined when api/schema has none. */
export function schemaFor(resource: ResourceInfo): Definition | undefined {
  return findDefinitionByGvk(resource.group, resource.version, resource.kind);
}

/** The root schema strategic merge patch walks from. */
export function rootSchema(resource: ResourceInfo): FieldSchema | undefined {
  const d = schemaFor(resource);
  return d ? { type: 'ref', ref: d.name } : undefined;
}

export function unknownFields(resource: ResourceInfo, obj: unknown): string[] {
  const d = schemaFor(resource);
  return d ? findUnknownFields(d.name, obj) : [];
}

export function typeErrors(resource: ResourceInfo, obj: unknown): string[] {
  const d = schemaFor(resource);
  if (!d) return [];
  return findTypeErrors(d.name, obj).map((e) => `${e.path}: expected ${e.expected}, got ${e.actual}`);
}

/** api/defaults' applyDefaults: upstream's defaulting, in place (a throw is a bug; see validate). */
export function applyDefaults(resource: ResourceInfo, obj: KubeObject): void {
  try {
    defaultObject(resource, obj);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new BadRequestError(`${resource.kind} could not be defaulted: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * api/validation's validate. Type errors were already refused by the schema check, so a throw here is a
 * validation bug; it still must not become a 500 for what is user input, so it answers 400.
 */
export function validate(resource: ResourceInfo, obj: KubeObject, old?: KubeObject): FieldError[] {
  try {
    return validateObject(resource, obj, old);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new BadRequestError(`${resource.kind} could not be validated: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export { parseLabelSelector, parseFieldSelector } from '../../api/index.js';

/** Removes, in place, every field the schema does not declare (what Go's decoding drops silently). */
export function pruneUnknownFields(resource: ResourceInfo, obj: unknown): void {
  const d = schemaFor(resource);
  if (d) prune({ type: 'ref', ref: d.name }, obj, 0);
}

/** Depth cap: hostile documents nest thousands of levels; nothing real nests this deep. */
const maxPruneDepth = 100;

function prune(schema: FieldSchema, value: unknown, depth: number): void {
  if (depth > maxPruneDepth || typeof value !== 'object' || value === null) return;
  if (schema.type === 'array' && Array.isArray(value)) {
    for (const item of value) prune(schema.items, item, depth + 1);
    return;
  }
  if (Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  if (schema.type === 'map') {
    for (const v of Object.values(record)) prune(schema.values, v, depth + 1);
    return;
  }
  if (schema.type !== 'ref') return;
  const d = getDefinition(schema.ref);
  if (!d) return;
  for (const [key, v] of Object.entries(record)) {
    const field = Object.hasOwn(d.properties, key) ? d.properties[key] : undefined;
    if (!field) delete record[key];
    else prune(field, v, depth + 1);
  }
}

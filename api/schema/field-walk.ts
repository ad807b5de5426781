// Walking a value against its schema: what fieldValidation=Strict and strategic merge patch need.
import type { Definition, FieldSchema } from './field-schema.js';
import { getDefinition } from './registry.js';

/** A field whose JSON type does not match the schema, e.g. a string where an int32 belongs. */
export interface FieldTypeError {
  /** Dotted path with list indices, as upstream's strict decoder prints it: `spec.containers[0].ports[0].containerPort`. */
  path: string;
  /** The schema's type: `integer`, `string`, `boolean`, `object`, `array`, ... */
  expected: string;
  /** The JSON type found: `string`, `number`, `boolean`, `object`, `array`. */
  actual: string;
}

/** The definition a `ref` schema names, or undefined for anything else (or an unknown name). */
export function definitionOf(schema: FieldSchema | undefined): Definition | undefined {
  return schema?.type === 'ref' ? getDefinition(schema.ref) : undefined;
}

/**
 * The schema of the field at `path` below `definition`: property names for objects, and any segment
 * (an index, `*`, or a map key) to step into a list's items or a map's values. Undefined when the schema
 * has no such field.
 */
export function fieldSchemaAt(definition: Definition, path: readonly string[]): FieldSchema | undefined {
  let current: FieldSchema = { type: 'ref', ref: definition.name };
  for (const segment of path) {
    const next = step(current, segment);
    if (!next) return undefined;
    current = next;
  }
  return current;
}

function step(schema: FieldSchema, segment: string): FieldSchema | undefined {
  if (schema.type === 'array') return schema.items;
  if (schema.type === 'map') return schema.values;
  if (schema.type === 'any') return { type: 'any' };
  if (schema.type !== 'ref') return undefined;
  const d = getDefinition(schema.ref);
  return d && Object.hasOwn(d.properties, segment) ? d.properties[segment] : undefined;
}

interface Finding {
  unknown: string[];
  typeErrors: FieldTypeError[];
}

/**
 * Dotted paths of fields in `value` that the definition does not declare, in document order
 * (`spec.foo`, `spec.containers[0].imagePullPolcy`): what fieldValidation=Strict rejects and
 * fieldValidation=Warn reports as warnings. Unknown definition names report nothing.
 */
export function findUnknownFields(definitionName: string, value: unknown): string[] {
  return walkRoot(definitionName, value).unknown;
}

/** Fields whose JSON type contradicts the schema. JSON null is accepted anywhere, as "unset". */
export function findTypeErrors(definitionName: string, value: unknown): FieldTypeError[] {
  return walkRoot(definitionName, value).typeErrors;
}

function walkRoot(definitionName: string, value: unknown): Finding {
  const finding: Finding = { unknown: [], typeErrors: [] };
  if (getDefinition(definitionName)) walk({ type: 'ref', ref: definitionName }, value, '', finding);
  return finding;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return jsonType(value) === 'object';
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function walk(schema: FieldSchema, value: unknown, path: string, finding: Finding): void {
  if (value === null || value === undefined || schema.type === 'any') return;
  const mismatch = (expected: string): void => {
    finding.typeErrors.push({ path, expected, actual: jsonType(value) });
  };
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') mismatch('string');
      return;
    case 'quantity':
      if (typeof value !== 'string' && typeof value !== 'number') mismatch('quantity');
      return;
    case 'int-or-string':
      if (typeof value !== 'string' && !Number.isInteger(value)) mismatch('int-or-string');
      return;
    case 'integer':
      if (!Number.isInteger(value)) mismatch('integer');
      return;
    case 'number':
      if (typeof value !== 'number') mismatch('number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') mismatch('boolean');
      return;
    case 'array':
      if (!Array.isArray(value)) return mismatch('array');
      value.forEach((item, i) => walk(schema.items, item, `${path}[${i}]`, finding));
      return;
    case 'map':
      if (!isObject(value)) return mismatch('object');
      for (const [k, v] of Object.entries(value)) walk(schema.values, v, child(path, k), finding);
      return;
    case 'ref':
      walkObject(schema.ref, value, path, finding);
      return;
  }
}

function walkObject(definitionName: string, value: unknown, path: string, finding: Finding): void {
  const d = getDefinition(definitionName);
  if (!d) return;
  if (!isObject(value)) {
    finding.typeErrors.push({ path, expected: 'object', actual: jsonType(value) });
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const fieldSchema = Object.hasOwn(d.properties, key) ? d.properties[key] : undefined;
    if (!fieldSchema) {
      finding.unknown.push(child(path, key));
      continue;
    }
    walk(fieldSchema, v, child(path, key), finding);
  }
}

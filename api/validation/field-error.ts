// Constructors for FieldError with upstream's wording (k8s.io/apimachinery/pkg/util/validation/field):
// the `detail` is what follows `<path>: ` in the message, e.g. `Invalid value: "Foo": must be ...`.
import type { FieldError } from '../errors.js';

/** A bad value already rendered the way Go's `%#v` would print it (maps, structs). */
export interface RenderedValue {
  rendered: string;
}

/** Marks text to be printed verbatim as the bad value. */
export function rendered(text: string): RenderedValue {
  return { rendered: text };
}

/** Go's `%#v` of a map[string]string: `map[string]string{"a":"b"}`, keys sorted. */
export function goStringMap(m: Readonly<Record<string, string>> | undefined | null): RenderedValue {
  if (m == null) return rendered('map[string]string(nil)');
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`);
  return rendered(`map[string]string{${entries.join(', ')}}`);
}

/** Formats a bad value as upstream's ErrorBody does: strings quoted, numbers and booleans bare. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'object' && 'rendered' in value && typeof (value as RenderedValue).rendered === 'string') {
    return (value as RenderedValue).rendered;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  }
  return JSON.stringify(value);
}

function withDetail(head: string, detail?: string): string {
  return detail ? `${head}: ${detail}` : head;
}

/** `Required value[: detail]` */
export function required(field: string, detail?: string): FieldError {
  return { field, type: 'FieldValueRequired', detail: withDetail('Required value', detail) };
}

/** `Invalid value: <v>[: detail]` */
export function invalid(field: string, value: unknown, detail?: string): FieldError {
  return { field, type: 'FieldValueInvalid', detail: withDetail(`Invalid value: ${formatValue(value)}`, detail) };
}

/** `Unsupported value: <v>: supported values: "a", "b"` */
export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return {
    field,
    type: 'FieldValueNotSupported',
    detail: withDetail(`Unsupported value: ${formatValue(value)}`, supported.length > 0 ? `supported values: ${list}` : undefined),
  };
}

/** `Duplicate value: <v>` */
export function duplicate(field: string, value: unknown): FieldError {
  return { field, type: 'FieldValueDuplicate', detail: `Duplicate value: ${formatValue(value)}` };
}

/** `Forbidden: detail` */
export function forbidden(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueForbidden', detail: withDetail('Forbidden', detail) };
}

/** `Too long: may not be more than N bytes` */
export function tooLong(field: string, maxLength: number): FieldError {
  return { field, type: 'FieldValueTooLong', detail: `Too long: may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` };
}

/** `Too many: N: must have at most M items` */
export function tooMany(field: string, actual: number, max: number): FieldError {
  return { field, type: 'FieldValueTooMany', detail: `Too many: ${actual}: must have at most ${max} items` };
}

/** `Not found: <v>` (upstream's ErrorTypeNotFound, cause reason FieldValueNotFound). */
export function notFound(field: string, value: unknown): FieldError {
  return { field, type: 'FieldValueNotFound', detail: `Not found: ${formatValue(value)}` };
}

/** `Invalid value: <v>: field is immutable` when the two differ (deep equality). */
export function validateImmutableField(newValue: unknown, oldValue: unknown, field: string, shown: unknown = newValue): FieldError[] {
  return deepEqual(newValue, oldValue) ? [] : [invalid(field, shown, 'field is immutable')];
}

/** Structural equality of JSON values; undefined and absent keys are the same. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** Field path helpers: child `a.b`, index `a[0]`, key `a[k]`. */
export function child(path: string, ...names: string[]): string {
  return [path, ...names].filter((p) => p !== '').join('.');
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

/** Upstream's IsNegativeErrorMsg. */
export const isNegativeErrorMsg = 'must be greater than or equal to 0';

/** `Invalid value: n: must be greater than or equal to 0` when n is negative. */
export function validateNonnegativeField(value: number | undefined, field: string): FieldError[] {
  if (value === undefined || value === null) return [];
  return value < 0 ? [invalid(field, value, isNegativeErrorMsg)] : [];
}

/** Treats the JSON value as a plain object (or undefined), for reading untyped input defensively. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The elements of a JSON array, or none when the value is absent or not an array. */
export function asArray<T>(v: readonly T[] | undefined | null | unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

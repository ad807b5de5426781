// Resource quantity maps (requests, limits, capacity): every value must parse and be non-negative.
import type { FieldError } from '../errors.js';
import { isQualifiedName } from '../names.js';
import { parseQuantity, type Quantity } from '../quantity.js';
import { invalid, isNegativeErrorMsg, key } from './field-error.js';

/** Parses one quantity field, pushing a FieldValueInvalid with the parser's text when it fails. */
export function quantityAt(value: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  try {
    return parseQuantity(value as string | number);
  } catch (e) {
    errs.push(invalid(path, value, e instanceof Error ? e.message : String(e)));
    return undefined;
  }
}

/** A non-negative quantity, as upstream's ValidateNonnegativeQuantity. */
export function validateNonnegativeQuantity(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const q = quantityAt(value, path, errs);
  if (q && q.sign() < 0) errs.push(invalid(path, q.toString(), isNegativeErrorMsg));
  return errs;
}

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** A container resource name: cpu, memory, ephemeral-storage, hugepages-<size>, or a domain-qualified extended resource. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  if (name.includes('/')) return isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (standardContainerResources.has(name) || name.startsWith('hugepages-')) return [];
  return [invalid(path, name, 'must be a standard resource for containers')];
}

/** Parses every value of a resource list, reporting each failure at `path[name]`. */
export function parseResourceList(list: Readonly<Record<string, unknown>> | undefined, path: string, errs: FieldError[]): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(list ?? {})) {
    const p = key(path, name);
    const q = quantityAt(raw, p, errs);
    if (!q) continue;
    if (q.sign() < 0) errs.push(invalid(p, q.toString(), isNegativeErrorMsg));
    out.set(name, q);
  }
  return out;
}

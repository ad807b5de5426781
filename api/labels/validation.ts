// Label map checks as FieldErrors (upstream's ValidateLabels / ValidateLabelName in apimachinery's
// meta/v1/validation): one error per failing key or value, all at the map's path.
import type { FieldError } from '../errors.js';
import { isQualifiedName, isValidLabelValue } from '../names.js';
import { invalid } from '../validation/field-error.js';

/** Errors for one label key (a qualified name) at `path`. */
export function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((msg) => invalid(path, key, msg));
}

/** Errors for one label value at `path`. */
export function validateLabelValue(value: string, path: string): FieldError[] {
  return isValidLabelValue(value).map((msg) => invalid(path, value, msg));
}

/** Errors for a whole label map (metadata.labels, spec.selector, spec.nodeSelector) at `path`. */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    errs.push(...validateLabelValue(typeof v === 'string' ? v : String(v), path));
  }
  return errs;
}

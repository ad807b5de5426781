// metav1.LabelSelector as FieldErrors (upstream's ValidateLabelSelector in meta/v1/validation).
import type { FieldError } from '../errors.js';
import { validateLabelName, validateLabels } from '../labels/validation.js';
import { isValidLabelValue } from '../names.js';
import type { LabelSelector, LabelSelectorRequirement } from '../types/meta.js';
import { asArray, child, forbidden, index, invalid, required } from './field-error.js';

/** Checks matchLabels and every matchExpressions entry's key, operator and value count. */
export function validateLabelSelector(selector: LabelSelector | undefined, path: string): FieldError[] {
  if (!selector) return [];
  const errs = validateLabels(selector.matchLabels, child(path, 'matchLabels'));
  asArray<LabelSelectorRequirement>(selector.matchExpressions).forEach((sr, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = asArray<string>(sr.values);
    switch (sr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(child(p, 'operator'), sr.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(sr.key ?? '', child(p, 'key')));
    values.forEach((v, j) => isValidLabelValue(v).forEach((msg) => errs.push(invalid(index(child(p, 'values'), j), v, msg))));
  });
  return errs;
}

// labelSelector + fieldSelector → one predicate, shared by list, watch and deletecollection.
import { ApiError, BadRequestError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { parseFieldSelector, parseLabelSelector } from './api-seams.js';

export type ObjectFilter = (obj: KubeObject) => boolean;

function parse<T>(what: string, text: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new BadRequestError(`unable to parse requirement: ${what} "${text}": ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Undefined when nothing filters, so callers can skip the work. */
export function objectFilter(r: ResourceInfo, labelSelector: string | undefined, fieldSelector: string | undefined): ObjectFilter | undefined {
  const labels = labelSelector ? parse('labelSelector', labelSelector, () => parseLabelSelector(labelSelector)) : undefined;
  const fields = fieldSelector ? parse('fieldSelector', fieldSelector, () => parseFieldSelector(fieldSelector, r)) : undefined;
  if (!labels && !fields) return undefined;
  return (obj) => (!labels || labels.matches(obj.metadata.labels ?? {})) && (!fields || fields.matches(obj));
}

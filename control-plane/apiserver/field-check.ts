// Field validation against api/schema, as upstream's decoder does it: wrongly-typed fields are a 400
// always; unknown fields depend on `fieldValidation` (Strict → 400, Warn → `Warning` header, Ignore)
// and are dropped from the object otherwise.
import { BadRequestError } from '../../api/errors.js';
import type { ResourceInfo } from '../../api/resources.js';
import { pruneUnknownFields, typeErrors, unknownFields } from './api-seams.js';
import type { WriteOptions } from './resource-context.js';

/**
 * `decode` is a create/update body, refused as upstream's decoder words it (`Pod in version "v1" cannot be
 * handled as a Pod: strict decoding error: ...`); `patch` is a patched object, whose strict errors
 * upstream's patcher reports without the decoder's prefix.
 */
export function checkFields(
  r: ResourceInfo,
  obj: unknown,
  options: Pick<WriteOptions, 'fieldValidation' | 'warnings'>,
  source: 'decode' | 'patch' = 'decode',
): void {
  const wrongTypes = typeErrors(r, obj);
  if (wrongTypes.length > 0) {
    throw new BadRequestError(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ${wrongTypes.join(', ')}`);
  }
  const unknown = options.fieldValidation === 'Ignore' ? [] : unknownFields(r, obj);
  const texts = unknown.map((path) => `unknown field "${path}"`);
  if (texts.length > 0 && options.fieldValidation === 'Strict') {
    const prefix = source === 'decode' ? `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ` : '';
    throw new BadRequestError(`${prefix}strict decoding error: ${texts.join(', ')}`);
  }
  options.warnings.push(...texts);
  // Like Go's decoder, which has nowhere to put them, the stored object does not keep unknown fields.
  pruneUnknownFields(r, obj);
}

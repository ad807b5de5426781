// Picks the patch algorithm by the request's Content-Type, as upstream's patch handler does.
import { BadRequestError, UnsupportedMediaTypeError } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/object.js';
import type { ResourceInfo } from '../../../api/resources.js';
import { getDefinition, rootSchema } from '../api-seams.js';
import { asObjectBody, isRecord } from '../body.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

export const applyPatchType = 'application/apply-patch+yaml';

/**
 * Server-side apply, simplified: the applied configuration is merged into the live object with
 * strategic-merge semantics. Field ownership (managedFields) and removal of fields a manager stopped
 * applying are not tracked yet.
 */
function applyConfiguration(r: ResourceInfo, current: KubeObject, config: unknown): unknown {
  if (!isRecord(config)) throw new BadRequestError('the applied configuration must be an object');
  return applyStrategicMergePatch(current, config, rootSchema(r), getDefinition);
}

/** Applies `patch` (already decoded) to `current`; the result is checked to still be an object. */
export function applyPatch(r: ResourceInfo, current: KubeObject, patch: unknown, mediaType: string): KubeObject {
  let result: unknown;
  switch (mediaType) {
    case 'application/json-patch+json':
      result = applyJsonPatch(current, patch);
      break;
    case 'application/merge-patch+json':
      if (!isRecord(patch)) throw new BadRequestError('a merge patch must be a JSON object');
      result = applyMergePatch(current, patch);
      break;
    case 'application/strategic-merge-patch+json':
      result = applyStrategicMergePatch(current, patch, rootSchema(r), getDefinition);
      break;
    case applyPatchType:
      result = applyConfiguration(r, current, patch);
      break;
    default:
      throw new UnsupportedMediaTypeError(mediaType);
  }
  return asObjectBody(result);
}

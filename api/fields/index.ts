// Field selectors: the room's public surface.

/** parseFieldSelector(text, resource): parses and checks `?fieldSelector=`; throws BadRequestError. */
export { parseFieldSelector, parseFieldRequirements } from './selector.js';
/** FieldSelector: matches(obj), requirements, requiresExactMatch(field) for cheap index use. */
export type { FieldSelector, FieldRequirement, FieldOperator } from './selector.js';
/** The selectable fields of a resource, and a getter reading one from an object. */
export { fieldGetter, supportedFields, type FieldGetter } from './supported-fields.js';

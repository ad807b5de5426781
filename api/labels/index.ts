// Label selectors and label validation: the room's public surface.

/** parseLabelSelector(text): the `?labelSelector=` query form; throws BadRequestError on bad syntax. */
export { parseLabelSelector } from './parse.js';
export {
  /** Builds a Selector from the object form {matchLabels, matchExpressions}; undefined selects nothing. */
  labelSelectorFromSpec,
  /** A Selector requiring every key/value of a label map (for controllers building pod selectors). */
  selectorFromSet,
  /** Builds a Selector from already-structured requirements, validating them. */
  selectorFromRequirements,
  /** Converts a Selector back to the object form. */
  selectorToSpec,
  /** The selector that selects everything. */
  everything,
  /** The selector that selects nothing. */
  nothing,
  /** Whether one requirement holds for a label map. */
  requirementMatches,
  /** The text of one requirement. */
  requirementString,
  /** Validates one requirement's key, operator and values; throws Error with upstream text. */
  validateRequirement,
} from './selector.js';
/** Selector: matches(labels), isEmpty(), toString(), requirements; Requirement: one key/op/values term. */
export type { Selector, Requirement, SelectorOperator, Labels } from './selector.js';
/** Label key/value checks producing FieldErrors at a path (used by validation, exported for others). */
export { validateLabels, validateLabelName, validateLabelValue } from './validation.js';

// api/: the shared vocabulary every Skiff component speaks. This file is the room's door; the seams
// object.ts, errors.ts, resources.ts and schema/ are imported from their own files.

/** Every kind's TypeScript shape (Pod, Node, Service, Deployment, ...), with upstream's JSON names. */
export type * from './types/index.js';

/** parseQuantity / Quantity: resource quantities ("500m", "128Mi") with canonical text and arithmetic. */
export { parseQuantity, isQuantity, Quantity, QuantityParseError, type QuantityFormat } from './quantity.js';

/** The two Event shapes mapped onto each other (one stored kind, served as core/v1 and events.k8s.io/v1). */
export { coreEventToEventsV1, eventsV1ToCoreEvent } from './event-conversion.js';

/** Node selector term matching (node affinity, matchFields on metadata.name). */
export { nodeSelectorTermMatches, nodeSelectorTermsMatch } from './node-affinity.js';

/** Taint/toleration matching for the scheduler, DaemonSets and NoExecute eviction. */
export { toleratesTaint, taintToleratedBy, findUntoleratedTaint } from './taints.js';

/** A pod's effective requests/limits (init containers, sidecars, overhead) and its QoS class. */
export { podRequests, podLimits, podQOSClass, type Resources } from './pod-resources.js';

/** Int-or-percent resolution for rolling-update bounds. */
export { scaledValueFromIntOrPercent } from './intstr.js';

/** Upstream's name and value checks; each returns its error messages (empty when valid). */
export {
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1035Label,
  isQualifiedName,
  isValidLabelValue,
  isValidPortNum,
  isValidPortName,
  isConfigMapKey,
  isEnvVarName,
  isValidIP,
  isIPv4,
  isIPv6,
  isValidCIDR,
  isValidPercent,
} from './names.js';

/** Label selectors: parseLabelSelector (query form), labelSelectorFromSpec (object form), matching. */
export {
  parseLabelSelector,
  labelSelectorFromSpec,
  selectorFromSet,
  selectorFromRequirements,
  selectorToSpec,
  everything,
  nothing,
  validateLabels,
  type Selector,
  type Requirement,
  type SelectorOperator,
} from './labels/index.js';

/** Field selectors: parseFieldSelector(text, resource) with matches(obj) and requirements. */
export { parseFieldSelector, supportedFields, type FieldSelector, type FieldRequirement } from './fields/index.js';

/** validate(resource, obj, old?): FieldErrors for create/update, worded as upstream's. */
export { validate, validatePodSpec, validateLabelSelector } from './validation/index.js';

/** CertificateSigningRequest checks the API server's strategies reuse (PEM framing, approval-only conditions). */
export { csrRequestFramingError, validateApprovalConditionsUnchanged } from './validation/index.js';

/** applyDefaults(resource, obj): upstream's defaulting in place; generateJobSelector for the Job registry. */
export { applyDefaults, defaultPodSpec, defaultPullPolicy, generateJobSelector, jobControllerUidLabel, jobNameLabel } from './defaults/index.js';

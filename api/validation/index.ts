// Validation: the room's public surface.

/** validate(resource, obj, old?): every FieldError for a create (or, with `old`, an update). */
export { validate } from './validate.js';
/** FieldError constructors with upstream's wording, for other rooms' own checks (e.g. subresources). */
export { required, invalid, notSupported, duplicate, forbidden, tooLong, tooMany, notFound, validateImmutableField } from './field-error.js';
/** The pod spec checks alone, at any path (e.g. for a pod template embedded elsewhere). */
export { validatePodSpec } from './pod.js';
/** metav1.LabelSelector checks as FieldErrors. */
export { validateLabelSelector } from './label-selector.js';
/** ObjectMeta checks, and the name rules by kind. */
export { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain, nameIsDNSLabel, nameIsDNS1035Label, type NameValidator } from './meta.js';
/** The default NodePort range (30000-32767) that Service validation enforces. */
export { nodePortRange } from './service.js';
/**
 * CertificateSigningRequest pieces the API server's strategies need: the request's PEM framing check
 * (its signature is verified with control-plane/pki), and the rule that only .../approval may add or
 * change Approved/Denied conditions.
 */
export { csrRequestFramingError, validateApprovalConditionsUnchanged, validKeyUsages } from './certificates.js';

// Authentication and authorization for the API server: client certificates and bootstrap tokens in, a
// node authorizer and RBAC to decide, upstream's 401/403 texts out, and the automatic approval of kubelet
// client certificate requests. These plug into the seams of control-plane/apiserver/security.ts.

// ---- authentication ----------------------------------------------------------------------------

/** An authenticator that can say "no credential of my kind" (undefined) apart from "invalid" (throws 401). */
export { type CredentialAuthenticator } from './credential-authenticator.js';
/** CN → user, O → groups from the TLS-verified client certificate; `tlsPeerOf(socket)` builds its input. */
export { ClientCertificateAuthenticator, type TlsPeer, tlsPeerOf } from './client-certificate-authenticator.js';
/** `Authorization: Bearer <id>.<secret>` against kube-system bootstrap-token Secrets; `storeSecretGetter` reads them from the store. */
export { BearerTokenAuthenticator, type SecretGetter, storeSecretGetter, bearerToken } from './bearer-token-authenticator.js';
/** First credential found decides; none → 401 `Unauthorized`; adds `system:authenticated`. */
export { UnionAuthenticator } from './union-authenticator.js';

// ---- authorization -----------------------------------------------------------------------------

/** Upstream's allow / deny / no-opinion decision, and the interface of authorizers that return one. */
export { type AuthorizationDecision, type DecidingAuthorizer } from './authorization-decision.js';
/** Node users (`system:node:<n>` in `system:nodes`): own Node, Lease, bound pods' status; final for them. */
export { NodeAuthorizer, nodeNameOf, nodeLeaseNamespace } from './node-authorizer.js';
/** What the node authorizer asks about pods; `storeNodeGraph` answers from the store. */
export { type NodeGraph, storeNodeGraph } from './node-graph.js';
/** Which Secrets/ConfigMaps a pod references (volumes, projected, env, envFrom, imagePullSecrets). */
export { podReferences, type ReferencedKind } from './pod-references.js';
/** RBAC over Role/ClusterRole/RoleBinding/ClusterRoleBinding; `system:masters` always allowed. */
export { RbacAuthorizer, type RbacSource, staticRbacSource } from './rbac-authorizer.js';
/** An RbacSource over the store, usable once the RBAC kinds are registered in api/resources.ts; `serverRbacSource` falls back to the default policy in memory before that. */
export { storeRbacSource, serverRbacSource, type RbacResourceLookup } from './store-rbac-source.js';
/** An RbacSource over watch-fed in-memory caches of the four kinds (no store read per request); `stop()` ends its watches. */
export { cachedRbacSource, type CachedRbacSource } from './cached-rbac-source.js';
/** Upstream's rule and subject matching, for callers such as a SubjectAccessReview endpoint. */
export { ruleAllows, rulesAllow, subjectMatches } from './rbac-rules.js';
/** The bootstrap ClusterRoles and ClusterRoleBindings the server writes on first start. */
export { type RbacPolicy, defaultRbacPolicy } from './default-rbac-policy.js';
/** The apiserver's Authorizer: node first, then RBAC; 403 with upstream's message. */
export { UnionAuthorizer } from './union-authorizer.js';
/** Upstream's 403 message and the ForbiddenError carrying it. */
export { forbiddenMessage, forbiddenReason, forbiddenError } from './forbidden-message.js';
/** rbac.authorization.k8s.io/v1 types (until the kinds are registered in api/). */
export type { PolicyRule, Subject, RoleRef, Role, ClusterRole, RoleBinding, ClusterRoleBinding } from './rbac-types.js';
export { rbacApiVersion } from './rbac-types.js';

// ---- certificate signing requests --------------------------------------------------------------

/** certificates.k8s.io/v1 CertificateSigningRequest types and the kubelet client signer name. */
export type { CertificateSigningRequest, CertificateSigningRequestSpec, CertificateSigningRequestCondition, KeyUsage } from './csr-types.js';
/** Pure auto-approval decision for kubelet client CSRs, and signing an approved one. */
export { type CsrApprovalDecision, decideCsrApproval, issueForCsr } from './csr-approver.js';

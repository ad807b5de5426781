// The join room: how a node gets its identity from a bootstrap token (TLS bootstrap). `skiff agent
// --server --token --ca-cert-hash` calls ensureNodeCredentials before starting the kubelet.

/**
 * `ensureNodeCredentials(options)`: reuse <data-dir>/kubelet.kubeconfig when usable, else pin the CA, send a
 * kubelet client CSR with the token, wait for the certificate and store it; answers the kubeconfig path.
 */
export { ensureNodeCredentials, restCsrApi, defaultJoinTimeoutMs, type JoinOptions, type JoinResult, type ClosableCsrApi } from './join.js';
/** The one-line error a join ends with (`join refused: …` / `join failed: …`). */
export { JoinError } from './join-error.js';
/** The CSR calls the join makes (a seam for tests), the CSR it sends, and reading the cluster's answer. */
export { type CsrApi, nodeCsrObject, issuedCertificate, submitCsr, waitForCertificate } from './certificate-request.js';
/** Where a node's identity lives under its data dir, whether a stored one is usable, and writing one. */
export { nodeCredentialPaths, unusableReason, writeNodeCredentials, type NodeCredentialPaths, type NodeCredentials } from './node-credentials.js';
/** Atomic file writes with exact permission bits (keys 0600). */
export { writeFileAtomic } from './atomic-file.js';

// The certificates controllers room: `csrsigning` approves kubelet client CertificateSigningRequests from
// bootstrap tokens and signs approved ones with the cluster CA. It needs the CA's private key, so it runs
// (through the controller registry) only where it is handed the CA: `skiff server`, which owns <data-dir>/pki.

/** The CSR controller (registered as `csrsigning` in ../index.ts). */
export { CsrSigningController } from './csr-signing-controller.js';
/** The pure next-step decision for one CSR (approve, deny, sign, fail, none) and the signer's shape check. */
export { type CsrAction, planCsr, signingProblem, hasCondition } from './csr-plan.js';
/** The CertificateSigningRequest ResourceInfo (certificates.k8s.io/v1, cluster-scoped). */
export { certificateSigningRequestsResource as csrResource } from '../resources.js';

// The cluster PKI: the CA and the certificates `skiff server` creates, the CA pin a joining node checks,
// PKCS#10 requests and their signing, kubeconfigs that carry certificates inline, the bootstrap-token
// format and upstream's well-known identities. Shared by the control plane and the agent's join.

/** PEM certificate + key pairs; the CA is one. `generateRsaKeyPair` makes a native RSA-2048 key pair. */
export { type CertificateAndKey, type CertificateAuthority, generateRsaKeyPair } from './certificate-authority.js';
/**
 * `ensureClusterPki(dataDir, {serverAddresses, serviceIP})` creates or reuses <dataDir>/pki/{ca,apiserver,admin}.{crt,key};
 * `apiServerSubjectAltNames` lists the serving certificate's SANs; the admin identity is CN `kubernetes-admin`, O `system:masters`;
 * `componentClients` names the control plane's own client certificates (kubelet client, scheduler, controller-manager).
 */
export {
  type ClusterPki,
  type ClusterPkiOptions,
  ensureClusterPki,
  apiServerSubjectAltNames,
  adminCommonName,
  adminOrganization,
  componentClients,
} from './cluster-pki.js';
/** `caCertHash(caPem)` → `sha256:<hex>` of the CA's SPKI, as kubeadm; `caCertHashMatches` compares with a pin in constant time. */
export { caCertHash, caCertHashMatches } from './ca-cert-hash.js';
/** `createCsr` (agent side), `parseCsr` (verifies the self-signature, returns subject and SANs), `signClientCertificate` (CA side). */
export { type CsrSubject, type ClientCertificateOptions, createCsr, parseCsr, signClientCertificate } from './csr.js';
/** `kubeconfigWithCerts` renders a self-contained kubeconfig with certificate-authority-data and client-*-data. */
export { type KubeconfigWithCertsOptions, kubeconfigWithCerts } from './kubeconfig.js';
/** Low-level certificate issuing (forge), for callers that need a certificate shape the helpers above do not make. */
export { type CertificateSpec, type CertificateUsage, issueCertificate } from './x509-builder.js';
/**
 * Agent side of the join: `discoverPinnedCa(host, port, pin)` fetches the CA from the server's TLS chain and
 * accepts it only if it matches `--ca-cert-hash` and signed the serving certificate; `pinnedCaFromChain` is the pure check.
 */
export { type DiscoverCaOptions, discoverPinnedCa, pinnedCaFromChain } from './ca-discovery.js';
/** Bootstrap tokens: generate, parse, and the kube-system Secret kubeadm would store for one. */
export {
  type BootstrapToken,
  generateBootstrapToken,
  parseBootstrapToken,
  bootstrapTokenSecret,
  bootstrapTokenSecretName,
  bootstrapTokenSecretType,
  bootstrapTokenNamespace,
  defaultBootstrapTokenTtlSeconds,
} from './bootstrap-token.js';
/** Upstream's well-known user and group names. */
export {
  systemMasters,
  systemAuthenticated,
  systemNodes,
  nodeUserPrefix,
  systemBootstrappers,
  bootstrapUserPrefix,
  kubeadmDefaultNodeTokenGroup,
  kubeletClientSignerName,
} from './well-known.js';

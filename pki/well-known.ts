// Upstream's well-known user and group names (k8s.io/apiserver/pkg/authentication/user), in one place.

export const systemMasters = 'system:masters';
export const systemAuthenticated = 'system:authenticated';
export const systemNodes = 'system:nodes';
export const nodeUserPrefix = 'system:node:';
export const systemBootstrappers = 'system:bootstrappers';
export const bootstrapUserPrefix = 'system:bootstrap:';
/** The extra group kubeadm gives its default join tokens. */
export const kubeadmDefaultNodeTokenGroup = 'system:bootstrappers:kubeadm:default-node-token';

/** The signer of kubelet client certificates (certificates.k8s.io), which the join requests and csrsigning signs. */
export const kubeletClientSignerName = 'kubernetes.io/kube-apiserver-client-kubelet';

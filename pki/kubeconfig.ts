// A kubeconfig that carries its credentials inline (*-data fields, base64 of the PEM), so the file is
// self-contained: `skiff kubeconfig` prints it, the agent writes its own after the CSR is issued.
import { stringify } from 'yaml';

export interface KubeconfigWithCertsOptions {
  /** https://host:port of the API server. */
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** The user entry's name (e.g. `kubernetes-admin`, `system:node:n1`). */
  user: string;
  /** The cluster entry's name; `skiff` unless given. */
  clusterName?: string;
}

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

/** The kubeconfig YAML (apiVersion v1, kind Config) with one cluster, one user and their context selected. */
export function kubeconfigWithCerts(options: KubeconfigWithCertsOptions): string {
  const cluster = options.clusterName ?? 'skiff';
  const context = `${options.user}@${cluster}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: options.server, 'certificate-authority-data': b64(options.caPem) } }],
    users: [{ name: options.user, user: { 'client-certificate-data': b64(options.certPem), 'client-key-data': b64(options.keyPem) } }],
    contexts: [{ name: context, context: { cluster, user: options.user } }],
    'current-context': context,
    preferences: {},
  });
}

// Who may use the kubelet endpoint (logs, exec, attach, port-forward). TLS already proved the client
// holds a certificate from the cluster CA; among those, only the API server's kubelet client certificate
// (CN kube-apiserver-kubelet-client) and cluster admins (O system:masters) may in. A node's own
// certificate is from the same CA, and must not open a shell in another node's pods. Upstream gets the
// same effect with webhook authorization (SubjectAccessReview for nodes/proxy).
import type { TLSSocket } from 'node:tls';

export const apiServerKubeletClientName = 'kube-apiserver-kubelet-client';
const systemMasters = 'system:masters';

/** The client's identity from its verified certificate: CN → user, O → groups. */
export interface KubeletClient {
  user: string;
  groups: string[];
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The verified client's identity, or undefined when the socket carries no authorized certificate. */
export function kubeletClientOf(socket: TLSSocket): KubeletClient | undefined {
  if (!socket.authorized) return undefined;
  const subject = socket.getPeerCertificate().subject as Record<string, string | string[] | undefined> | undefined;
  if (!subject) return undefined;
  return { user: asList(subject['CN'])[0] ?? '', groups: asList(subject['O']) };
}

/**
 * Undefined when `client` may use the endpoint, else upstream's forbidden text:
 * `Forbidden (user=<u>, verb=<v>, resource=nodes, subresource=proxy)`.
 */
export function kubeletAccessDenied(client: KubeletClient | undefined, verb: string): string | undefined {
  if (!client) return 'Unauthorized';
  if (client.user === apiServerKubeletClientName || client.groups.includes(systemMasters)) return undefined;
  return `Forbidden (user=${client.user}, verb=${verb}, resource=nodes, subresource=proxy)`;
}

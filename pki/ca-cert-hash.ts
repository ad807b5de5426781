// The CA pin a joining node checks, exactly as kubeadm's `--discovery-token-ca-cert-hash` computes it
// (k8s.io/kubernetes/cmd/kubeadm/app/util/pubkeypin): SHA-256 over the CA certificate's DER
// SubjectPublicKeyInfo, hex, prefixed with the algorithm.
import { X509Certificate, createHash, timingSafeEqual } from 'node:crypto';

/** `sha256:<hex>` of the CA certificate's SubjectPublicKeyInfo (DER), as kubeadm prints it in the join command. */
export function caCertHash(caPem: string): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/**
 * True when `caPem`'s hash equals the pinned `expected` (`sha256:<64 hex>`, case-insensitive hex).
 * Any other format is false: the agent refuses to talk to a server it cannot pin.
 */
export function caCertHashMatches(caPem: string, expected: string): boolean {
  if (!/^sha256:[0-9a-fA-F]{64}$/.test(expected)) return false;
  const actual = Buffer.from(caCertHash(caPem), 'utf8');
  const wanted = Buffer.from(expected.toLowerCase(), 'utf8');
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

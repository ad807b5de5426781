// The shapes PEM material travels in between the PKI helpers, the server and the agent. PEM strings rather
// than parsed objects: they go to disk, into kubeconfigs and into TLS options unchanged.
import { generateKeyPairSync } from 'node:crypto';

/** A certificate and its private key, both PEM. */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

/** The cluster CA: the self-signed certificate and the key that signs everything else. */
export type CertificateAuthority = CertificateAndKey;

/** A fresh RSA-2048 key pair, PEM (PKCS#1 private key, SPKI public key), generated natively (~50 ms). */
export function generateRsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

// Where a joined node keeps its identity, and whether what is there can be used without joining again:
// <data-dir>/pki/{ca.crt, kubelet-client.crt, kubelet-client.key} and <data-dir>/kubelet.kubeconfig
// (self-contained: the same CA, certificate and key inline). The kubeconfig is written last, so its
// presence means the set is complete.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKubeconfig } from '../../client/index.js';
import { caCertHashMatches, kubeconfigWithCerts } from '../../pki/index.js';
import { writeFileAtomic } from './atomic-file.js';

/** The files of a node's identity under its data dir. */
export interface NodeCredentialPaths {
  caCert: string;
  clientCert: string;
  clientKey: string;
  kubeconfig: string;
}

export function nodeCredentialPaths(dataDir: string): NodeCredentialPaths {
  return {
    caCert: join(dataDir, 'pki', 'ca.crt'),
    clientCert: join(dataDir, 'pki', 'kubelet-client.crt'),
    clientKey: join(dataDir, 'pki', 'kubelet-client.key'),
    kubeconfig: join(dataDir, 'kubelet.kubeconfig'),
  };
}

/** What the join obtained: PEMs, and the server they are for. */
export interface NodeCredentials {
  server: string;
  nodeName: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A certificate expiring within this much is not worth starting with: join again instead, in ms. */
const minRemainingValidityMs = 60_000;

/**
 * Why the kubeconfig at `file` cannot be reused (undefined: it can): missing, unparsable, no https server,
 * no CA / certificate / key, a certificate not (or no longer) valid, one its key does not match, one the
 * CA did not sign, or a CA other than `pin` pins (when given).
 */
export function unusableReason(file: string, pin: string | undefined, nowMs: number = Date.now()): string | undefined {
  if (!existsSync(file)) return `${file} does not exist`;
  try {
    const conn = parseKubeconfig(readFileSync(file, 'utf8'), join(file, '..'));
    if (!conn.server.startsWith('https://')) return 'its server is not https';
    if (!conn.ca || !conn.cert || !conn.key) return 'it lacks the CA, the client certificate or its key';
    const cert = new X509Certificate(conn.cert);
    const ca = new X509Certificate(conn.ca);
    if (Date.parse(cert.validFrom) > nowMs) return 'its client certificate is not valid yet';
    if (Date.parse(cert.validTo) - minRemainingValidityMs < nowMs) return 'its client certificate has expired';
    if (!cert.checkPrivateKey(createPrivateKey(conn.key))) return 'its client key does not match the certificate';
    if (!cert.verify(ca.publicKey)) return 'its client certificate is not signed by its CA';
    if (pin !== undefined && !caCertHashMatches(ca.toString(), pin)) return 'its CA does not match --ca-cert-hash';
    return undefined;
  } catch (err) {
    return `it cannot be read: ${(err as Error).message}`;
  }
}

/** Writes the CA, certificate, key (0600) and then the kubeconfig (0600: it holds the key too), each atomically. */
export function writeNodeCredentials(dataDir: string, creds: NodeCredentials): NodeCredentialPaths {
  const paths = nodeCredentialPaths(dataDir);
  writeFileAtomic(paths.caCert, creds.caPem, 0o644);
  writeFileAtomic(paths.clientKey, creds.keyPem, 0o600);
  writeFileAtomic(paths.clientCert, creds.certPem, 0o644);
  const kubeconfig = kubeconfigWithCerts({
    server: creds.server,
    caPem: creds.caPem,
    certPem: creds.certPem,
    keyPem: creds.keyPem,
    user: `system:node:${creds.nodeName}`,
  });
  writeFileAtomic(paths.kubeconfig, kubeconfig, 0o600);
  return paths;
}

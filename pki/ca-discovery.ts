// How a joining agent learns the cluster CA without trusting the network, given only `--ca-cert-hash`:
// connect without verification, take the CA certificate from the chain the server sends, and accept it only
// if its public-key hash equals the pin and it really signed the serving certificate. kubeadm gets the CA
// from the cluster-info ConfigMap instead; the pin check is the same (cmd/kubeadm/app/util/pubkeypin).
import { X509Certificate } from 'node:crypto';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { caCertHash, caCertHashMatches } from './ca-cert-hash.js';

export interface DiscoverCaOptions {
  /** Give up after this long (connect + handshake). */
  timeoutMs?: number;
}

/** The chain as the server sent it, leaf first; node links a self-signed root to itself, which ends the walk. */
function chainOf(leaf: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/** The CA PEM from `chain` that matches `pin` and signed the leaf; throws a message an operator can act on. */
export function pinnedCaFromChain(chain: X509Certificate[], pin: string): string {
  const leaf = chain[0];
  if (!leaf) throw new Error('the server presented no certificate');
  const cas = chain.slice(1).filter((c) => c.ca);
  if (cas.length === 0) {
    throw new Error('the server did not send its CA certificate in the TLS chain, so it cannot be checked against --ca-cert-hash');
  }
  const pinned = cas.find((c) => caCertHashMatches(c.toString(), pin));
  if (!pinned) {
    const found = cas.map((c) => caCertHash(c.toString())).join(', ');
    throw new Error(`the server's CA does not match --ca-cert-hash: expected ${pin}, the server presented ${found}`);
  }
  if (!leaf.verify(pinned.publicKey)) {
    throw new Error('the server certificate is not signed by the pinned CA');
  }
  return pinned.toString();
}

/**
 * Connects to `host:port` over TLS without verifying, and returns the CA certificate (PEM) from the server's
 * chain whose SPKI hash equals `pin` (`sha256:<hex>`) and which signed the serving certificate. Rejects with
 * a clear message on a hash mismatch, a chain without the CA, or a connection failure. The server must send
 * its CA in the chain (serving `cert` = apiserver.crt + ca.crt).
 */
export function discoverPinnedCa(host: string, port: number, pin: string, options: DiscoverCaOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    // Verification is off on purpose: the pin below replaces it, exactly once, before anything is sent.
    const socket = connect({ host, port, rejectUnauthorized: false, servername: 'kubernetes' });
    socket.setTimeout(options.timeoutMs ?? 10_000, () => {
      socket.destroy();
      reject(new Error(`timed out connecting to ${host}:${port} to fetch the cluster CA`));
    });
    socket.once('error', (err) => reject(new Error(`cannot fetch the cluster CA from ${host}:${port}: ${err.message}`)));
    socket.once('secureConnect', () => {
      try {
        resolve(pinnedCaFromChain(chainOf(socket.getPeerCertificate(true)), pin));
      } catch (err) {
        reject(err as Error);
      } finally {
        socket.end();
      }
    });
  });
}

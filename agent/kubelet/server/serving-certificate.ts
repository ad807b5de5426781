// The kubelet endpoint's serving certificate. Upstream's kubelet, without --tls-cert-file, makes a
// self-signed one in its cert dir on first start and reuses it after; the API server does not verify it
// (no --kubelet-certificate-authority), so what matters is that the traffic is encrypted and the client
// (the API server) is verified. Kept at <data-dir>/pki/kubelet.{crt,key}.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair, issueCertificate, type CertificateAndKey } from '../../../pki/index.js';

const dayMs = 24 * 60 * 60 * 1000;
/** Upstream's self-signed kubelet certificate lives a year; renewed on a start within 30 days of expiry. */
const validityMs = 365 * dayMs;
const renewBeforeMs = 30 * dayMs;

/** The names the certificate carries: the node name, the host name, its addresses and loopback. */
export function servingNames(nodeName: string, addresses: readonly string[]): string[] {
  return [...new Set([nodeName, hostname().toLowerCase(), ...addresses, 'localhost', '127.0.0.1'].filter((n) => n.length > 0))];
}

function usable(pair: CertificateAndKey, names: readonly string[], nowMs: number): boolean {
  try {
    const cert = new X509Certificate(pair.certPem);
    if (Date.parse(cert.validTo) - renewBeforeMs < nowMs) return false;
    // "DNS:node-1, IP Address:10.0.0.7": the value after each entry's first colon.
    const sans = new Set((cert.subjectAltName ?? '').split(', ').map((e) => e.slice(e.indexOf(':') + 1)));
    return names.every((n) => sans.has(n));
  } catch {
    return false;
  }
}

function writePrivate(file: string, content: string, mode: number): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

/**
 * The serving pair under `pkiDir`, created (self-signed, CN `<node>@<unix seconds>` as upstream names it)
 * when missing, expiring within 30 days, or lacking one of `names`.
 */
export function ensureServingCertificate(pkiDir: string, nodeName: string, addresses: readonly string[], nowMs: number = Date.now()): CertificateAndKey {
  const certFile = join(pkiDir, 'kubelet.crt');
  const keyFile = join(pkiDir, 'kubelet.key');
  const names = servingNames(nodeName, addresses);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const existing = { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
    if (usable(existing, names, nowMs)) return existing;
  }
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const keys = generateRsaKeyPair();
  const certPem = issueCertificate(
    { commonName: `${nodeName}@${Math.floor(nowMs / 1000)}`, subjectAltNames: names, usage: 'server', validityMs, publicKeyPem: keys.publicKeyPem },
    { signingKeyPem: keys.privateKeyPem },
  );
  writePrivate(keyFile, keys.privateKeyPem, 0o600);
  writePrivate(certFile, certPem, 0o644);
  return { certPem, keyPem: keys.privateKeyPem };
}

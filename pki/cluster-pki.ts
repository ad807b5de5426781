// The cluster's certificates on disk, created on the server's first start and reused after: the CA, the
// API server's serving certificate and the admin's client certificate. Layout and lifetimes follow kubeadm
// (/etc/kubernetes/pki: ca.crt/ca.key, apiserver.crt/.key; a 10-year CA, 1-year leaf certificates).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { CertificateAndKey, CertificateAuthority } from './certificate-authority.js';
import { generateRsaKeyPair } from './certificate-authority.js';
import { caCertHash } from './ca-cert-hash.js';
import { issueCertificate, type CertificateUsage } from './x509-builder.js';

export interface ClusterPkiOptions {
  /** Addresses clients use to reach the API server (IPs and/or DNS names). */
  serverAddresses: string[];
  /** The first IP of the service CIDR: the `kubernetes` Service's ClusterIP, which pods dial. */
  serviceIP: string;
}

export interface ClusterPki {
  /** <dataDir>/pki */
  dir: string;
  ca: CertificateAuthority;
  apiServer: CertificateAndKey;
  admin: CertificateAndKey;
  /** The API server's client certificate towards kubelets (CN kube-apiserver-kubelet-client, O system:masters). */
  apiServerKubeletClient: CertificateAndKey;
  /** The in-process scheduler's client certificate (CN system:kube-scheduler). */
  scheduler: CertificateAndKey;
  /** The in-process controllers' client certificate (CN system:kube-controller-manager). */
  controllerManager: CertificateAndKey;
  /** `sha256:<hex>` for the join command. */
  caCertHash: string;
}

const dayMs = 24 * 60 * 60 * 1000;
const caValidityMs = 10 * 365 * dayMs;
const leafValidityMs = 365 * dayMs;
/** Leaf certificates closer than this to expiry are reissued on start, so a restart renews them in time. */
const renewBeforeMs = 30 * dayMs;

/** The admin identity kubeadm gives its admin.conf: `system:masters` is the superuser group. */
export const adminCommonName = 'kubernetes-admin';
export const adminOrganization = 'system:masters';

/**
 * The client identities the control plane itself uses, as kubeadm's apiserver-kubelet-client.crt,
 * scheduler.conf and controller-manager.conf. All are in system:masters for now: Skiff's scheduler and
 * controllers run in-process and need no narrower role yet (a documented simplification; upstream gives
 * them system:kube-scheduler / system:kube-controller-manager roles and no group).
 */
export const componentClients = {
  apiServerKubeletClient: { base: 'apiserver-kubelet-client', commonName: 'kube-apiserver-kubelet-client' },
  scheduler: { base: 'scheduler', commonName: 'system:kube-scheduler' },
  controllerManager: { base: 'controller-manager', commonName: 'system:kube-controller-manager' },
} as const;

/** Every name the serving certificate answers to, de-duplicated, in a stable order. */
export function apiServerSubjectAltNames(options: ClusterPkiOptions): string[] {
  const names = [
    ...options.serverAddresses,
    'localhost',
    '127.0.0.1',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    options.serviceIP,
  ];
  return [...new Set(names.filter((n) => n.length > 0))];
}

interface PairPaths {
  cert: string;
  key: string;
}

function pathsOf(dir: string, base: string): PairPaths {
  return { cert: join(dir, `${base}.crt`), key: join(dir, `${base}.key`) };
}

function readPair(paths: PairPaths): CertificateAndKey | undefined {
  if (!existsSync(paths.cert) || !existsSync(paths.key)) return undefined;
  return { certPem: readFileSync(paths.cert, 'utf8'), keyPem: readFileSync(paths.key, 'utf8') };
}

function writePair(paths: PairPaths, pair: CertificateAndKey): void {
  // Key first with 0600 from the start: a private key is never world-readable, not even briefly.
  writeFileSync(paths.key, pair.keyPem, { mode: 0o600 });
  chmodSync(paths.key, 0o600);
  writeFileSync(paths.cert, pair.certPem, { mode: 0o644 });
}

function loadOrCreateCa(dir: string): CertificateAuthority {
  const paths = pathsOf(dir, 'ca');
  const existing = readPair(paths);
  if (existing) return existing;
  if (existsSync(paths.cert) || existsSync(paths.key)) {
    // Regenerating half a CA would orphan every certificate already issued; make the operator decide.
    throw new Error(`incomplete cluster CA in ${dir}: ca.crt and ca.key must both exist or both be absent`);
  }
  const keys = generateRsaKeyPair();
  const certPem = issueCertificate(
    { commonName: 'kubernetes', usage: 'ca', validityMs: caValidityMs, publicKeyPem: keys.publicKeyPem },
    { signingKeyPem: keys.privateKeyPem },
  );
  const ca = { certPem, keyPem: keys.privateKeyPem };
  writePair(paths, ca);
  return ca;
}

function sanCount(cert: X509Certificate): number {
  return cert.subjectAltName ? cert.subjectAltName.split(', ').length : 0;
}

function hasExactSans(cert: X509Certificate, names: string[]): boolean {
  if (sanCount(cert) !== names.length) return false;
  return names.every((n) => (isIP(n) ? cert.checkIP(n) !== undefined : cert.checkHost(n, { wildcards: false }) !== undefined));
}

/** Whether an existing leaf is still good: signed by this CA, matching its key, not about to expire. */
function stillValid(pair: CertificateAndKey, ca: X509Certificate): X509Certificate | undefined {
  try {
    const cert = new X509Certificate(pair.certPem);
    if (!cert.verify(ca.publicKey) || !cert.checkPrivateKey(createPrivateKey(pair.keyPem))) return undefined;
    if (Date.parse(cert.validTo) - Date.now() < renewBeforeMs) return undefined;
    return cert;
  } catch {
    // An unreadable file is as good as a missing one: reissue.
    return undefined;
  }
}

function issueLeaf(
  ca: CertificateAuthority,
  subject: { commonName: string; organizations?: string[]; subjectAltNames?: string[]; usage: CertificateUsage },
): CertificateAndKey {
  const keys = generateRsaKeyPair();
  const certPem = issueCertificate(
    { ...subject, validityMs: leafValidityMs, publicKeyPem: keys.publicKeyPem },
    { issuerCertPem: ca.certPem, signingKeyPem: ca.keyPem },
  );
  return { certPem, keyPem: keys.privateKeyPem };
}

function ensureLeaf(
  dir: string,
  base: string,
  ca: CertificateAuthority,
  subject: Parameters<typeof issueLeaf>[1],
  acceptable: (cert: X509Certificate) => boolean,
): CertificateAndKey {
  const paths = pathsOf(dir, base);
  const existing = readPair(paths);
  const caCert = new X509Certificate(ca.certPem);
  if (existing) {
    const cert = stillValid(existing, caCert);
    if (cert && acceptable(cert)) return existing;
  }
  const pair = issueLeaf(ca, subject);
  writePair(paths, pair);
  return pair;
}

function ensureClient(dir: string, ca: CertificateAuthority, base: string, commonName: string): CertificateAndKey {
  return ensureLeaf(dir, base, ca, { commonName, organizations: [adminOrganization], usage: 'client' }, (cert) =>
    cert.subject.split('\n').includes(`CN=${commonName}`),
  );
}

/**
 * Creates (first call) or loads (later calls) the cluster PKI under `<dataDir>/pki/`: ca.crt/ca.key,
 * apiserver.crt/.key, admin.crt/.key and the component clients (apiserver-kubelet-client, scheduler,
 * controller-manager), keys mode 0600. Idempotent: existing files are reused; the serving
 * certificate is reissued when its SANs differ from what `options` asks for, and any leaf is reissued when it
 * is unreadable, not signed by the CA, or within 30 days of expiry. The CA itself is never replaced.
 */
export function ensureClusterPki(dataDir: string, options: ClusterPkiOptions): ClusterPki {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = loadOrCreateCa(dir);
  const sans = apiServerSubjectAltNames(options);
  const apiServer = ensureLeaf(dir, 'apiserver', ca, { commonName: 'kube-apiserver', subjectAltNames: sans, usage: 'server' }, (cert) =>
    hasExactSans(cert, sans),
  );
  const admin = ensureLeaf(
    dir,
    'admin',
    ca,
    { commonName: adminCommonName, organizations: [adminOrganization], usage: 'client' },
    (cert) => cert.subject.includes(`CN=${adminCommonName}`),
  );
  const client = (c: { base: string; commonName: string }): CertificateAndKey => ensureClient(dir, ca, c.base, c.commonName);
  return {
    dir,
    ca,
    apiServer,
    admin,
    apiServerKubeletClient: client(componentClients.apiServerKubeletClient),
    scheduler: client(componentClients.scheduler),
    controllerManager: client(componentClients.controllerManager),
    caCertHash: caCertHash(ca.certPem),
  };
}

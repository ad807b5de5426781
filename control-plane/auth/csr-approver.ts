// Automatic approval of kubelet client CertificateSigningRequests, as upstream's csrapproving controller
// does for bootstrap tokens (pkg/controller/certificates/approver): the request must come from a bootstrap
// token (or from the node itself, renewing), name the kubelet client signer, and ask for exactly a node
// client identity. The decision is pure; the caller writes the condition and then issues the certificate.
import { type CertificateAuthority, type CsrSubject, kubeletClientSignerName, parseCsr, signClientCertificate } from '../../pki/index.js';
import type { CertificateSigningRequest } from './csr-types.js';
import { nodeUserPrefix, systemBootstrappers, systemNodes } from '../../pki/well-known.js';

export interface CsrApprovalDecision {
  decision: 'approve' | 'deny';
  /** The condition's reason: `AutoApproved` or `AutoDenied`. */
  reason: string;
  /** Why, for the condition's message and the log. */
  message: string;
}

const requiredUsages = ['digital signature', 'client auth'];
const optionalUsages = ['key encipherment'];
/** Upstream's floor for spec.expirationSeconds (10 minutes) and Skiff's default lifetime (1 year). */
const minExpirationSeconds = 600;
const defaultExpirationSeconds = 365 * 24 * 60 * 60;

const denyWith = (message: string): CsrApprovalDecision => ({ decision: 'deny', reason: 'AutoDenied', message });

function usagesProblem(usages: readonly string[]): string | undefined {
  const set = new Set(usages);
  if (set.size !== usages.length) return 'usages contain duplicates';
  const missing = requiredUsages.filter((u) => !set.has(u));
  if (missing.length > 0) return `usages must include ${missing.map((u) => `"${u}"`).join(' and ')}`;
  const extra = usages.filter((u) => !requiredUsages.includes(u) && !optionalUsages.includes(u));
  if (extra.length > 0) return `usages ${extra.map((u) => `"${u}"`).join(', ')} are not allowed for a node client certificate`;
  return undefined;
}

function subjectProblem(subject: CsrSubject): string | undefined {
  if (!subject.commonName.startsWith(nodeUserPrefix) || subject.commonName.length === nodeUserPrefix.length) {
    return `the subject's common name must be "system:node:<node name>", not "${subject.commonName}"`;
  }
  if (subject.organizations.length !== 1 || subject.organizations[0] !== systemNodes) {
    return `the subject's organization must be exactly "${systemNodes}"`;
  }
  if (subject.subjectAltNames.length > 0) return 'a node client certificate request must not carry subject alternative names';
  return undefined;
}

function decodeRequest(csr: CertificateSigningRequest): CsrSubject | string {
  try {
    return parseCsr(Buffer.from(csr.spec.request, 'base64').toString('utf8'));
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Whether to auto-approve `csr`: signer kubernetes.io/kube-apiserver-client-kubelet; requested by a member of
 * system:bootstrappers (or by `system:node:<n>` in system:nodes renewing its own identity); usages exactly
 * "digital signature" + "client auth" (+ optional "key encipherment"); a PKCS#10 request whose self-signature
 * verifies, with CN `system:node:<name>`, O exactly `system:nodes`, and no SANs. Anything else: deny, with why.
 */
export function decideCsrApproval(csr: CertificateSigningRequest): CsrApprovalDecision {
  const spec = csr.spec;
  if (spec.signerName !== kubeletClientSignerName) {
    return denyWith(`signerName must be "${kubeletClientSignerName}", not "${spec.signerName}"`);
  }
  const usageProblem = usagesProblem(spec.usages ?? []);
  if (usageProblem) return denyWith(usageProblem);
  const subject = decodeRequest(csr);
  if (typeof subject === 'string') return denyWith(subject);
  const problem = subjectProblem(subject);
  if (problem) return denyWith(problem);
  const groups = spec.groups ?? [];
  const bootstrapper = groups.includes(systemBootstrappers);
  const selfRenewal = groups.includes(systemNodes) && spec.username === subject.commonName;
  if (!bootstrapper && !selfRenewal) {
    return denyWith(`requester "${spec.username ?? ''}" is neither a bootstrap token nor the node "${subject.commonName}" itself`);
  }
  return {
    decision: 'approve',
    reason: 'AutoApproved',
    message: bootstrapper
      ? 'Auto approving kubelet client certificate after SubjectAccessReview.'
      : 'Auto approving self kubelet client certificate after SubjectAccessReview.',
  };
}

/**
 * Signs an (approved) CSR with the cluster CA: the certificate carries the request's CN/O and lives
 * spec.expirationSeconds (at least 10 minutes) or one year. Returns base64 of the PEM, ready for status.certificate.
 * Throws BadRequestError when the request does not parse or its signature does not verify.
 */
export function issueForCsr(ca: CertificateAuthority, csr: CertificateSigningRequest): string {
  const requested = Buffer.from(csr.spec.request, 'base64').toString('utf8');
  const seconds = Math.max(csr.spec.expirationSeconds ?? defaultExpirationSeconds, minExpirationSeconds);
  const pem = signClientCertificate(ca, requested, { validityDays: seconds / 86_400 });
  return Buffer.from(pem, 'utf8').toString('base64');
}

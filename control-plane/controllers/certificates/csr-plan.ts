// What the csrsigning controller does next with one CertificateSigningRequest, decided purely from the
// object: approve or deny it (upstream's csrapproving controller), sign it (upstream's csrsigning
// controller for the kubelet client signer), mark it Failed, or leave it alone. One step at a time, so
// the reconcile loop is level-triggered: whatever state a CSR is found in, the next step follows from it.
import { decideCsrApproval, type CertificateSigningRequest, type CsrApprovalDecision } from '../../auth/index.js';
import { kubeletClientSignerName, systemBootstrappers, systemNodes } from '../../../pki/index.js';

export type CsrAction =
  | { kind: 'none'; why: string }
  | { kind: 'approve'; decision: CsrApprovalDecision }
  | { kind: 'deny'; decision: CsrApprovalDecision }
  | { kind: 'sign' }
  | { kind: 'fail'; message: string };

/** True when `csr` carries a condition of `type` with status True (upstream: a missing status means True). */
export function hasCondition(csr: CertificateSigningRequest, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type && (c.status ?? 'True') === 'True');
}

/**
 * Only requesters the approver speaks for get an automatic denial: bootstrap tokens and nodes. A kubelet
 * client CSR an administrator created is left pending for `kubectl certificate approve`, as upstream's
 * approver has no opinion on it either.
 */
function approverDecides(csr: CertificateSigningRequest): boolean {
  const groups = csr.spec.groups ?? [];
  return groups.includes(systemBootstrappers) || groups.includes(systemNodes);
}

/**
 * Why the signer refuses to sign `csr` (undefined: it may). The signer checks the request's shape itself,
 * whoever approved it: a human approving a CSR for `system:masters` must not get one signed. The approver's
 * rules are the shape rules, so they are asked as if a bootstrapper had sent the request.
 */
export function signingProblem(csr: CertificateSigningRequest): string | undefined {
  const asBootstrapper: CertificateSigningRequest = { ...csr, spec: { ...csr.spec, groups: [systemBootstrappers] } };
  const decision = decideCsrApproval(asBootstrapper);
  return decision.decision === 'deny' ? decision.message : undefined;
}

/** The next step for `csr`; `none` with why when there is nothing to do. */
export function planCsr(csr: CertificateSigningRequest): CsrAction {
  if (csr.spec.signerName !== kubeletClientSignerName) return { kind: 'none', why: `signer ${csr.spec.signerName} is not handled here` };
  if (csr.status?.certificate) return { kind: 'none', why: 'already issued' };
  if (hasCondition(csr, 'Failed')) return { kind: 'none', why: 'failed' };
  if (hasCondition(csr, 'Denied')) return { kind: 'none', why: 'denied' };
  if (hasCondition(csr, 'Approved')) {
    const problem = signingProblem(csr);
    return problem ? { kind: 'fail', message: problem } : { kind: 'sign' };
  }
  const decision = decideCsrApproval(csr);
  if (decision.decision === 'approve') return { kind: 'approve', decision };
  if (approverDecides(csr)) return { kind: 'deny', decision };
  return { kind: 'none', why: `left for manual approval: ${decision.message}` };
}

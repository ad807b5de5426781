// The csrsigning controller: upstream's csrapproving and csrsigning controllers in one loop, for the one
// signer Skiff issues certificates for (kubernetes.io/kube-apiserver-client-kubelet). An informer on CSRs
// enqueues names; reconcile takes the CSR from the cache and applies planCsr's next step: write the
// Approved or Denied condition through the /approval subresource, or the signed certificate (or a Failed
// condition) through /status. Each write's answer is planned again at once, so a fresh CSR is approved
// and signed in one pass; a missed event or a restart is caught up by the same function.
import { BadRequestError } from '../../../api/errors.js';
import { resourcePath, type Informer } from '../../../client/index.js';
import { issueForCsr, type CertificateSigningRequest, type CertificateSigningRequestCondition } from '../../auth/index.js';
import type { CertificateAuthority } from '../../../pki/index.js';
import type { ControllerContext } from '../controller-context.js';
import { QueueController } from '../queue-controller.js';
import { timestamp } from '../time.js';
import { planCsr, type CsrAction } from './csr-plan.js';
import { certificateSigningRequestsResource as csrResource } from '../resources.js';

/** Planned steps per reconcile: approve, then sign, with one to spare; more means a loop, left to the next event. */
const maxStepsPerReconcile = 3;

export class CsrSigningController extends QueueController {
  private readonly csrs: Informer<CertificateSigningRequest>;

  constructor(
    ctx: ControllerContext,
    private readonly ca: CertificateAuthority,
  ) {
    super('csrsigning', ctx);
    this.csrs = ctx.informers.forResource<CertificateSigningRequest>(csrResource);
    this.csrs.addEventHandler({ onAdd: (c) => this.enqueue(c), onUpdate: (_old, c) => this.enqueue(c) });
  }

  async reconcile(name: string): Promise<void> {
    let csr = this.csrs.get(name);
    for (let step = 0; csr && step < maxStepsPerReconcile; step++) {
      const action = planCsr(csr);
      if (action.kind === 'none') return;
      csr = await this.act(csr, action);
    }
  }

  private async act(csr: CertificateSigningRequest, action: Exclude<CsrAction, { kind: 'none' }>): Promise<CertificateSigningRequest> {
    const log = { csr: csr.metadata.name, requester: csr.spec.username };
    switch (action.kind) {
      case 'approve':
      case 'deny': {
        const type = action.kind === 'approve' ? 'Approved' : 'Denied';
        const written = await this.writeApproval(csr, this.condition(type, action.decision.reason, action.decision.message));
        this.log.info({ ...log, reason: action.decision.message }, action.kind === 'approve' ? 'certificate signing request approved' : 'certificate signing request denied');
        return written;
      }
      case 'sign':
        return this.sign(csr);
      case 'fail':
        this.log.warn({ ...log, reason: action.message }, 'approved certificate signing request not signed');
        return this.writeStatus(csr, { conditions: [...(csr.status?.conditions ?? []), this.condition('Failed', 'SignerValidationFailure', action.message)] });
    }
  }

  private async sign(csr: CertificateSigningRequest): Promise<CertificateSigningRequest> {
    let certificate: string;
    try {
      certificate = issueForCsr(this.ca, csr);
    } catch (err) {
      // A request whose signature does not verify never will: Failed, not retried.
      if (!(err instanceof BadRequestError)) throw err;
      return this.writeStatus(csr, { conditions: [...(csr.status?.conditions ?? []), this.condition('Failed', 'SignerValidationFailure', err.message)] });
    }
    const written = await this.writeStatus(csr, { certificate });
    this.log.info({ csr: csr.metadata.name, requester: csr.spec.username }, 'certificate issued');
    return written;
  }

  private condition(type: string, reason: string, message: string): CertificateSigningRequestCondition {
    const now = timestamp(this.ctx.clock);
    return { type, status: 'True', reason, message, lastUpdateTime: now, lastTransitionTime: now };
  }

  private writeApproval(csr: CertificateSigningRequest, condition: CertificateSigningRequestCondition): Promise<CertificateSigningRequest> {
    const body: CertificateSigningRequest = { ...csr, status: { ...(csr.status ?? {}), conditions: [...(csr.status?.conditions ?? []), condition] } };
    const path = resourcePath(csrResource, { name: csr.metadata.name ?? '', subresource: 'approval' });
    return this.ctx.client.request<CertificateSigningRequest>('PUT', path, body);
  }

  private writeStatus(csr: CertificateSigningRequest, status: NonNullable<CertificateSigningRequest['status']>): Promise<CertificateSigningRequest> {
    return this.ctx.client.updateStatus<CertificateSigningRequest>(csrResource, { ...csr, status: { ...(csr.status ?? {}), ...status } });
  }
}

// The node's side of a kubelet client CertificateSigningRequest: build it for `system:node:<name>` in
// `system:nodes`, create it with the bootstrap token, and wait until the cluster answers: a certificate,
// a denial, a failure, or nothing within the deadline. Polling with GET rather than a watch: one request
// a second for a minute at most, and nothing to resume after a dropped connection.
import { createHash, createPublicKey } from 'node:crypto';
import { AlreadyExistsError } from '../../api/errors.js';
import type { Clock } from '../../client/index.js';
import type { CertificateSigningRequest } from '../../api/types/certificates.js';
import { createCsr, kubeletClientSignerName, nodeUserPrefix, systemNodes } from '../../pki/index.js';
import { joinFailed, joinRefused } from './join-error.js';

/** The two calls the join makes on CSRs; RestCsrApi is the real one, tests fake it. */
export interface CsrApi {
  create(csr: CertificateSigningRequest): Promise<CertificateSigningRequest>;
  get(name: string): Promise<CertificateSigningRequest>;
}

/**
 * The CSR object for `nodeName`, keyed by the public key: the name is derived from it (as upstream's
 * kubelet derives `node-csr-<digest>`), so a retry with the same key finds its own request again.
 */
export function nodeCsrObject(nodeName: string, keyPem: string): CertificateSigningRequest {
  const requestPem = createCsr(keyPem, { commonName: `${nodeUserPrefix}${nodeName}`, organizations: [systemNodes] });
  const spki = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  const digest = createHash('sha256').update(spki).update(nodeName).digest('hex').slice(0, 32);
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: `node-csr-${digest}` },
    spec: {
      request: Buffer.from(requestPem, 'utf8').toString('base64'),
      signerName: kubeletClientSignerName,
      usages: ['digital signature', 'client auth'],
    },
  };
}

/** Upstream semantics: a condition without a status counts as True. */
function conditionOf(csr: CertificateSigningRequest, type: string): { reason?: string; message?: string } | undefined {
  return (csr.status?.conditions ?? []).find((c) => c.type === type && (c.status ?? 'True') === 'True');
}

/** The certificate PEM once issued, undefined while pending; throws a JoinError on Denied or Failed. */
export function issuedCertificate(csr: CertificateSigningRequest): string | undefined {
  const name = csr.metadata.name ?? '';
  for (const type of ['Denied', 'Failed'] as const) {
    const c = conditionOf(csr, type);
    if (c) {
      const why = [c.reason, c.message].filter(Boolean).join(': ');
      throw joinRefused(`the certificate signing request ${name} was ${type.toLowerCase()}${why ? ` (${why})` : ''}`);
    }
  }
  const b64 = csr.status?.certificate;
  return b64 ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
}

/** Creates `csr`, or finds it again when a previous attempt with the same key already did. */
export async function submitCsr(api: CsrApi, csr: CertificateSigningRequest): Promise<CertificateSigningRequest> {
  try {
    return await api.create(csr);
  } catch (err) {
    if (err instanceof AlreadyExistsError) return api.get(csr.metadata.name ?? '');
    throw err;
  }
}

export interface WaitOptions {
  clock: Clock;
  timeoutMs: number;
  pollIntervalMs: number;
}

/** Polls `name` until a certificate is issued (answers its PEM), it is denied or failed, or `timeoutMs` passes. */
export async function waitForCertificate(api: CsrApi, first: CertificateSigningRequest, options: WaitOptions): Promise<string> {
  const name = first.metadata.name ?? '';
  const deadline = options.clock.now() + options.timeoutMs;
  let csr = first;
  for (;;) {
    const pem = issuedCertificate(csr);
    if (pem) return pem;
    if (options.clock.now() >= deadline) {
      const approved = conditionOf(csr, 'Approved') !== undefined;
      throw joinFailed(
        `no certificate was issued for ${name} within ${Math.round(options.timeoutMs / 1000)} s` +
          (approved ? ' (it is approved but unsigned: is the csrsigning controller running on the server?)' : ' (it is still pending approval)'),
      );
    }
    await options.clock.sleep(options.pollIntervalMs);
    csr = await api.get(name);
  }
}

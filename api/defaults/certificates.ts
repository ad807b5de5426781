// certificates.k8s.io/v1 defaults: a condition without a status is True (SetDefaults_CertificateSigningRequestCondition),
// so `{type: Approved}` means approved, as older clients sent it.
import type { KubeObject } from '../object.js';

export function defaultCertificateSigningRequest(csr: KubeObject): void {
  const status = csr['status'];
  if (status === null || typeof status !== 'object' || Array.isArray(status)) return;
  const conditions = (status as Record<string, unknown>)['conditions'];
  if (!Array.isArray(conditions)) return;
  for (const c of conditions) {
    if (c !== null && typeof c === 'object' && !Array.isArray(c) && !(c as Record<string, unknown>)['status']) {
      (c as Record<string, unknown>)['status'] = 'True';
    }
  }
}

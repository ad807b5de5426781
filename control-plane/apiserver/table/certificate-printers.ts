// CertificateSigningRequests, as `kubectl get csr` shows them: who asked, for which signer, for how long,
// and where the request stands (Pending, Approved, Denied, with Failed and Issued appended).
import type { KubeObject } from '../../../api/object.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { at, list, str } from './fields.js';
import { ageSince, humanDuration } from './human-duration.js';
import type { Printer } from './table-types.js';

/** Upstream's extractCSRStatus: Denied wins over Approved; Failed and Issued are appended. */
export function csrCondition(csr: KubeObject): string {
  const types = new Set(list(at(csr, 'status', 'conditions')).map((c) => str(c.type)));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (str(at(csr, 'status', 'certificate')) !== '') status += ',Issued';
  return status;
}

export const certificateSigningRequestPrinter: Printer = {
  columns: [
    nameColumn,
    ageColumn,
    column('SignerName', 'signerName indicates the requested signer, and is a qualified name.'),
    column('Requestor', 'username contains the name of the user that created the CertificateSigningRequest.'),
    column('RequestedDuration', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    column('Condition', 'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".'),
  ],
  cells(csr, now) {
    const seconds = at(csr, 'spec', 'expirationSeconds');
    return [
      csr.metadata.name ?? '',
      ageSince(csr.metadata.creationTimestamp, now),
      str(at(csr, 'spec', 'signerName')) || '<none>',
      str(at(csr, 'spec', 'username')),
      typeof seconds === 'number' ? humanDuration(seconds * 1000) : '<none>',
      csrCondition(csr),
    ];
  },
};

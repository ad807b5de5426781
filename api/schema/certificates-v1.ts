// certificates.k8s.io/v1 CertificateSigningRequest.
import type { Definition } from './field-schema.js';
import { bytes, dateTime, def, int32, kind, list, listKind, map, ref, str } from './build.js';

const certificates = 'io.k8s.api.certificates.v1.';
const csrGvk = { group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequest' };

export const certificatesDefinitions: Definition[] = [
  kind(
    `${certificates}CertificateSigningRequest`,
    csrGvk,
    { spec: ref(`${certificates}CertificateSigningRequestSpec`), status: ref(`${certificates}CertificateSigningRequestStatus`) },
    { required: ['spec'] },
  ),
  listKind(`${certificates}CertificateSigningRequest`, csrGvk),
  def(
    `${certificates}CertificateSigningRequestSpec`,
    {
      request: bytes,
      signerName: str,
      expirationSeconds: int32,
      usages: list(str),
      username: str,
      uid: str,
      groups: list(str),
      extra: map(list(str)),
    },
    { required: ['request', 'signerName'] },
  ),
  def(`${certificates}CertificateSigningRequestStatus`, {
    // Upstream: +listType=map +listMapKeys=type (one condition per type), without a patch strategy.
    conditions: { type: 'array', items: ref(`${certificates}CertificateSigningRequestCondition`), listType: 'map', listMapKeys: ['type'] },
    certificate: bytes,
  }),
  def(
    `${certificates}CertificateSigningRequestCondition`,
    { type: str, status: str, reason: str, message: str, lastUpdateTime: dateTime, lastTransitionTime: dateTime },
    { required: ['type', 'status'] },
  ),
];

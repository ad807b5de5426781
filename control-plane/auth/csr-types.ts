// Key usages and the kubelet client signer of certificates.k8s.io/v1.

/** Upstream's KeyUsage strings (certificates/v1). */
export type KeyUsage =
  | 'signing'
  | 'digital signature'
  | 'content commitment'
  | 'key encipherment'
  | 'key agreement'
  | 'data encipherment'
  | 'cert sign'
  | 'crl sign'
  | 'encipher only'
  | 'decipher only'
  | 'any'
  | 'server auth'
  | 'client auth'
  | 'code signing'
  | 'email protection'
  | 's/mime'
  | 'ipsec end system'
  | 'ipsec tunnel'
  | 'ipsec user'
  | 'timestamping'
  | 'ocsp signing'
  | 'microsoft sgc'
  | 'netscape sgc'
  | (string & {});

// The kind itself is api/'s; this file adds only the key usages.
export type { CertificateSigningRequest, CertificateSigningRequestSpec, CertificateSigningRequestCondition } from '../../api/types/certificates.js';

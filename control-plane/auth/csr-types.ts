// certificates.k8s.io/v1 CertificateSigningRequest, with upstream's JSON names. Defined here until the lead
// registers the kind in api/resources.ts.
import type { KubeObject } from '../../api/object.js';

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

export interface CertificateSigningRequestSpec {
  /** base64 of the PEM PKCS#10 request. */
  request: string;
  signerName: string;
  expirationSeconds?: number;
  usages?: KeyUsage[];
  /** Set by the API server from the authenticated requester; never trusted from the client. */
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface CertificateSigningRequestCondition {
  type: 'Approved' | 'Denied' | 'Failed' | (string & {});
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface CertificateSigningRequest extends KubeObject {
  spec: CertificateSigningRequestSpec;
  status?: {
    conditions?: CertificateSigningRequestCondition[];
    /** base64 of the PEM certificate chain, set by the signer once approved. */
    certificate?: string;
  };
}

/** The signer whose certificates the API server accepts for kubelet (node) client authentication. */
export const kubeletClientSignerName = 'kubernetes.io/kube-apiserver-client-kubelet';

// certificates.k8s.io/v1 CertificateSigningRequest.
import type { KubeObject } from '../object.js';
import type { Time } from './meta.js';

export interface CertificateSigningRequestSpec {
  /** base64 (JSON) of a PEM "CERTIFICATE REQUEST" block. */
  request: string;
  signerName: string;
  /** Requested validity; at least 600. */
  expirationSeconds?: number;
  /** KeyUsage strings: `digital signature`, `client auth`, ... */
  usages?: string[];
  /** Stamped by the API server from the authenticated requester on create; never taken from the client. */
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface CertificateSigningRequestCondition {
  /** `Approved`, `Denied` (via .../approval) or `Failed` (via .../status); others are allowed. */
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastUpdateTime?: Time;
  lastTransitionTime?: Time;
}

export interface CertificateSigningRequestStatus {
  conditions?: CertificateSigningRequestCondition[];
  /** base64 (JSON) of the PEM certificate chain the signer issued; immutable once set. */
  certificate?: string;
}

export interface CertificateSigningRequest extends KubeObject {
  spec: CertificateSigningRequestSpec;
  status?: CertificateSigningRequestStatus;
}

// coordination.k8s.io/v1 Lease: node heartbeats and leader election.
import type { KubeObject } from '../object.js';
import type { MicroTime } from './meta.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: MicroTime;
  renewTime?: MicroTime;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

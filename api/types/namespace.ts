// core/v1 Namespace.
import type { KubeObject } from '../object.js';
import type { ConditionStatus, Time } from './meta.js';

export type NamespacePhase = 'Active' | 'Terminating';

export interface NamespaceSpec {
  /** Finalizers that must be removed before the namespace is deleted from storage (e.g. `kubernetes`). */
  finalizers?: string[];
}

export interface NamespaceCondition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime?: Time;
  reason?: string;
  message?: string;
}

export interface NamespaceStatus {
  phase?: NamespacePhase;
  conditions?: NamespaceCondition[];
}

export interface Namespace extends KubeObject {
  spec?: NamespaceSpec;
  status?: NamespaceStatus;
}

// apps/v1 workloads: ReplicaSet, Deployment, DaemonSet, ControllerRevision.
import type { KubeObject } from '../object.js';
import type { ConditionStatus, IntOrString, LabelSelector, Time } from './meta.js';
import type { PodTemplateSpec } from './pod.js';

/** The condition shape shared by ReplicaSet, Deployment and DaemonSet status. */
export interface WorkloadCondition {
  type: string;
  status: ConditionStatus;
  lastUpdateTime?: Time;
  lastTransitionTime?: Time;
  reason?: string;
  message?: string;
}

export interface ReplicaSetSpec {
  /** Defaults to 1. */
  replicas?: number;
  minReadySeconds?: number;
  selector: LabelSelector;
  template?: PodTemplateSpec;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  terminatingReplicas?: number;
  observedGeneration?: number;
  conditions?: WorkloadCondition[];
}

export interface ReplicaSet extends KubeObject {
  spec?: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

export interface RollingUpdateDeployment {
  /** Defaults to "25%". */
  maxUnavailable?: IntOrString;
  /** Defaults to "25%". */
  maxSurge?: IntOrString;
}

export interface DeploymentStrategy {
  /** Defaults to RollingUpdate. */
  type?: 'Recreate' | 'RollingUpdate';
  rollingUpdate?: RollingUpdateDeployment;
}

export interface DeploymentSpec {
  /** Defaults to 1. */
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: DeploymentStrategy;
  minReadySeconds?: number;
  /** Defaults to 10. */
  revisionHistoryLimit?: number;
  paused?: boolean;
  /** Defaults to 600. */
  progressDeadlineSeconds?: number;
}

export type DeploymentConditionType = 'Available' | 'Progressing' | 'ReplicaFailure';

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  terminatingReplicas?: number;
  conditions?: WorkloadCondition[];
  collisionCount?: number;
}

export interface Deployment extends KubeObject {
  spec?: DeploymentSpec;
  status?: DeploymentStatus;
}

export interface RollingUpdateDaemonSet {
  /** Defaults to 1. */
  maxUnavailable?: IntOrString;
  /** Defaults to 0. */
  maxSurge?: IntOrString;
}

export interface DaemonSetUpdateStrategy {
  /** Defaults to RollingUpdate. */
  type?: 'RollingUpdate' | 'OnDelete';
  rollingUpdate?: RollingUpdateDaemonSet;
}

export interface DaemonSetSpec {
  selector: LabelSelector;
  template: PodTemplateSpec;
  updateStrategy?: DaemonSetUpdateStrategy;
  minReadySeconds?: number;
  /** Defaults to 10. */
  revisionHistoryLimit?: number;
}

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: WorkloadCondition[];
}

export interface DaemonSet extends KubeObject {
  spec?: DaemonSetSpec;
  status?: DaemonSetStatus;
}

/** An immutable snapshot of a workload's template, as DaemonSet (and StatefulSet) history keeps it. */
export interface ControllerRevision extends KubeObject {
  /** The snapshot (upstream: runtime.RawExtension). */
  data?: unknown;
  revision: number;
}

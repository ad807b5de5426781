// Bodies of subresources and options the apiserver reads: scale (autoscaling/v1), eviction
// (policy/v1), and meta/v1 DeleteOptions.
import type { KubeObject } from '../object.js';

export interface ScaleSpec {
  replicas?: number;
}

export interface ScaleStatus {
  replicas: number;
  /** The label selector of the scaled pods, in query-string form. */
  selector?: string;
}

/** autoscaling/v1 Scale: the body of GET/PUT {deployments,replicasets}/{name}/scale. */
export interface Scale extends KubeObject {
  spec?: ScaleSpec;
  status?: ScaleStatus;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** meta/v1 DeleteOptions: the optional body of a DELETE. */
export interface DeleteOptions {
  apiVersion?: string;
  kind?: string;
  gracePeriodSeconds?: number;
  preconditions?: Preconditions;
  orphanDependents?: boolean;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  dryRun?: string[];
}

/** policy/v1 Eviction: the body of POST pods/{name}/eviction. */
export interface Eviction extends KubeObject {
  deleteOptions?: DeleteOptions;
}

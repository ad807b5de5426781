// Small shapes shared by several kinds (k8s.io/apimachinery/pkg/apis/meta/v1 and util/intstr).

/** RFC 3339 timestamp as upstream serializes metav1.Time (`2024-01-02T03:04:05Z`). */
export type Time = string;
/** RFC 3339 timestamp with microseconds (metav1.MicroTime), used by Lease and events.k8s.io Events. */
export type MicroTime = string;
/** intstr.IntOrString: a JSON integer or a string (a port name, or a percentage such as "25%"). */
export type IntOrString = number | string;
/** A resource.Quantity on the wire: "500m", "128Mi"; JSON numbers are accepted too. */
export type QuantityValue = string | number;
/** A map of resource names (`cpu`, `memory`, ...) to quantities. */
export type ResourceList = Record<string, QuantityValue>;

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values?: string[];
}

/** metav1.LabelSelector: the object form of a label selector; the requirements are ANDed. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** metav1.Condition, the standard condition shape of newer APIs. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: Time;
  reason: string;
  message: string;
}

/** A reference to an object in the same namespace by name (core/v1 LocalObjectReference). */
export interface LocalObjectReference {
  name?: string;
}

/** core/v1 ObjectReference: points at any object, optionally a field inside it. */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** core/v1 TypedLocalObjectReference. */
export interface TypedLocalObjectReference {
  apiGroup?: string;
  kind: string;
  name: string;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

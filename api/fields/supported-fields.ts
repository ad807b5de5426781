// Which fields each resource may be filtered on, and how to read them from an object, as upstream's
// field label conversion functions and GetAttrs/ToSelectableFields allow. Every resource supports
// metadata.name and metadata.namespace; anything else must be listed here.
import type { KubeObject } from '../object.js';
import type { ResourceInfo } from '../resources.js';

/** Reads a selectable field of an object as the string upstream compares with. */
export type FieldGetter = (obj: KubeObject) => string;

function path(obj: unknown, ...keys: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function str(...keys: string[]): FieldGetter {
  return (obj) => {
    const v = path(obj, ...keys);
    return v === undefined || v === null ? '' : String(v);
  };
}

/** Booleans and numbers print as upstream's strconv does: an absent bool is "false", an absent int "0". */
function bool(...keys: string[]): FieldGetter {
  return (obj) => String(path(obj, ...keys) === true);
}

function int(...keys: string[]): FieldGetter {
  return (obj) => {
    const v = path(obj, ...keys);
    return typeof v === 'number' ? String(v) : '0';
  };
}

const common: Readonly<Record<string, FieldGetter>> = {
  'metadata.name': str('metadata', 'name'),
  'metadata.namespace': str('metadata', 'namespace'),
};

const byResource: Readonly<Record<string, Readonly<Record<string, FieldGetter>>>> = {
  '/pods': {
    'spec.nodeName': str('spec', 'nodeName'),
    'spec.restartPolicy': str('spec', 'restartPolicy'),
    'spec.schedulerName': str('spec', 'schedulerName'),
    'spec.serviceAccountName': str('spec', 'serviceAccountName'),
    'spec.hostNetwork': bool('spec', 'hostNetwork'),
    'status.phase': str('status', 'phase'),
    'status.podIP': str('status', 'podIP'),
    'status.nominatedNodeName': str('status', 'nominatedNodeName'),
  },
  '/nodes': { 'spec.unschedulable': bool('spec', 'unschedulable') },
  '/namespaces': { 'status.phase': str('status', 'phase') },
  '/secrets': { type: str('type') },
  '/events': {
    'involvedObject.kind': str('involvedObject', 'kind'),
    'involvedObject.namespace': str('involvedObject', 'namespace'),
    'involvedObject.name': str('involvedObject', 'name'),
    'involvedObject.uid': str('involvedObject', 'uid'),
    'involvedObject.apiVersion': str('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': str('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': str('involvedObject', 'fieldPath'),
    reason: str('reason'),
    reportingComponent: str('reportingComponent'),
    source: str('source', 'component'),
    type: str('type'),
  },
  'events.k8s.io/events': {
    'regarding.kind': str('regarding', 'kind'),
    'regarding.namespace': str('regarding', 'namespace'),
    'regarding.name': str('regarding', 'name'),
    'regarding.uid': str('regarding', 'uid'),
    'regarding.apiVersion': str('regarding', 'apiVersion'),
    'regarding.resourceVersion': str('regarding', 'resourceVersion'),
    'regarding.fieldPath': str('regarding', 'fieldPath'),
    reason: str('reason'),
    reportingController: str('reportingController'),
    type: str('type'),
  },
  'apps/replicasets': { 'status.replicas': int('status', 'replicas') },
  'batch/jobs': { 'status.successful': int('status', 'succeeded') },
  // What a signer watches: `spec.signerName=kubernetes.io/kube-apiserver-client-kubelet`.
  'certificates.k8s.io/certificatesigningrequests': { 'spec.signerName': str('spec', 'signerName') },
};

/** The getter for one field of a resource, or undefined when upstream does not support it. */
export function fieldGetter(resource: Pick<ResourceInfo, 'group' | 'plural'>, field: string): FieldGetter | undefined {
  return common[field] ?? byResource[`${resource.group}/${resource.plural}`]?.[field];
}

/** Every selectable field of a resource (for docs and error hints). */
export function supportedFields(resource: Pick<ResourceInfo, 'group' | 'plural'>): string[] {
  return [...Object.keys(common), ...Object.keys(byResource[`${resource.group}/${resource.plural}`] ?? {})];
}

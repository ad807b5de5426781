// The one entry point the apiserver calls: metadata checks by scope and naming rule, the kind's own
// checks, and on update the immutability rules. Returns FieldErrors; the caller throws InvalidError.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../object.js';
import type { ResourceInfo } from '../resources.js';
import { validateCertificateSigningRequest, validateCertificateSigningRequestUpdate } from './certificates.js';
import { validateAppsUpdate, validateControllerRevision, validateDaemonSet, validateDeployment, validateReplicaSet } from './apps.js';
import { validateConfigMap, validateConfigUpdate, validateSecret, validateServiceAccount } from './config.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './discovery.js';
import { validateCoreEvent, validateEventsV1Event, validateLease } from './event.js';
import { invalid } from './field-error.js';
import { validateJob, validateJobUpdate } from './job.js';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate, type NameValidator } from './meta.js';
import { validateNamespace, validateNode, validateNodeUpdate } from './node.js';
import { validatePod, validatePodUpdate } from './pod.js';
import { validateEndpoints, validateService, validateServiceUpdate } from './service.js';
import { nameIsPathSegment, validateBindingUpdate, validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './rbac.js';

type Check = (obj: KubeObject) => FieldError[];
type UpdateCheck = (obj: KubeObject, old: KubeObject) => FieldError[];

interface KindRules {
  nameFn: NameValidator;
  create: Check;
  update?: UpdateCheck;
  /**
   * Set when the update check re-runs the create checks itself (tolerating problems the stored object
   * already has, as upstream's CSR validation does), so `create` is skipped on update.
   */
  updateIncludesCreate?: boolean;
}

const none: Check = () => [];

/** Upstream's ValidateCertificateRequestName: "We don't care what you call your certificate requests". */
const anyName: NameValidator = () => [];

const rules: Readonly<Record<string, KindRules>> = {
  '/Namespace': { nameFn: nameIsDNSLabel, create: validateNamespace },
  '/Node': { nameFn: nameIsDNSSubdomain, create: validateNode, update: validateNodeUpdate },
  '/Pod': { nameFn: nameIsDNSSubdomain, create: validatePod, update: validatePodUpdate },
  '/Service': { nameFn: nameIsDNS1035Label, create: validateService, update: validateServiceUpdate },
  '/Endpoints': { nameFn: nameIsDNSSubdomain, create: validateEndpoints },
  '/Event': { nameFn: nameIsDNSSubdomain, create: validateCoreEvent },
  '/ConfigMap': { nameFn: nameIsDNSSubdomain, create: validateConfigMap, update: (o, p) => validateConfigUpdate('ConfigMap', o, p) },
  '/Secret': { nameFn: nameIsDNSSubdomain, create: validateSecret, update: (o, p) => validateConfigUpdate('Secret', o, p) },
  '/ServiceAccount': { nameFn: nameIsDNSSubdomain, create: validateServiceAccount },
  'apps/ReplicaSet': { nameFn: nameIsDNSSubdomain, create: validateReplicaSet, update: (o, p) => validateAppsUpdate('ReplicaSet', o, p) },
  'apps/Deployment': { nameFn: nameIsDNSSubdomain, create: validateDeployment, update: (o, p) => validateAppsUpdate('Deployment', o, p) },
  'apps/DaemonSet': { nameFn: nameIsDNSSubdomain, create: validateDaemonSet, update: (o, p) => validateAppsUpdate('DaemonSet', o, p) },
  'apps/ControllerRevision': {
    nameFn: nameIsDNSSubdomain,
    create: validateControllerRevision,
    update: (o, p) => validateAppsUpdate('ControllerRevision', o, p),
  },
  'batch/Job': { nameFn: nameIsDNSSubdomain, create: validateJob, update: validateJobUpdate },
  'discovery.k8s.io/EndpointSlice': { nameFn: nameIsDNSSubdomain, create: validateEndpointSlice, update: validateEndpointSliceUpdate },
  'coordination.k8s.io/Lease': { nameFn: nameIsDNSSubdomain, create: validateLease },
  'events.k8s.io/Event': { nameFn: nameIsDNSSubdomain, create: validateEventsV1Event },
  'rbac.authorization.k8s.io/Role': { nameFn: nameIsPathSegment, create: validateRole },
  'rbac.authorization.k8s.io/ClusterRole': { nameFn: nameIsPathSegment, create: validateClusterRole },
  'rbac.authorization.k8s.io/RoleBinding': { nameFn: nameIsPathSegment, create: validateRoleBinding, update: validateBindingUpdate },
  'rbac.authorization.k8s.io/ClusterRoleBinding': { nameFn: nameIsPathSegment, create: validateClusterRoleBinding, update: validateBindingUpdate },
  'certificates.k8s.io/CertificateSigningRequest': {
    nameFn: anyName,
    create: validateCertificateSigningRequest,
    update: validateCertificateSigningRequestUpdate,
    updateIncludesCreate: true,
  },
};

/**
 * Validates an object of `resource` for create (no `old`) or update (`old` is the stored object).
 * Expects a defaulted object, as upstream validates after defaulting: enum fields the defaulter fills
 * are only checked when present. Unknown kinds get the metadata checks only.
 */
export function validate(resource: ResourceInfo, obj: KubeObject, old?: KubeObject): FieldError[] {
  const kindRules = rules[`${resource.group}/${resource.kind}`] ?? { nameFn: nameIsDNSSubdomain, create: none };
  try {
    const errs = validateObjectMeta(obj.metadata, { namespaced: resource.namespaced, nameFn: kindRules.nameFn });
    if (!old || !kindRules.updateIncludesCreate) errs.push(...kindRules.create(obj));
    if (old) {
      errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
      if (kindRules.update) errs.push(...kindRules.update(obj, old));
    }
    return errs;
  } catch (e) {
    // A body whose fields have the wrong JSON types can trip a check; report it instead of a 500.
    return [invalid('', '<object>', `malformed object: ${e instanceof Error ? e.message : String(e)}`)];
  }
}

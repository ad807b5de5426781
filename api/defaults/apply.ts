// The one defaulting entry point: fills empty fields in place, kind by kind, as upstream's defaulters
// run after decoding. Metadata is left to the apiserver (uid, timestamps, resourceVersion, generation).
import type { KubeObject } from '../object.js';
import type { ResourceInfo } from '../resources.js';
import { defaultCertificateSigningRequest } from './certificates.js';
import { defaultPod } from './pod.js';
import { defaultBinding } from './rbac.js';
import { defaultEndpointSlice, defaultEndpoints, defaultService } from './service.js';
import { defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet } from './workloads.js';

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function defaultNamespace(ns: KubeObject): void {
  const status = asObject(ns['status']) ?? {};
  if (!status['phase']) status['phase'] = 'Active';
  ns['status'] = status;
}

function defaultNode(node: KubeObject): void {
  // Allocatable defaults to capacity (upstream's SetDefaults_NodeStatus).
  const status = asObject(node['status']);
  const capacity = asObject(status?.['capacity']);
  if (status && capacity && !asObject(status['allocatable'])) status['allocatable'] = { ...capacity };
}

/**
 * Secrets: type Opaque; stringData is merged into data (base64) and dropped, as upstream's conversion
 * does when it decodes a write, so stored and returned secrets never carry stringData.
 */
function defaultSecret(secret: KubeObject): void {
  if (!secret['type']) secret['type'] = 'Opaque';
  const stringData = asObject(secret['stringData']);
  if (!stringData) return;
  const data = (asObject(secret['data']) ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  secret['data'] = data;
  delete secret['stringData'];
}

const defaulters: Readonly<Record<string, (obj: KubeObject) => void>> = {
  '/Pod': defaultPod,
  '/Service': defaultService,
  '/Endpoints': defaultEndpoints,
  '/Namespace': defaultNamespace,
  '/Node': defaultNode,
  '/Secret': defaultSecret,
  'apps/ReplicaSet': defaultReplicaSet,
  'apps/Deployment': defaultDeployment,
  'apps/DaemonSet': defaultDaemonSet,
  'batch/Job': defaultJob,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
  'rbac.authorization.k8s.io/RoleBinding': defaultBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': defaultBinding,
  'certificates.k8s.io/CertificateSigningRequest': defaultCertificateSigningRequest,
};

/** Applies upstream's defaults for `resource` to `obj`, in place. Kinds without defaults are untouched. */
export function applyDefaults(resource: Pick<ResourceInfo, 'group' | 'kind'>, obj: KubeObject): void {
  defaulters[`${resource.group}/${resource.kind}`]?.(obj);
}

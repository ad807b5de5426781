// The API resources the kubelet reads and writes, looked up once from the shared registry.
import { findResource, type ResourceInfo } from '../../api/resources.js';

function must(group: string, version: string, plural: string): ResourceInfo {
  const r = findResource(group, version, plural);
  if (!r) throw new Error(`resource ${group}/${version}/${plural} is not registered`);
  return r;
}

export const podsResource = must('', 'v1', 'pods');
export const nodesResource = must('', 'v1', 'nodes');
export const configMapsResource = must('', 'v1', 'configmaps');
export const secretsResource = must('', 'v1', 'secrets');
export const leasesResource = must('coordination.k8s.io', 'v1', 'leases');

// The ResourceInfo rows the controllers use, looked up once from api/resources.ts.
import { builtinResources, type ResourceInfo } from '../../api/resources.js';

function find(group: string, plural: string): ResourceInfo {
  const r = builtinResources.find((x) => x.group === group && x.plural === plural);
  if (!r) throw new Error(`resource ${plural}.${group} is not registered`);
  return r;
}

export const podsResource = find('', 'pods');
export const nodesResource = find('', 'nodes');
export const namespacesResource = find('', 'namespaces');
export const servicesResource = find('', 'services');
export const endpointsResource = find('', 'endpoints');
export const replicaSetsResource = find('apps', 'replicasets');
export const deploymentsResource = find('apps', 'deployments');
export const daemonSetsResource = find('apps', 'daemonsets');
export const jobsResource = find('batch', 'jobs');
export const endpointSlicesResource = find('discovery.k8s.io', 'endpointslices');
export const leasesResource = find('coordination.k8s.io', 'leases');

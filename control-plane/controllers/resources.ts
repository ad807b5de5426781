// The ResourceInfo rows the controllers use, looked up once from api/resources.ts.
import { requireResource } from '../../api/resources.js';

/** Every group the controllers use serves v1 only. */
const find = (group: string, plural: string) => requireResource(group, 'v1', plural);

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
export const certificateSigningRequestsResource = find('certificates.k8s.io', 'certificatesigningrequests');

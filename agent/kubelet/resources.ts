// The API resources the kubelet reads and writes, looked up once from the shared registry.
import { requireResource as must } from '../../api/resources.js';

export const podsResource = must('', 'v1', 'pods');
export const nodesResource = must('', 'v1', 'nodes');
export const configMapsResource = must('', 'v1', 'configmaps');
export const secretsResource = must('', 'v1', 'secrets');
export const leasesResource = must('coordination.k8s.io', 'v1', 'leases');

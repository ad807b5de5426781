// Sample objects for the Table golden files, timestamped relative to one fixed clock.
import type { KubeObject } from '../../api/object.js';

export const now = new Date('2026-01-10T12:00:00Z');

/** An RFC 3339 time `seconds` before `now`. */
export function ago(seconds: number): string {
  return new Date(now.getTime() - seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function meta(name: string, seconds: number, extra: Record<string, unknown> = {}): KubeObject['metadata'] {
  return { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: ago(seconds), ...extra };
}

const container = { name: 'app', image: 'busybox:1.36' };

export const pods: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Pod', metadata: meta('pending', 5), spec: { containers: [container] }, status: { phase: 'Pending' } },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: meta('creating', 30),
    spec: { containers: [container], nodeName: 'node-1' },
    status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'busybox:1.36', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] },
  },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: meta('running', 3 * 3600 + 120, { labels: { app: 'web' } }),
    spec: { containers: [container, { name: 'sidecar', image: 'busybox:1.36' }], nodeName: 'node-1' },
    status: {
      phase: 'Running', podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 0, image: '', imageID: '', state: { running: { startedAt: ago(3600) } } },
        { name: 'sidecar', ready: false, restartCount: 0, image: '', imageID: '', state: { running: { startedAt: ago(3600) } } },
      ],
    },
  },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: meta('crashing', 600),
    spec: { containers: [container], nodeName: 'node-2' },
    status: {
      phase: 'Running', podIP: '10.244.2.3',
      containerStatuses: [{
        name: 'app', ready: false, restartCount: 4, image: '', imageID: '',
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(75) } },
      }],
    },
  },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: meta('done', 2 * 86400 + 3 * 3600),
    spec: { containers: [container], restartPolicy: 'Never', nodeName: 'node-1' },
    status: { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
  },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: meta('initializing', 40),
    spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [container] },
    status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, image: '', imageID: '', state: { running: {} } }], containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason: 'PodInitializing' } } }] },
  },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: meta('init-failed', 90),
    spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [container] },
    status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 2, image: '', imageID: '', state: { terminated: { exitCode: 3 } } }] },
  },
  {
    apiVersion: 'v1', kind: 'Pod', metadata: meta('leaving', 900, { deletionTimestamp: ago(1) }),
    spec: { containers: [container], nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/gate' }] },
    status: { phase: 'Running', nominatedNodeName: 'node-3', conditions: [{ type: 'example.com/gate', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: '', imageID: '', state: { running: {} } }] },
  },
];

export const nodes: KubeObject[] = [
  {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', creationTimestamp: ago(9 * 86400), labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '192.168.56.10' }, { type: 'Hostname', address: 'node-1' }],
      nodeInfo: { kubeletVersion: 'v1.33.0-skiff', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'docker://24.0.7' },
    },
  },
  {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2', creationTimestamp: ago(3 * 3600) },
    spec: { unschedulable: true },
    status: { conditions: [{ type: 'Ready', status: 'Unknown' }], nodeInfo: { kubeletVersion: 'v1.33.0-skiff' } },
  },
];

export const services: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Service', metadata: meta('kubernetes', 86400), spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: meta('web', 65), spec: { type: 'NodePort', clusterIP: '10.96.3.4', selector: { tier: 'front', app: 'web' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: meta('lb', 65), spec: { type: 'LoadBalancer', clusterIP: '10.96.3.5', ports: [{ port: 80, nodePort: 31000 }] }, status: { loadBalancer: {} } },
  { apiVersion: 'v1', kind: 'Service', metadata: meta('headless', 65), spec: { clusterIP: 'None' } },
  { apiVersion: 'v1', kind: 'Service', metadata: meta('ext', 65), spec: { type: 'ExternalName', externalName: 'example.com' } },
];

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };

export const deployments: KubeObject[] = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web', 400),
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('fresh', 2),
    spec: { selector: { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'legacy', operator: 'DoesNotExist' }] }, template },
  },
];

export const replicaSets: KubeObject[] = [
  {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web-5d8f7c', 400),
    spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d8f7c' } }, template },
    status: { replicas: 3, readyReplicas: 1 },
  },
];

export const daemonSets: KubeObject[] = [
  {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('proxy', 7200),
    spec: { selector: { matchLabels: { app: 'proxy' } }, template: { ...template, spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
    status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1, numberMisscheduled: 0 },
  },
];

export const jobs: KubeObject[] = [
  {
    apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi', 300),
    spec: { completions: 1, template },
    status: { succeeded: 1, startTime: ago(290), completionTime: ago(250), conditions: [{ type: 'Complete', status: 'True' }] },
  },
  { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('work', 100), spec: { parallelism: 3, template }, status: { active: 3, startTime: ago(95) } },
  { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('broken', 100), spec: { template }, status: { failed: 6, startTime: ago(99), conditions: [{ type: 'Failed', status: 'True' }] } },
];

export const namespaces: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', creationTimestamp: ago(30 * 86400) }, status: { phase: 'Active' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', creationTimestamp: ago(3 * 365 * 86400 + 40 * 86400), deletionTimestamp: ago(3) }, status: { phase: 'Terminating' } },
];

export const endpoints: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web', 60), subsets: [{ addresses: [{ ip: '10.244.1.7' }, { ip: '10.244.2.3' }], ports: [{ port: 8080 }, { port: 9090 }] }] },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('none', 60) },
];

export const endpointSlices: KubeObject[] = [
  {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('web-abc12', 60), addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.244.1.7'] }, { addresses: ['10.244.2.3'] }, { addresses: ['10.244.2.4'] }, { addresses: ['10.244.2.5'] }],
  },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('empty-x', 60), addressType: 'IPv4', endpoints: [] },
];

export const coreEvents: KubeObject[] = [
  {
    apiVersion: 'v1', kind: 'Event', metadata: meta('web.17a', 120),
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled', message: 'Container image "busybox" already present on machine\n', type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' }, firstTimestamp: ago(120), lastTimestamp: ago(30), count: 3,
  },
  {
    apiVersion: 'v1', kind: 'Event', metadata: meta('web.17b', 10),
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'FailedScheduling', message: '0/2 nodes are available', type: 'Warning',
    eventTime: ago(10), reportingComponent: 'default-scheduler', reportingInstance: 'skiff-scheduler',
  },
];

export const newEvents: KubeObject[] = [
  {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('web.17c', 20), eventTime: ago(20),
    regarding: { kind: 'Deployment', name: 'web' }, reason: 'ScalingReplicaSet', note: 'Scaled up replica set web-5d8f7c to 3',
    type: 'Normal', reportingController: 'deployment-controller', reportingInstance: 'skiff', series: { count: 2, lastObservedTime: ago(5) },
  },
];

export const configMaps: KubeObject[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings', 50), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('empty', 50) },
];

export const secrets: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Secret', metadata: meta('creds', 50), type: 'Opaque', data: { user: 'YQ==', pass: 'Yg==' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: meta('tls', 50), type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } },
];

export const serviceAccounts: KubeObject[] = [
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', 86400 * 5) },
];

export const leases: KubeObject[] = [
  { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { ...meta('node-1', 3600), namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } },
];

export const controllerRevisions: KubeObject[] = [
  {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: meta('proxy-7c9d', 7200, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'proxy', uid: 'u1', controller: true }] }),
    revision: 1, data: {},
  },
];

const rbac = 'rbac.authorization.k8s.io';

export const roles: KubeObject[] = [
  { apiVersion: `${rbac}/v1`, kind: 'Role', metadata: meta('pod-reader', 3600), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
];

export const clusterRoles: KubeObject[] = [
  { apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: { name: 'cluster-admin', uid: 'uid-ca', creationTimestamp: ago(86400 * 3) }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
];

export const roleBindings: KubeObject[] = [
  {
    apiVersion: `${rbac}/v1`, kind: 'RoleBinding', metadata: meta('readers', 600),
    roleRef: { apiGroup: rbac, kind: 'Role', name: 'pod-reader' },
    subjects: [
      { kind: 'User', apiGroup: rbac, name: 'alice' },
      { kind: 'User', apiGroup: rbac, name: 'bob' },
      { kind: 'Group', apiGroup: rbac, name: 'devs' },
      { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
    ],
  },
];

export const clusterRoleBindings: KubeObject[] = [
  {
    apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'cluster-admin', uid: 'uid-crb', creationTimestamp: ago(86400 * 3) },
    roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'Group', apiGroup: rbac, name: 'system:masters' }],
  },
  { apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'empty', uid: 'uid-e', creationTimestamp: ago(30) }, roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'view' } },
];

const csrSpec = { request: 'LS0t', signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] };

export const certificateSigningRequests: KubeObject[] = [
  { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'pending', uid: 'uid-p', creationTimestamp: ago(20) }, spec: { ...csrSpec, username: 'system:bootstrap:abcdef' }, status: {} },
  {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'issued', uid: 'uid-i', creationTimestamp: ago(600) },
    spec: { ...csrSpec, username: 'system:bootstrap:abcdef', expirationSeconds: 86400 },
    status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
  },
  {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'refused', uid: 'uid-r', creationTimestamp: ago(7200) },
    spec: { ...csrSpec, signerName: 'example.com/custom', username: 'mallory', expirationSeconds: 3600 },
    status: { conditions: [{ type: 'Denied', status: 'True' }, { type: 'Failed', status: 'True' }] },
  },
];

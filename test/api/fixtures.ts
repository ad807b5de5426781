// Valid, defaulted objects for validation tests; each test mutates a fresh copy.
import { findResourceByKind, type ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/object.js';

export function resource(apiVersion: string, kind: string): ResourceInfo {
  const r = findResourceByKind(apiVersion, kind);
  if (!r) throw new Error(`no resource ${apiVersion} ${kind}`);
  return r;
}

export const podsR = resource('v1', 'Pod');
export const servicesR = resource('v1', 'Service');
export const nodesR = resource('v1', 'Node');
export const namespacesR = resource('v1', 'Namespace');
export const configMapsR = resource('v1', 'ConfigMap');
export const secretsR = resource('v1', 'Secret');
export const eventsR = resource('v1', 'Event');
export const eventsV1R = resource('events.k8s.io/v1', 'Event');
export const endpointsR = resource('v1', 'Endpoints');
export const serviceAccountsR = resource('v1', 'ServiceAccount');
export const replicaSetsR = resource('apps/v1', 'ReplicaSet');
export const deploymentsR = resource('apps/v1', 'Deployment');
export const daemonSetsR = resource('apps/v1', 'DaemonSet');
export const controllerRevisionsR = resource('apps/v1', 'ControllerRevision');
export const jobsR = resource('batch/v1', 'Job');
export const endpointSlicesR = resource('discovery.k8s.io/v1', 'EndpointSlice');
export const leasesR = resource('coordination.k8s.io/v1', 'Lease');

export function podSpec(): Record<string, unknown> {
  return {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        readinessProbe: { httpGet: { path: '/', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        livenessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      },
    ],
    initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'app-config', defaultMode: 420 } }],
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    securityContext: {},
  };
}

export function pod(): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } }, spec: podSpec() };
}

export function service(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      sessionAffinity: 'None',
    },
  };
}

function template(): Record<string, unknown> {
  return { metadata: { labels: { app: 'web' } }, spec: podSpec() };
}

export function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

export function replicaSet(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template() },
  };
}

export function daemonSet(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      template: template(),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
  };
}

export function job(): KubeObject {
  const t = template();
  (t['spec'] as Record<string, unknown>)['restartPolicy'] = 'Never';
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default' },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', template: t },
  };
}

export function node(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '2', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '1900m', memory: '7Gi', pods: '110' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'node-1' }],
    },
  };
}

/** The `field` and the start of `detail` of each error, for compact assertions. */
export function summary(errs: { field: string; type: string; detail: string }[]): string[] {
  return errs.map((e) => `${e.field}: ${e.detail}`);
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

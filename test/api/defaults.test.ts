import { describe, expect, it } from 'vitest';
import { applyDefaults, generateJobSelector } from '../../api/defaults/index.js';
import { defaultPullPolicy } from '../../api/defaults/index.js';
import type { KubeObject } from '../../api/object.js';
import { validate } from '../../api/validation/index.js';
import {
  configMapsR,
  daemonSetsR,
  deploymentsR,
  endpointSlicesR,
  jobsR,
  namespacesR,
  nodesR,
  podsR,
  replicaSetsR,
  secretsR,
  servicesR,
} from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function minimalPod(): KubeObject {
  return {
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
          resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } },
          lifecycle: { preStop: { httpGet: { port: 80 } } },
        },
      ],
      initContainers: [{ name: 'init', image: 'busybox:1.36' }],
      volumes: [
        { name: 'scratch' },
        { name: 'cfg', configMap: { name: 'c' } },
        { name: 'tok', secret: { secretName: 's' } },
        { name: 'host', hostPath: { path: '/var/log' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      ],
    },
  };
}

describe('pod defaults', () => {
  it('fills upstream defaults and then validates cleanly', () => {
    const p = minimalPod();
    applyDefaults(podsR, p);
    const spec = p['spec'] as Obj;
    expect(spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
    });
    const c = spec.containers[0];
    expect(c).toMatchObject({
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'Always',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    expect(c.env[0].valueFrom.fieldRef.apiVersion).toBe('v1');
    expect(c.livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.readinessProbe.periodSeconds).toBe(5);
    expect(c.lifecycle.preStop.httpGet).toEqual({ port: 80, path: '/', scheme: 'HTTP' });
    expect(c.resources.requests).toEqual({ cpu: '100m', memory: '64Mi' });
    expect(spec.initContainers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(spec.volumes[0]).toEqual({ name: 'scratch', emptyDir: {} });
    expect(spec.volumes[1].configMap.defaultMode).toBe(420);
    expect(spec.volumes[2].secret.defaultMode).toBe(420);
    expect(spec.volumes[3].hostPath.type).toBe('');
    expect(spec.volumes[4].downwardAPI.items[0].fieldRef.apiVersion).toBe('v1');
    expect(validate(podsR, p)).toEqual([]);
  });

  it('leaves metadata alone and keeps explicit values', () => {
    const p = minimalPod();
    const spec = p['spec'] as Obj;
    spec.restartPolicy = 'Never';
    spec.terminationGracePeriodSeconds = 0;
    applyDefaults(podsR, p);
    expect(p.metadata).toEqual({ name: 'p', namespace: 'default' });
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.terminationGracePeriodSeconds).toBe(0);
  });

  it('copies container ports to host ports with hostNetwork', () => {
    const p = minimalPod();
    (p['spec'] as Obj).hostNetwork = true;
    applyDefaults(podsR, p);
    expect((p['spec'] as Obj).containers[0].ports[0].hostPort).toBe(80);
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['127.0.0.1:5000/app', 'Always'],
    ['127.0.0.1:5000/app:v1', 'IfNotPresent'],
    ['nginx@sha256:abcd', 'IfNotPresent'],
    ['nginx:latest@sha256:abcd', 'Always'],
  ])('pull policy for %s is %s', (image, want) => {
    expect(defaultPullPolicy(image)).toBe(want);
  });
});

describe('service defaults', () => {
  it('fills type, affinity, protocol, targetPort and IP families', () => {
    const s: KubeObject = { metadata: { name: 'web', namespace: 'd' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https', name: 'https' }] } };
    applyDefaults(servicesR, s);
    expect(s['spec']).toEqual({
      selector: { app: 'web' },
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 443, targetPort: 'https', name: 'https', protocol: 'TCP' },
      ],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it('defaults ClientIP timeout and NodePort traffic policy', () => {
    const s: KubeObject = { metadata: { name: 'web', namespace: 'd' }, spec: { type: 'NodePort', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } };
    applyDefaults(servicesR, s);
    expect(s['spec']).toMatchObject({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } }, externalTrafficPolicy: 'Cluster' });
  });

  it('gives ExternalName services no IP families', () => {
    const s: KubeObject = { metadata: { name: 'db', namespace: 'd' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } };
    applyDefaults(servicesR, s);
    expect((s['spec'] as Obj).ipFamilies).toBeUndefined();
  });
});

describe('workload defaults', () => {
  const template = () => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx:1' }] } });

  it('defaults a Deployment', () => {
    const d: KubeObject = { metadata: { name: 'web', namespace: 'd' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } };
    applyDefaults(deploymentsR, d);
    expect(d['spec']).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', containers: [{ imagePullPolicy: 'IfNotPresent' }] } },
    });
    expect((d['spec'] as Obj).template.spec.enableServiceLinks).toBeUndefined();
    expect(validate(deploymentsR, d)).toEqual([]);
  });

  it('leaves a Recreate strategy without rolling parameters', () => {
    const d: KubeObject = { metadata: { name: 'web', namespace: 'd' }, spec: { strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'web' } }, template: template() } };
    applyDefaults(deploymentsR, d);
    expect((d['spec'] as Obj).strategy).toEqual({ type: 'Recreate' });
  });

  it('defaults a ReplicaSet and a DaemonSet', () => {
    const rs: KubeObject = { metadata: { name: 'web', namespace: 'd' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } };
    applyDefaults(replicaSetsR, rs);
    expect((rs['spec'] as Obj).replicas).toBe(1);
    const ds: KubeObject = { metadata: { name: 'web', namespace: 'd' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } };
    applyDefaults(daemonSetsR, ds);
    expect(ds['spec']).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
    expect(validate(daemonSetsR, ds)).toEqual([]);
  });

  it.each([
    [{}, { parallelism: 1, completions: 1 }],
    [{ parallelism: 3 }, { parallelism: 3 }],
    [{ completions: 5 }, { parallelism: 1, completions: 5 }],
  ])('defaults Job counts from %j', (given, want) => {
    const j: KubeObject = { metadata: { name: 'pi', namespace: 'd' }, spec: { ...given, template: template() } };
    applyDefaults(jobsR, j);
    const spec = j['spec'] as Obj;
    expect(spec).toMatchObject({ ...want, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
    if (!('completions' in want)) expect(spec.completions).toBeUndefined();
    expect(j.metadata.labels).toEqual({ app: 'web' });
  });

  it('generates the Job selector from its uid', () => {
    const j: KubeObject = { metadata: { name: 'pi', namespace: 'd', uid: 'u-1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'perl:5' }] } } } };
    applyDefaults(jobsR, j);
    generateJobSelector(j);
    const spec = j['spec'] as Obj;
    expect(spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    expect(spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'u-1',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'u-1',
      'job-name': 'pi',
    });
    expect(validate(jobsR, j)).toEqual([]);
  });
});

describe('other defaults', () => {
  it('marks new namespaces Active', () => {
    const ns: KubeObject = { metadata: { name: 'team' } };
    applyDefaults(namespacesR, ns);
    expect(ns['status']).toEqual({ phase: 'Active' });
  });

  it('defaults node allocatable to capacity', () => {
    const n: KubeObject = { metadata: { name: 'n' }, status: { capacity: { cpu: '2' } } };
    applyDefaults(nodesR, n);
    expect((n['status'] as Obj).allocatable).toEqual({ cpu: '2' });
  });

  it('types secrets Opaque and folds stringData into data', () => {
    const s: KubeObject = { metadata: { name: 's', namespace: 'd' }, data: { a: 'eA==' }, stringData: { b: 'hello' } };
    applyDefaults(secretsR, s);
    expect(s).toEqual({ metadata: { name: 's', namespace: 'd' }, type: 'Opaque', data: { a: 'eA==', b: 'aGVsbG8=' } });
  });

  it('defaults EndpointSlice port protocols and leaves ConfigMaps alone', () => {
    const es: KubeObject = { metadata: { name: 'e', namespace: 'd' }, addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] };
    applyDefaults(endpointSlicesR, es);
    expect(es['ports']).toEqual([{ port: 80, protocol: 'TCP' }]);
    const cm: KubeObject = { metadata: { name: 'c', namespace: 'd' }, data: {} };
    applyDefaults(configMapsR, cm);
    expect(cm).toEqual({ metadata: { name: 'c', namespace: 'd' }, data: {} });
  });
});

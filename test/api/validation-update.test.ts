import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { validate } from '../../api/validation/index.js';
import {
  clone,
  configMapsR,
  controllerRevisionsR,
  daemonSet,
  daemonSetsR,
  deployment,
  deploymentsR,
  endpointSlicesR,
  job,
  jobsR,
  node,
  nodesR,
  pod,
  podsR,
  replicaSet,
  replicaSetsR,
  secretsR,
  service,
  servicesR,
  summary,
} from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const podForbidden =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function update(make: () => KubeObject, mutate: (o: Obj) => void, prepareOld?: (o: Obj) => void): [KubeObject, KubeObject] {
  const old = make();
  old.metadata = { ...old.metadata, uid: 'u-1', creationTimestamp: '2024-01-01T00:00:00Z', resourceVersion: '5' };
  prepareOld?.(old as Obj);
  const next = clone(old);
  mutate(next as Obj);
  return [next, old];
}

describe('metadata on update', () => {
  it.each<[string, (o: Obj) => void, string]>([
    ['name', (o) => (o.metadata.name = 'other'), 'metadata.name: Invalid value: "other": field is immutable'],
    ['namespace', (o) => (o.metadata.namespace = 'other'), 'metadata.namespace: Invalid value: "other": field is immutable'],
    ['uid', (o) => (o.metadata.uid = 'u-2'), 'metadata.uid: Invalid value: "u-2": field is immutable'],
    ['creationTimestamp', (o) => (o.metadata.creationTimestamp = '2025-01-01T00:00:00Z'), 'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable'],
  ])('rejects a change of %s', (_name, mutate, want) => {
    const [next, old] = update(pod, mutate);
    expect(summary(validate(podsR, next, old))).toContain(want);
  });

  it('allows label and annotation changes, and an omitted uid', () => {
    const [next, old] = update(pod, (o) => {
      o.metadata.labels = { app: 'web', version: 'v2' };
      o.metadata.annotations = { note: 'x' };
      delete o.metadata.uid;
    });
    expect(validate(podsR, next, old)).toEqual([]);
  });
});

describe('pod updates', () => {
  it.each<[string, (o: Obj) => void, ((o: Obj) => void)?]>([
    ['container image', (o) => (o.spec.containers[0].image = 'nginx:1.26')],
    ['init container image', (o) => (o.spec.initContainers[0].image = 'busybox:1.36')],
    ['added toleration', (o) => (o.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }])],
    ['lowered activeDeadlineSeconds', (o) => (o.spec.activeDeadlineSeconds = 10), (o) => (o.spec.activeDeadlineSeconds = 100)],
    ['status only', (o) => (o.status = { phase: 'Running', podIP: '10.244.1.5' })],
    ['grace period from negative to 1', (o) => (o.spec.terminationGracePeriodSeconds = 1), (o) => (o.spec.terminationGracePeriodSeconds = -1)],
  ])('allows changing %s', (_name, mutate, prepare) => {
    const [next, old] = update(pod, mutate, prepare);
    expect(summary(validate(podsR, next, old)).filter((m) => m.startsWith('spec'))).toEqual([]);
  });

  it.each<[string, (o: Obj) => void, string, ((o: Obj) => void)?]>([
    ['nodeName', (o) => (o.spec.nodeName = 'node-2'), podForbidden],
    ['container command', (o) => (o.spec.containers[0].command = ['sh']), podForbidden],
    ['container added', (o) => o.spec.containers.push({ name: 'b', image: 'b' }), podForbidden],
    ['restartPolicy', (o) => (o.spec.restartPolicy = 'Never'), podForbidden],
    ['grace period', (o) => (o.spec.terminationGracePeriodSeconds = 60), podForbidden],
    ['removed toleration', (o) => (o.spec.tolerations = []), 'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds', (o) => (o.spec.tolerations = [{ key: 'k', operator: 'Exists' }])],
    ['raised activeDeadlineSeconds', (o) => (o.spec.activeDeadlineSeconds = 200), 'spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value', (o) => (o.spec.activeDeadlineSeconds = 100)],
    ['removed image', (o) => (o.spec.containers[0].image = ''), 'spec.containers[0].image: Required value'],
  ])('forbids changing %s', (_name, mutate, want, prepare) => {
    const [next, old] = update(pod, mutate, prepare);
    expect(summary(validate(podsR, next, old))).toContain(want);
  });
});

describe('immutable fields of other kinds', () => {
  it.each<[string, typeof deploymentsR, () => KubeObject, (o: Obj) => void, string, ((o: Obj) => void)?]>([
    ['deployment selector', deploymentsR, deployment, (o) => { o.spec.selector = { matchLabels: { app: 'web', tier: 'x' } }; o.spec.template.metadata.labels.tier = 'x'; }, 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'],
    ['replicaset selector', replicaSetsR, replicaSet, (o) => { o.spec.selector.matchLabels.tier = 'x'; o.spec.template.metadata.labels.tier = 'x'; }, 'spec.selector: Invalid value: v1.LabelSelector'],
    ['daemonset selector', daemonSetsR, daemonSet, (o) => o.spec.selector.matchExpressions[0].values.push('db'), 'spec.selector: Invalid value: v1.LabelSelector'],
    ['job template', jobsR, job, (o) => (o.spec.template.spec.containers[0].image = 'other'), 'spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable'],
    ['job selector', jobsR, job, (o) => { o.spec.selector = { matchLabels: { app: 'web' } }; }, 'spec.selector: Invalid value: v1.LabelSelector'],
    ['job completions', jobsR, job, (o) => (o.spec.completions = 5), 'spec.completions: Invalid value: 5: field is immutable'],
    ['service clusterIP', servicesR, service, (o) => (o.spec.clusterIP = '10.96.0.20'), 'spec.clusterIP: Invalid value: "10.96.0.20": field is immutable', (o) => (o.spec.clusterIP = '10.96.0.10')],
    ['service clusterIP removed', servicesR, service, (o) => delete o.spec.clusterIP, 'spec.clusterIP: Invalid value: "": field is immutable', (o) => (o.spec.clusterIP = '10.96.0.10')],
    ['node podCIDR', nodesR, node, (o) => { o.spec.podCIDR = '10.244.2.0/24'; o.spec.podCIDRs = ['10.244.2.0/24']; }, 'spec.podCIDR: Forbidden: node updates may not change podCIDR except from "" to valid'],
    ['endpointslice addressType', endpointSlicesR, () => ({ metadata: { name: 'e', namespace: 'd' }, addressType: 'IPv4', endpoints: [] }), (o) => (o.addressType = 'IPv6'), 'addressType: Invalid value: "IPv6": field is immutable'],
    ['immutable configmap data', configMapsR, () => ({ metadata: { name: 'c', namespace: 'd' }, immutable: true, data: { a: 'b' } }), (o) => (o.data.a = 'c'), 'data: Forbidden: field is immutable when `immutable` is set'],
    ['immutable flag', secretsR, () => ({ metadata: { name: 's', namespace: 'd' }, immutable: true, type: 'Opaque', data: {} }), (o) => (o.immutable = false), 'immutable: Forbidden: field is immutable when `immutable` is set'],
    ['secret type', secretsR, () => ({ metadata: { name: 's', namespace: 'd' }, type: 'Opaque', data: {} }), (o) => (o.type = 'example.com/custom'), 'type: Invalid value: "example.com/custom": field is immutable'],
    ['controller revision data', controllerRevisionsR, () => ({ metadata: { name: 'r', namespace: 'd' }, data: { a: 1 }, revision: 1 }), (o) => (o.data = { a: 2 }), 'data: Invalid value: "...": field is immutable'],
  ])('rejects a change of %s', (_name, r, make, mutate, want, prepare) => {
    const [next, old] = update(make, mutate, prepare);
    expect(summary(validate(r, next, old))).toEqual(expect.arrayContaining([expect.stringContaining(want)]));
  });

  it.each<[string, typeof deploymentsR, () => KubeObject, (o: Obj) => void, ((o: Obj) => void)?]>([
    ['deployment replicas and image', deploymentsR, deployment, (o) => { o.spec.replicas = 5; o.spec.template.spec.containers[0].image = 'nginx:2'; }],
    ['job parallelism', jobsR, job, (o) => (o.spec.parallelism = 3)],
    ['node podCIDR from empty', nodesR, node, (o) => (o.spec.podCIDR = '10.244.3.0/24'), (o) => { delete o.spec.podCIDR; delete o.spec.podCIDRs; }],
    ['service ports', servicesR, service, (o) => (o.spec.ports[0].port = 8080), (o) => (o.spec.clusterIP = '10.96.0.10')],
    ['service to ExternalName', servicesR, service, (o) => { o.spec = { type: 'ExternalName', externalName: 'db.example.com' }; }, (o) => (o.spec.clusterIP = '10.96.0.10')],
    ['mutable configmap data', configMapsR, () => ({ metadata: { name: 'c', namespace: 'd' }, data: { a: 'b' } }), (o) => (o.data.a = 'c')],
  ])('allows %s', (_name, r, make, mutate, prepare) => {
    const [next, old] = update(make, mutate, prepare);
    expect(summary(validate(r, next, old))).toEqual([]);
  });
});

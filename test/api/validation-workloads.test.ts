import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { validate } from '../../api/validation/index.js';
import {
  controllerRevisionsR,
  daemonSet,
  daemonSetsR,
  deployment,
  deploymentsR,
  job,
  jobsR,
  replicaSet,
  replicaSetsR,
  summary,
} from './fixtures.js';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function mutated(make: () => KubeObject, mutate: (spec: Spec) => void): KubeObject {
  const o = make();
  mutate(o['spec'] as Spec);
  return o;
}

describe('validate workloads', () => {
  it.each([
    ['Deployment', deploymentsR, deployment],
    ['ReplicaSet', replicaSetsR, replicaSet],
    ['DaemonSet', daemonSetsR, daemonSet],
    ['Job', jobsR, job],
  ] as const)('accepts a valid %s', (_kind, r, make) => {
    expect(summary(validate(r, make()))).toEqual([]);
  });

  it.each<[string, typeof deploymentsR, () => KubeObject, (s: Spec) => void, string]>([
    ['Deployment without selector', deploymentsR, deployment, (s) => delete s.selector, 'spec.selector: Required value'],
    ['Deployment with empty selector', deploymentsR, deployment, (s) => (s.selector = {}), 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ['Deployment selector not matching', deploymentsR, deployment, (s) => (s.template.metadata.labels = { app: 'db' }), 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: `selector` does not match template `labels`'],
    ['Deployment negative replicas', deploymentsR, deployment, (s) => (s.replicas = -1), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ['Deployment template restartPolicy', deploymentsR, deployment, (s) => (s.template.spec.restartPolicy = 'Never'), 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ['Deployment template container', deploymentsR, deployment, (s) => delete s.template.spec.containers[0].image, 'spec.template.spec.containers[0].image: Required value'],
    ['Deployment bad selector operator', deploymentsR, deployment, (s) => (s.selector = { matchExpressions: [{ key: 'app', operator: 'Near', values: ['x'] }] }), 'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator'],
    ['Deployment strategy type', deploymentsR, deployment, (s) => (s.strategy = { type: 'BlueGreen' }), 'spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"'],
    ['Deployment Recreate with rollingUpdate', deploymentsR, deployment, (s) => (s.strategy.type = 'Recreate'), "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ['Deployment both bounds zero', deploymentsR, deployment, (s) => (s.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: '0%' }), 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
    ['Deployment bad percent', deploymentsR, deployment, (s) => (s.strategy.rollingUpdate.maxSurge = 'lots'), "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"lots\": a valid percent string must be a numeric string followed by an ending '%'"],
    ['Deployment over 100%', deploymentsR, deployment, (s) => (s.strategy.rollingUpdate.maxUnavailable = '150%'), 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'],
    ['Deployment negative history', deploymentsR, deployment, (s) => (s.revisionHistoryLimit = -1), 'spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0'],
    ['Deployment progress deadline', deploymentsR, deployment, (s) => { s.minReadySeconds = 700; }, 'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
    ['ReplicaSet without template', replicaSetsR, replicaSet, (s) => delete s.template, 'spec.template: Required value'],
    ['ReplicaSet negative replicas', replicaSetsR, replicaSet, (s) => (s.replicas = -3), 'spec.replicas: Invalid value: -3: must be greater than or equal to 0'],
    ['ReplicaSet activeDeadlineSeconds', replicaSetsR, replicaSet, (s) => (s.template.spec.activeDeadlineSeconds = 5), 'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported'],
    ['DaemonSet empty selector', daemonSetsR, daemonSet, (s) => (s.selector = { matchLabels: {} }), 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset'],
    ['DaemonSet mismatched expression', daemonSetsR, daemonSet, (s) => (s.selector.matchExpressions[0].values = ['db']), 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    ['DaemonSet strategy type', daemonSetsR, daemonSet, (s) => (s.updateStrategy = { type: 'Surge' }), 'spec.updateStrategy.type: Unsupported value: "Surge": supported values: "OnDelete", "RollingUpdate"'],
    ['DaemonSet both bounds zero', daemonSetsR, daemonSet, (s) => (s.updateStrategy.rollingUpdate.maxUnavailable = 0), 'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ['Job restartPolicy Always', jobsR, job, (s) => (s.template.spec.restartPolicy = 'Always'), 'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
    ['Job negative completions', jobsR, job, (s) => (s.completions = -1), 'spec.completions: Invalid value: -1: must be greater than or equal to 0'],
    ['Job negative parallelism', jobsR, job, (s) => (s.parallelism = -1), 'spec.parallelism: Invalid value: -1: must be greater than or equal to 0'],
    ['Job negative backoffLimit', jobsR, job, (s) => (s.backoffLimit = -1), 'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0'],
    ['Job negative ttl', jobsR, job, (s) => (s.ttlSecondsAfterFinished = -1), 'spec.ttlSecondsAfterFinished: Invalid value: -1: must be greater than or equal to 0'],
    ['Job completionMode', jobsR, job, (s) => (s.completionMode = 'Sometimes'), 'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"'],
    ['Job manual selector missing', jobsR, job, (s) => (s.manualSelector = true), 'spec.selector: Required value'],
    ['Job selector not matching', jobsR, job, (s) => (s.selector = { matchLabels: { app: 'db' } }), 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
  ])('rejects %s', (_name, r, make, mutate, want) => {
    expect(summary(validate(r, mutated(make, mutate)))).toEqual(expect.arrayContaining([expect.stringContaining(want)]));
  });

  it('requires ControllerRevision data', () => {
    const cr: KubeObject = { metadata: { name: 'agent-1', namespace: 'default' }, revision: 1 };
    expect(summary(validate(controllerRevisionsR, cr))).toEqual(['data: Required value: data is mandatory']);
    expect(validate(controllerRevisionsR, { ...cr, data: { spec: {} } })).toEqual([]);
  });
});

describe('validate workload status', () => {
  it.each([
    ['ReplicaSet', replicaSetsR, replicaSet, { replicas: -1 }, 'status.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ['Deployment', deploymentsR, deployment, { replicas: 1, updatedReplicas: -2 }, 'status.updatedReplicas: Invalid value: -2: must be greater than or equal to 0'],
    ['DaemonSet', daemonSetsR, daemonSet, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: -1, numberReady: 0 }, 'status.desiredNumberScheduled: Invalid value: -1: must be greater than or equal to 0'],
    ['Job', jobsR, job, { active: -1 }, 'status.active: Invalid value: -1: must be greater than or equal to 0'],
  ] as const)('rejects a negative %s status counter', (_kind, r, make, status, want) => {
    const o = make();
    o['status'] = status;
    expect(summary(validate(r, o))).toEqual([want]);
  });
});

// apps/v1 workloads: ReplicaSet, Deployment, DaemonSet, ControllerRevision.
import type { Definition } from './field-schema.js';
import {
  anyJson, bool, core, dateTime, def, enumOf, int32, int64, intOrString, kind, listKind, mergeList, meta, ref, str,
} from './build.js';

const apps = 'io.k8s.api.apps.v1.';
const gvk = (k: string) => ({ group: 'apps', version: 'v1', kind: k });

function conditionDef(name: string): Definition {
  return def(
    name,
    { type: str, status: str, lastUpdateTime: dateTime, lastTransitionTime: dateTime, reason: str, message: str },
    { required: ['type', 'status'] },
  );
}

export const appsDefinitions: Definition[] = [
  kind(`${apps}ReplicaSet`, gvk('ReplicaSet'), {
    spec: ref(`${apps}ReplicaSetSpec`),
    status: ref(`${apps}ReplicaSetStatus`),
  }),
  listKind(`${apps}ReplicaSet`, gvk('ReplicaSet')),
  def(
    `${apps}ReplicaSetSpec`,
    {
      replicas: int32,
      minReadySeconds: int32,
      selector: ref(`${meta}LabelSelector`),
      template: ref(`${core}PodTemplateSpec`),
    },
    { required: ['selector'] },
  ),
  def(
    `${apps}ReplicaSetStatus`,
    {
      replicas: int32,
      fullyLabeledReplicas: int32,
      readyReplicas: int32,
      availableReplicas: int32,
      terminatingReplicas: int32,
      observedGeneration: int64,
      conditions: mergeList(ref(`${apps}ReplicaSetCondition`), 'type'),
    },
    { required: ['replicas'] },
  ),
  conditionDef(`${apps}ReplicaSetCondition`),
  kind(`${apps}Deployment`, gvk('Deployment'), {
    spec: ref(`${apps}DeploymentSpec`),
    status: ref(`${apps}DeploymentStatus`),
  }),
  listKind(`${apps}Deployment`, gvk('Deployment')),
  def(
    `${apps}DeploymentSpec`,
    {
      replicas: int32,
      selector: ref(`${meta}LabelSelector`),
      template: ref(`${core}PodTemplateSpec`),
      strategy: ref(`${apps}DeploymentStrategy`),
      minReadySeconds: int32,
      revisionHistoryLimit: int32,
      paused: bool,
      progressDeadlineSeconds: int32,
    },
    { required: ['selector', 'template'] },
  ),
  def(`${apps}DeploymentStrategy`, {
    type: enumOf('Recreate', 'RollingUpdate'),
    rollingUpdate: ref(`${apps}RollingUpdateDeployment`),
  }),
  def(`${apps}RollingUpdateDeployment`, { maxUnavailable: intOrString, maxSurge: intOrString }),
  def(`${apps}DeploymentStatus`, {
    observedGeneration: int64,
    replicas: int32,
    updatedReplicas: int32,
    readyReplicas: int32,
    availableReplicas: int32,
    unavailableReplicas: int32,
    terminatingReplicas: int32,
    conditions: mergeList(ref(`${apps}DeploymentCondition`), 'type'),
    collisionCount: int32,
  }),
  conditionDef(`${apps}DeploymentCondition`),
  kind(`${apps}DaemonSet`, gvk('DaemonSet'), {
    spec: ref(`${apps}DaemonSetSpec`),
    status: ref(`${apps}DaemonSetStatus`),
  }),
  listKind(`${apps}DaemonSet`, gvk('DaemonSet')),
  def(
    `${apps}DaemonSetSpec`,
    {
      selector: ref(`${meta}LabelSelector`),
      template: ref(`${core}PodTemplateSpec`),
      updateStrategy: ref(`${apps}DaemonSetUpdateStrategy`),
      minReadySeconds: int32,
      revisionHistoryLimit: int32,
    },
    { required: ['selector', 'template'] },
  ),
  def(`${apps}DaemonSetUpdateStrategy`, {
    type: enumOf('OnDelete', 'RollingUpdate'),
    rollingUpdate: ref(`${apps}RollingUpdateDaemonSet`),
  }),
  def(`${apps}RollingUpdateDaemonSet`, { maxUnavailable: intOrString, maxSurge: intOrString }),
  def(
    `${apps}DaemonSetStatus`,
    {
      currentNumberScheduled: int32,
      numberMisscheduled: int32,
      desiredNumberScheduled: int32,
      numberReady: int32,
      observedGeneration: int64,
      updatedNumberScheduled: int32,
      numberAvailable: int32,
      numberUnavailable: int32,
      collisionCount: int32,
      conditions: mergeList(ref(`${apps}DaemonSetCondition`), 'type'),
    },
    { required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] },
  ),
  {
    ...conditionDef(`${apps}DaemonSetCondition`),
    properties: { type: str, status: str, lastTransitionTime: dateTime, reason: str, message: str },
  },
  kind(`${apps}ControllerRevision`, gvk('ControllerRevision'), { data: anyJson, revision: int64 }, { required: ['revision'] }),
  listKind(`${apps}ControllerRevision`, gvk('ControllerRevision')),
];

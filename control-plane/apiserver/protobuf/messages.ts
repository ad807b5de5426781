// Field numbers of the Kubernetes protobuf messages Skiff decodes: the ones the typed clients inside
// kubectl send (`kubectl create deployment|namespace|configmap|secret|serviceaccount|service|job`),
// with the fields those objects commonly carry. Numbers follow upstream's generated.proto (they are
// the wire format); fields not listed here are skipped when decoding.

/** How one field's value reads. `msg:<Name>` nests another message from this table. */
export type FieldKind = 'string' | 'int' | 'bool' | 'bytes' | 'time' | 'quantity' | 'intOrString' | `msg:${string}`;

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  repeated?: boolean;
  /** map<string, kind>: entries are messages {1: key, 2: value}. */
  map?: boolean;
  /** Keep zero values and empty messages: pointer fields in Go (`replicas: 0` differs from unset). */
  keepZero?: boolean;
  /** The nested message's fields belong to this object (Go's embedded structs, e.g. Volume.volumeSource). */
  inline?: boolean;
}

type Message = Record<number, FieldSpec>;

const s = (name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, kind: 'string', ...extra });
const i = (name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, kind: 'int', ...extra });
const b = (name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, kind: 'bool', ...extra });
const m = (name: string, msg: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, kind: `msg:${msg}`, ...extra });
const strings = (name: string): FieldSpec => ({ name, kind: 'string', repeated: true });
const stringMap = (name: string): FieldSpec => ({ name, kind: 'string', map: true });
const list = (name: string, msg: string): FieldSpec => ({ name, kind: `msg:${msg}`, repeated: true });

export const messages: Record<string, Message> = {
  Unknown: { 1: m('typeMeta', 'TypeMeta'), 2: { name: 'raw', kind: 'bytes' }, 3: s('contentEncoding'), 4: s('contentType') },
  TypeMeta: { 1: s('apiVersion'), 2: s('kind') },
  ObjectMeta: {
    1: s('name'),
    2: s('generateName'),
    3: s('namespace'),
    5: s('uid'),
    6: s('resourceVersion'),
    7: i('generation'),
    8: { name: 'creationTimestamp', kind: 'time' },
    9: { name: 'deletionTimestamp', kind: 'time' },
    10: i('deletionGracePeriodSeconds', { keepZero: true }),
    11: stringMap('labels'),
    12: stringMap('annotations'),
    13: list('ownerReferences', 'OwnerReference'),
    14: strings('finalizers'),
  },
  OwnerReference: { 1: s('kind'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: b('controller', { keepZero: true }), 7: b('blockOwnerDeletion', { keepZero: true }) },
  LabelSelector: { 1: stringMap('matchLabels'), 2: list('matchExpressions', 'LabelSelectorRequirement') },
  LabelSelectorRequirement: { 1: s('key'), 2: s('operator'), 3: strings('values') },
  LocalObjectReference: { 1: s('name') },
  ObjectReference: { 1: s('kind'), 2: s('namespace'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: s('resourceVersion'), 7: s('fieldPath') },

  Namespace: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'NamespaceSpec') },
  NamespaceSpec: { 1: strings('finalizers') },
  ConfigMap: { 1: m('metadata', 'ObjectMeta'), 2: stringMap('data'), 3: { name: 'binaryData', kind: 'bytes', map: true }, 4: b('immutable', { keepZero: true }) },
  Secret: { 1: m('metadata', 'ObjectMeta'), 2: { name: 'data', kind: 'bytes', map: true }, 3: s('type'), 4: stringMap('stringData'), 5: b('immutable', { keepZero: true }) },
  ServiceAccount: { 1: m('metadata', 'ObjectMeta'), 2: list('secrets', 'ObjectReference'), 3: list('imagePullSecrets', 'LocalObjectReference'), 4: b('automountServiceAccountToken', { keepZero: true }) },

  Service: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ServiceSpec') },
  ServiceSpec: {
    1: list('ports', 'ServicePort'),
    2: stringMap('selector'),
    3: s('clusterIP'),
    4: s('type'),
    5: strings('externalIPs'),
    7: s('sessionAffinity'),
    8: s('loadBalancerIP'),
    9: strings('loadBalancerSourceRanges'),
    10: s('externalName'),
    11: s('externalTrafficPolicy'),
    12: i('healthCheckNodePort'),
    13: b('publishNotReadyAddresses'),
    17: s('ipFamilyPolicy'),
    18: strings('clusterIPs'),
    19: strings('ipFamilies'),
    20: b('allocateLoadBalancerNodePorts', { keepZero: true }),
    21: s('loadBalancerClass'),
    22: s('internalTrafficPolicy'),
  },
  ServicePort: { 1: s('name'), 2: s('protocol'), 3: i('port'), 4: { name: 'targetPort', kind: 'intOrString' }, 5: i('nodePort'), 6: s('appProtocol') },

  Pod: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  PodTemplateSpec: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  PodSpec: {
    1: list('volumes', 'Volume'),
    2: list('containers', 'Container'),
    3: s('restartPolicy'),
    4: i('terminationGracePeriodSeconds', { keepZero: true }),
    5: i('activeDeadlineSeconds', { keepZero: true }),
    6: s('dnsPolicy'),
    7: stringMap('nodeSelector'),
    8: s('serviceAccountName'),
    9: s('serviceAccount'),
    10: s('nodeName'),
    11: b('hostNetwork'),
    12: b('hostPID'),
    13: b('hostIPC'),
    15: list('imagePullSecrets', 'LocalObjectReference'),
    16: s('hostname'),
    17: s('subdomain'),
    19: s('schedulerName'),
    20: list('initContainers', 'Container'),
    21: b('automountServiceAccountToken', { keepZero: true }),
    22: list('tolerations', 'Toleration'),
    24: s('priorityClassName'),
    25: i('priority', { keepZero: true }),
    29: s('runtimeClassName'),
    30: b('enableServiceLinks', { keepZero: true }),
    31: s('preemptionPolicy'),
  },
  Toleration: { 1: s('key'), 2: s('operator'), 3: s('value'), 4: s('effect'), 5: i('tolerationSeconds', { keepZero: true }) },
  Volume: { 1: s('name'), 2: m('volumeSource', 'VolumeSource', { inline: true }) },
  VolumeSource: {
    1: m('hostPath', 'HostPathVolumeSource', { keepZero: true }),
    2: m('emptyDir', 'EmptyDirVolumeSource', { keepZero: true }),
    6: m('secret', 'SecretVolumeSource', { keepZero: true }),
    10: m('persistentVolumeClaim', 'PersistentVolumeClaimVolumeSource', { keepZero: true }),
    19: m('configMap', 'ConfigMapVolumeSource', { keepZero: true }),
  },
  HostPathVolumeSource: { 1: s('path'), 2: s('type') },
  EmptyDirVolumeSource: { 1: s('medium'), 2: { name: 'sizeLimit', kind: 'quantity' } },
  SecretVolumeSource: { 1: s('secretName'), 2: list('items', 'KeyToPath'), 3: i('defaultMode', { keepZero: true }), 4: b('optional', { keepZero: true }) },
  ConfigMapVolumeSource: { 1: m('localObjectReference', 'LocalObjectReference', { inline: true }), 2: list('items', 'KeyToPath'), 3: i('defaultMode', { keepZero: true }), 4: b('optional', { keepZero: true }) },
  PersistentVolumeClaimVolumeSource: { 1: s('claimName'), 2: b('readOnly') },
  KeyToPath: { 1: s('key'), 2: s('path'), 3: i('mode', { keepZero: true }) },
  Container: {
    1: s('name'),
    2: s('image'),
    3: strings('command'),
    4: strings('args'),
    5: s('workingDir'),
    6: list('ports', 'ContainerPort'),
    7: list('env', 'EnvVar'),
    8: m('resources', 'ResourceRequirements'),
    9: list('volumeMounts', 'VolumeMount'),
    13: s('terminationMessagePath'),
    14: s('imagePullPolicy'),
    16: b('stdin'),
    17: b('stdinOnce'),
    18: b('tty'),
    20: s('terminationMessagePolicy'),
  },
  ContainerPort: { 1: s('name'), 2: i('hostPort'), 3: i('containerPort'), 4: s('protocol'), 5: s('hostIP') },
  EnvVar: { 1: s('name'), 2: s('value') },
  ResourceRequirements: { 1: { name: 'limits', kind: 'quantity', map: true }, 2: { name: 'requests', kind: 'quantity', map: true } },
  VolumeMount: { 1: s('name'), 2: b('readOnly'), 3: s('mountPath'), 4: s('subPath'), 5: s('mountPropagation'), 6: s('subPathExpr') },

  Deployment: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'DeploymentSpec') },
  DeploymentSpec: {
    1: i('replicas', { keepZero: true }),
    2: m('selector', 'LabelSelector'),
    3: m('template', 'PodTemplateSpec'),
    4: m('strategy', 'DeploymentStrategy'),
    5: i('minReadySeconds'),
    6: i('revisionHistoryLimit', { keepZero: true }),
    7: b('paused'),
    9: i('progressDeadlineSeconds', { keepZero: true }),
  },
  DeploymentStrategy: { 1: s('type'), 2: m('rollingUpdate', 'RollingUpdateDeployment') },
  RollingUpdateDeployment: { 1: { name: 'maxUnavailable', kind: 'intOrString', keepZero: true }, 2: { name: 'maxSurge', kind: 'intOrString', keepZero: true } },
  ReplicaSet: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ReplicaSetSpec') },
  ReplicaSetSpec: { 1: i('replicas', { keepZero: true }), 2: m('selector', 'LabelSelector'), 3: m('template', 'PodTemplateSpec'), 4: i('minReadySeconds') },
  Job: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'JobSpec') },
  JobSpec: {
    1: i('parallelism', { keepZero: true }),
    2: i('completions', { keepZero: true }),
    3: i('activeDeadlineSeconds', { keepZero: true }),
    4: m('selector', 'LabelSelector'),
    5: b('manualSelector', { keepZero: true }),
    6: m('template', 'PodTemplateSpec'),
    7: i('backoffLimit', { keepZero: true }),
    8: i('ttlSecondsAfterFinished', { keepZero: true }),
    9: s('completionMode'),
    10: b('suspend', { keepZero: true }),
  },

  // rbac.authorization.k8s.io/v1 (`kubectl create role|clusterrole|rolebinding|clusterrolebinding`).
  Role: { 1: m('metadata', 'ObjectMeta'), 2: list('rules', 'PolicyRule') },
  ClusterRole: { 1: m('metadata', 'ObjectMeta'), 2: list('rules', 'PolicyRule'), 3: m('aggregationRule', 'AggregationRule') },
  PolicyRule: { 1: strings('verbs'), 2: strings('apiGroups'), 3: strings('resources'), 4: strings('resourceNames'), 5: strings('nonResourceURLs') },
  AggregationRule: { 1: list('clusterRoleSelectors', 'LabelSelector') },
  RoleBinding: { 1: m('metadata', 'ObjectMeta'), 2: list('subjects', 'Subject'), 3: m('roleRef', 'RoleRef') },
  ClusterRoleBinding: { 1: m('metadata', 'ObjectMeta'), 2: list('subjects', 'Subject'), 3: m('roleRef', 'RoleRef') },
  Subject: { 1: s('kind'), 2: s('apiGroup'), 3: s('name'), 4: s('namespace') },
  RoleRef: { 1: s('apiGroup'), 2: s('kind'), 3: s('name') },

  // certificates.k8s.io/v1 (`kubectl certificate approve|deny` PUT .../approval with the whole object).
  CertificateSigningRequest: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'CertificateSigningRequestSpec'), 3: m('status', 'CertificateSigningRequestStatus') },
  CertificateSigningRequestSpec: {
    1: { name: 'request', kind: 'bytes' },
    2: s('username'),
    3: s('uid'),
    4: strings('groups'),
    5: strings('usages'),
    // 6: extra (map<string, ExtraValue>) is skipped: the server stamps it from the requester on create and
    // keeps the stored spec on every update, so a client's value never counts.
    7: s('signerName'),
    8: i('expirationSeconds', { keepZero: true }),
  },
  CertificateSigningRequestStatus: { 1: list('conditions', 'CertificateSigningRequestCondition'), 2: { name: 'certificate', kind: 'bytes' } },
  CertificateSigningRequestCondition: {
    1: s('type'),
    2: s('reason'),
    3: s('message'),
    4: { name: 'lastUpdateTime', kind: 'time' },
    5: { name: 'lastTransitionTime', kind: 'time' },
    6: s('status'),
  },
};

/** The top-level message of each kind a protobuf body may carry. */
export const messageForKind: Record<string, string> = {
  'v1/Namespace': 'Namespace',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Service': 'Service',
  'v1/Pod': 'Pod',
  'apps/v1/Deployment': 'Deployment',
  'apps/v1/ReplicaSet': 'ReplicaSet',
  'batch/v1/Job': 'Job',
  'rbac.authorization.k8s.io/v1/Role': 'Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'ClusterRoleBinding',
  'certificates.k8s.io/v1/CertificateSigningRequest': 'CertificateSigningRequest',
};

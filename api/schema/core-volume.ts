// core/v1 volumes, volume mounts and environment: what a container sees of its pod's data.
import type { Definition } from './field-schema.js';
import { anyJson, bool, core, def, int32, int64, list, quantity, ref, str } from './build.js';

// Volume sources Skiff cannot mount (cloud disks, in-tree plugins, CSI) are still accepted, as opaque
// JSON, so manifests written for other clusters pass strict field validation; the kubelet reports them.
const opaqueVolumeSources = [
  'awsElasticBlockStore', 'gcePersistentDisk', 'gitRepo', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'azureDisk', 'vsphereVolume', 'quobyte', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral',
];

export const volumeDefinitions: Definition[] = [
  def(
    `${core}Volume`,
    {
      name: str,
      hostPath: ref(`${core}HostPathVolumeSource`),
      emptyDir: ref(`${core}EmptyDirVolumeSource`),
      secret: ref(`${core}SecretVolumeSource`),
      configMap: ref(`${core}ConfigMapVolumeSource`),
      downwardAPI: ref(`${core}DownwardAPIVolumeSource`),
      projected: ref(`${core}ProjectedVolumeSource`),
      persistentVolumeClaim: ref(`${core}PersistentVolumeClaimVolumeSource`),
      nfs: ref(`${core}NFSVolumeSource`),
      image: ref(`${core}ImageVolumeSource`),
      ...Object.fromEntries(opaqueVolumeSources.map((name) => [name, anyJson])),
    },
    { required: ['name'] },
  ),
  def(`${core}HostPathVolumeSource`, { path: str, type: str }, { required: ['path'] }),
  def(`${core}EmptyDirVolumeSource`, { medium: str, sizeLimit: quantity }),
  def(`${core}KeyToPath`, { key: str, path: str, mode: int32 }, { required: ['key', 'path'] }),
  def(`${core}SecretVolumeSource`, {
    secretName: str,
    items: list(ref(`${core}KeyToPath`)),
    defaultMode: int32,
    optional: bool,
  }),
  def(`${core}ConfigMapVolumeSource`, {
    name: str,
    items: list(ref(`${core}KeyToPath`)),
    defaultMode: int32,
    optional: bool,
  }),
  def(`${core}DownwardAPIVolumeSource`, { items: list(ref(`${core}DownwardAPIVolumeFile`)), defaultMode: int32 }),
  def(
    `${core}DownwardAPIVolumeFile`,
    {
      path: str,
      fieldRef: ref(`${core}ObjectFieldSelector`),
      resourceFieldRef: ref(`${core}ResourceFieldSelector`),
      mode: int32,
    },
    { required: ['path'] },
  ),
  def(`${core}ProjectedVolumeSource`, { sources: list(ref(`${core}VolumeProjection`)), defaultMode: int32 }),
  def(`${core}VolumeProjection`, {
    secret: ref(`${core}SecretProjection`),
    downwardAPI: ref(`${core}DownwardAPIProjection`),
    configMap: ref(`${core}ConfigMapProjection`),
    serviceAccountToken: ref(`${core}ServiceAccountTokenProjection`),
    clusterTrustBundle: anyJson,
  }),
  def(`${core}SecretProjection`, { name: str, items: list(ref(`${core}KeyToPath`)), optional: bool }),
  def(`${core}ConfigMapProjection`, { name: str, items: list(ref(`${core}KeyToPath`)), optional: bool }),
  def(`${core}DownwardAPIProjection`, { items: list(ref(`${core}DownwardAPIVolumeFile`)) }),
  def(
    `${core}ServiceAccountTokenProjection`,
    { audience: str, expirationSeconds: int64, path: str },
    { required: ['path'] },
  ),
  def(`${core}PersistentVolumeClaimVolumeSource`, { claimName: str, readOnly: bool }, { required: ['claimName'] }),
  def(`${core}NFSVolumeSource`, { server: str, path: str, readOnly: bool }, { required: ['server', 'path'] }),
  def(`${core}ImageVolumeSource`, { reference: str, pullPolicy: str }),
  def(
    `${core}VolumeMount`,
    {
      name: str,
      readOnly: bool,
      recursiveReadOnly: str,
      mountPath: str,
      subPath: str,
      mountPropagation: str,
      subPathExpr: str,
    },
    { required: ['name', 'mountPath'] },
  ),
  def(`${core}VolumeDevice`, { name: str, devicePath: str }, { required: ['name', 'devicePath'] }),
  def(`${core}EnvVar`, { name: str, value: str, valueFrom: ref(`${core}EnvVarSource`) }, { required: ['name'] }),
  def(`${core}EnvVarSource`, {
    fieldRef: ref(`${core}ObjectFieldSelector`),
    resourceFieldRef: ref(`${core}ResourceFieldSelector`),
    configMapKeyRef: ref(`${core}ConfigMapKeySelector`),
    secretKeyRef: ref(`${core}SecretKeySelector`),
  }),
  def(`${core}ObjectFieldSelector`, { apiVersion: str, fieldPath: str }, { required: ['fieldPath'] }),
  def(
    `${core}ResourceFieldSelector`,
    { containerName: str, resource: str, divisor: quantity },
    { required: ['resource'] },
  ),
  def(`${core}ConfigMapKeySelector`, { name: str, key: str, optional: bool }, { required: ['key'] }),
  def(`${core}SecretKeySelector`, { name: str, key: str, optional: bool }, { required: ['key'] }),
  def(`${core}EnvFromSource`, {
    prefix: str,
    configMapRef: ref(`${core}ConfigMapEnvSource`),
    secretRef: ref(`${core}SecretEnvSource`),
  }),
  def(`${core}ConfigMapEnvSource`, { name: str, optional: bool }),
  def(`${core}SecretEnvSource`, { name: str, optional: bool }),
];


// core/v1 Node and Namespace: the cluster-scoped kinds of the core group.
import type { Definition } from './field-schema.js';
import {
  anyJson, bool, core, dateTime, def, enumOf, int32, int64, kind, list, listKind, mergeList, mergeSet, quantityMap, ref, str,
} from './build.js';

const nodeGvk = { group: '', version: 'v1', kind: 'Node' };
const namespaceGvk = { group: '', version: 'v1', kind: 'Namespace' };

export const nodeDefinitions: Definition[] = [
  kind(`${core}Node`, nodeGvk, { spec: ref(`${core}NodeSpec`), status: ref(`${core}NodeStatus`) }),
  listKind(`${core}Node`, nodeGvk),
  def(`${core}NodeSpec`, {
    podCIDR: str,
    podCIDRs: mergeSet(str),
    providerID: str,
    unschedulable: bool,
    taints: list(ref(`${core}Taint`)),
    configSource: ref(`${core}NodeConfigSource`),
    externalID: str,
  }),
  def(`${core}NodeConfigSource`, { configMap: anyJson }),
  def(
    `${core}Taint`,
    { key: str, value: str, effect: enumOf('NoSchedule', 'PreferNoSchedule', 'NoExecute'), timeAdded: dateTime },
    { required: ['key', 'effect'] },
  ),
  def(`${core}NodeStatus`, {
    capacity: quantityMap,
    allocatable: quantityMap,
    phase: str,
    conditions: mergeList(ref(`${core}NodeCondition`), 'type'),
    addresses: mergeList(ref(`${core}NodeAddress`), 'type'),
    daemonEndpoints: ref(`${core}NodeDaemonEndpoints`),
    nodeInfo: ref(`${core}NodeSystemInfo`),
    images: list(ref(`${core}ContainerImage`)),
    volumesInUse: list(str),
    volumesAttached: list(ref(`${core}AttachedVolume`)),
    config: ref(`${core}NodeConfigStatus`),
    runtimeHandlers: list(ref(`${core}NodeRuntimeHandler`)),
    features: ref(`${core}NodeFeatures`),
  }),
  def(
    `${core}NodeCondition`,
    {
      type: str,
      status: str,
      lastHeartbeatTime: dateTime,
      lastTransitionTime: dateTime,
      reason: str,
      message: str,
    },
    { required: ['type', 'status'] },
  ),
  def(`${core}NodeAddress`, { type: str, address: str }, { required: ['type', 'address'] }),
  def(`${core}NodeDaemonEndpoints`, { kubeletEndpoint: ref(`${core}DaemonEndpoint`) }),
  def(`${core}DaemonEndpoint`, { Port: int32 }, { required: ['Port'] }),
  def(
    `${core}NodeSystemInfo`,
    {
      machineID: str,
      systemUUID: str,
      bootID: str,
      kernelVersion: str,
      osImage: str,
      containerRuntimeVersion: str,
      kubeletVersion: str,
      kubeProxyVersion: str,
      operatingSystem: str,
      architecture: str,
      swap: ref(`${core}NodeSwapStatus`),
    },
    {
      required: [
        'machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion',
        'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture',
      ],
    },
  ),
  def(`${core}NodeSwapStatus`, { capacity: int64 }),
  def(`${core}ContainerImage`, { names: list(str), sizeBytes: int64 }),
  def(`${core}AttachedVolume`, { name: str, devicePath: str }, { required: ['name', 'devicePath'] }),
  def(`${core}NodeConfigStatus`, { assigned: anyJson, active: anyJson, lastKnownGood: anyJson, error: str }),
  def(`${core}NodeRuntimeHandler`, { name: str, features: ref(`${core}NodeRuntimeHandlerFeatures`) }),
  def(`${core}NodeRuntimeHandlerFeatures`, { recursiveReadOnlyMounts: bool, userNamespaces: bool }),
  def(`${core}NodeFeatures`, { supplementalGroupsPolicy: bool }),
  kind(`${core}Namespace`, namespaceGvk, { spec: ref(`${core}NamespaceSpec`), status: ref(`${core}NamespaceStatus`) }),
  listKind(`${core}Namespace`, namespaceGvk),
  def(`${core}NamespaceSpec`, { finalizers: list(str) }),
  def(`${core}NamespaceStatus`, {
    phase: enumOf('Active', 'Terminating'),
    conditions: mergeList(ref(`${core}NamespaceCondition`), 'type'),
  }),
  def(
    `${core}NamespaceCondition`,
    { type: str, status: str, lastTransitionTime: dateTime, reason: str, message: str },
    { required: ['type', 'status'] },
  ),
];

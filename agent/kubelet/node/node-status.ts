// The Node's status as the kubelet reports it (pure): capacity and allocatable, addresses, nodeInfo, and the
// Ready / MemoryPressure / DiskPressure / PIDPressure conditions, with transition times kept while a
// condition's status stays the same and heartbeat times set to now.
import type { Node, NodeCondition, NodeStatus } from '../../../api/index.js';
import type { MachineInfo } from './machine-info.js';
import { toTime } from '../time.js';

export const kubeletVersion = 'v1.33.0-skiff';
export const maxPods = 110;

export interface NodeStatusInput {
  machine: MachineInfo;
  nodeIP: string;
  /** `docker://<version>` from CRI Version. */
  containerRuntimeVersion: string;
  /** Port of the kubelet's own HTTP endpoint (0 when none). */
  kubeletPort: number;
  nowMs: number;
  /**
   * False while the pod network is not set up (the kubelet waits for its Node's pod CIDR to reach the
   * runtime): the node then reports Ready=False, as upstream's does while its network plugin is not ready,
   * so nothing is scheduled onto it to get an address outside the node's CIDR. Default true.
   */
  networkReady?: boolean;
}

/** Upstream's Ready=False message while the runtime's network is not ready. */
export const networkNotReadyMessage = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:waiting for the node's spec.podCIDR";

/** Capacity of the node (allocatable is the same: Skiff reserves nothing). */
export function nodeCapacity(m: MachineInfo): Record<string, string> {
  return {
    cpu: String(m.cpus),
    memory: `${Math.floor(m.memoryBytes / 1024)}Ki`,
    pods: String(maxPods),
    'ephemeral-storage': `${Math.floor(m.rootDiskBytes / 1024)}Ki`,
  };
}

function cond(old: NodeCondition[] | undefined, type: string, status: 'True' | 'False', reason: string, message: string, nowMs: number): NodeCondition {
  const prev = old?.find((c) => c.type === type);
  return {
    type,
    status,
    lastHeartbeatTime: toTime(nowMs),
    lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : toTime(nowMs),
    reason,
    message,
  };
}

/** The status to report, given the node's current one (for transition times). */
export function nodeStatus(input: NodeStatusInput, current: Node | undefined): NodeStatus {
  const m = input.machine;
  const old = current?.status?.conditions;
  const now = input.nowMs;
  const capacity = nodeCapacity(m);
  return {
    capacity,
    allocatable: { ...capacity },
    conditions: [
      cond(old, 'MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', now),
      cond(old, 'DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', now),
      cond(old, 'PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', now),
      input.networkReady === false
        ? cond(old, 'Ready', 'False', 'KubeletNotReady', networkNotReadyMessage, now)
        : cond(old, 'Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', now),
    ],
    addresses: [
      { type: 'InternalIP', address: input.nodeIP },
      { type: 'Hostname', address: m.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: input.kubeletPort } },
    nodeInfo: {
      machineID: m.machineID,
      systemUUID: m.systemUUID,
      bootID: m.bootID,
      kernelVersion: m.kernelVersion,
      osImage: m.osImage,
      containerRuntimeVersion: input.containerRuntimeVersion,
      kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: m.operatingSystem,
      architecture: m.architecture,
    },
  };
}

/** The status without heartbeat times, to tell a real change from a heartbeat. */
export function withoutHeartbeats(s: NodeStatus | undefined): unknown {
  return { ...s, conditions: (s?.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })) };
}

import { describe, expect, it } from 'vitest';
import { nodeCapacity, nodeStatus, withoutHeartbeats } from '../../agent/kubelet/node/node-status.js';
import type { MachineInfo } from '../../agent/kubelet/node/machine-info.js';
import { canonical } from '../../agent/kubelet/status/index.js';

const machine: MachineInfo = {
  hostname: 'box', cpus: 2, memoryBytes: 4 * 1024 ** 3, rootDiskBytes: 100 * 1024 ** 3, osImage: 'Ubuntu 24.04', kernelVersion: '6.8.0',
  architecture: 'amd64', operatingSystem: 'linux', machineID: 'm', systemUUID: 's', bootID: 'b', primaryIPv4: '192.168.1.5',
};

describe('node status', () => {
  it('reports capacity = allocatable with 110 pods', () => {
    expect(nodeCapacity(machine)).toEqual({ cpu: '2', memory: '4194304Ki', pods: '110', 'ephemeral-storage': '104857600Ki' });
  });

  it('reports Ready and no pressure, addresses and nodeInfo', () => {
    const s = nodeStatus({ machine, nodeIP: '10.0.0.7', containerRuntimeVersion: 'docker://27.0', kubeletPort: 10250, nowMs: 0 }, undefined);
    expect(s.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    expect(s.addresses).toEqual([{ type: 'InternalIP', address: '10.0.0.7' }, { type: 'Hostname', address: 'box' }]);
    expect(s.nodeInfo).toMatchObject({ kubeletVersion: 'v1.33.0-skiff', containerRuntimeVersion: 'docker://27.0', osImage: 'Ubuntu 24.04', architecture: 'amd64' });
  });

  it('keeps transition times and differs from the last report only in heartbeats when nothing changed', () => {
    const input = { machine, nodeIP: '10.0.0.7', containerRuntimeVersion: 'docker://27.0', kubeletPort: 0 };
    const first = nodeStatus({ ...input, nowMs: 0 }, undefined);
    const later = nodeStatus({ ...input, nowMs: 60_000 }, { metadata: { name: 'box' }, status: first });
    expect(later.conditions?.[3]?.lastTransitionTime).toBe(first.conditions?.[3]?.lastTransitionTime);
    expect(later.conditions?.[3]?.lastHeartbeatTime).not.toBe(first.conditions?.[3]?.lastHeartbeatTime);
    expect(canonical(withoutHeartbeats(later))).toBe(canonical(withoutHeartbeats(first)));
  });
});

// Pod and Node builders for the scheduler's unit tests.
import type { Node, Taint } from '../../api/types/node.js';
import type { Container, Pod } from '../../api/types/pod.js';
import { newPodInfo } from '../../control-plane/scheduler/node-info.js';
import { NodeInfo } from '../../control-plane/scheduler/node-info.js';
import type { CycleState } from '../../control-plane/scheduler/framework.js';

export interface NodeSpecOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  ephemeralStorage?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  ready?: boolean | 'missing';
  extra?: Record<string, string>;
}

export function makeNode(name: string, o: NodeSpecOptions = {}): Node {
  const allocatable: Record<string, string> = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...(o.extra ?? {}) };
  if (o.ephemeralStorage) allocatable['ephemeral-storage'] = o.ephemeralStorage;
  const conditions = o.ready === 'missing' ? [] : [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' } as const];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: { allocatable, capacity: allocatable, conditions },
  };
}

export function container(name: string, requests?: Record<string, string>, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox', ...(requests ? { resources: { requests } } : {}), ...extra };
}

export function makePod(name: string, spec: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...meta },
    spec: { containers: [container('c')], ...spec },
  };
}

/** A NodeInfo with `pods` already placed on it. */
export function nodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  const info = new NodeInfo(node);
  for (const p of pods) info.addPod(newPodInfo(`${p.metadata.namespace}/${p.metadata.name}`, p));
  return info;
}

export function cycle(pod: Pod): CycleState {
  return { pod, data: new Map() };
}

export function ownedBy(uid: string): Partial<Pod['metadata']> {
  return { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid, controller: true }] };
}

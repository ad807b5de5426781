// The kubelet room's door: the node agent that turns pods bound to its node into containers through the CRI.

/** Kubelet: node registration, lease, pod informer, pod workers, PLEG, probes, status. */
export { Kubelet, type KubeletOptions } from './kubelet.js';
/** The CRI seam the kubelet uses; CriClient satisfies it, FakeRuntime implements it in memory. */
export type { RuntimeService, ImageService, Runtime } from './runtime.js';
/** An in-memory CRI runtime for tests, driven by a Clock. */
export { FakeRuntime } from './fake-runtime.js';
/** The labels the kubelet puts on sandboxes and containers (pod uid, name, namespace, container name). */
export { podUidLabel, podNameLabel, podNamespaceLabel, containerNameLabel, managedByLabel, nodeLabel } from './labels.js';
/** The machine facts read at start (systeminformation). */
export { readMachineInfo, type MachineInfo } from './node/machine-info.js';

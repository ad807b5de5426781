// The kubelet's status room: pod status computation (pure) and the manager that writes it only on change.

/** computePodStatus: phase, conditions, container statuses, IPs from the runtime state. */
export { computePodStatus, type PodStatusInput } from './pod-status.js';
/** podPhase: upstream's getPhase. */
export { podPhase } from './pod-phase.js';
/** containerStatus and the waiting/probe inputs it takes. */
export { containerStatus, runtimePrefix, type Waiting, type ProbeView } from './container-statuses.js';
/** StatusManager writes through a StatusWriter (ApiStatusWriter patches pods/status) only when changed. */
export { StatusManager, ApiStatusWriter, canonical, type StatusWriter } from './status-manager.js';

// The probes room: liveness, readiness and startup probing of running containers.

/** runAction/RuntimeProber run exec (CRI ExecSync), httpGet and tcpSocket actions; Prober is the seam. */
export { runAction, RuntimeProber, resolvePort, type Prober, type ProbeOutcome, type ProbeResult, type ProbeTarget } from './prober.js';
/** ProbeWorker: one probe of one container with upstream's delay, period and thresholds. */
export { ProbeWorker, initialVerdict, type ProbeType, type ProbeVerdict } from './probe-worker.js';
/** ProbeManager: workers per running container; ready/started/failure answers for the pod worker. */
export { ProbeManager } from './probe-manager.js';

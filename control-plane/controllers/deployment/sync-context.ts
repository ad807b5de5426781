// What the deployment sync steps share: the client, the clock, a logger, and a way to look again later.
import type { Deployment } from '../../../api/index.js';
import type { Clock, Logger, RestClient } from '../../../client/index.js';
import type { EventRecorder } from '../event-recorder.js';

/** The Events' source, as upstream's. */
export const deploymentComponent = 'deployment-controller';

export interface DeploymentSyncContext {
  client: RestClient;
  clock: Clock;
  log: Logger;
  recorder: EventRecorder;
  /** Re-queues the deployment after `delayMs` (progress deadline checks). */
  requeueAfter(d: Deployment, delayMs: number): void;
}

/** The deployment's ReplicaSets split into the one matching its template and the rest. */
export interface ReplicaSetSplit {
  newRS: import('../../../api/index.js').ReplicaSet | undefined;
  oldRSs: import('../../../api/index.js').ReplicaSet[];
}

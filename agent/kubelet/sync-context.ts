// Everything a pod sync needs from the kubelet, passed as one object so the sync functions stay testable.
import type { Logger } from 'pino';
import type { Clock } from '../../client/index.js';
import type { Backoff } from './backoff.js';
import type { ImagePuller } from './image-puller.js';
import type { ObjectSource } from './object-source.js';
import type { ProbeManager } from './probes/index.js';
import type { Runtime } from './runtime.js';

export interface SyncContext {
  runtime: Runtime;
  clock: Clock;
  /** Container restart back-off, keyed `<pod uid>/<container name>`. */
  backoff: Backoff;
  images: ImagePuller;
  probes: ProbeManager;
  objects: ObjectSource;
  /** Root of per-pod directories (<dataDir>/pods/<uid>). */
  dataDir: string;
  /** Root of pod log directories (default /var/log/pods). */
  logsRoot: string;
  hostIP: string;
  allocatable: Record<string, string>;
  clusterDNS?: string[];
  clusterDomain?: string;
  log: Logger;
}

// The certificates controllers room: `csrsigning` approves kubelet client CertificateSigningRequests from
// bootstrap tokens and signs approved ones with the cluster CA. It needs the CA's private key, so only
// `skiff server` (which owns <data-dir>/pki) runs it, and only when it is handed the CA.
import type { Clock, InformerFactory, Logger, RestClient } from '../../../client/index.js';
import type { CertificateAuthority } from '../../../pki/index.js';
import { EventRecorder } from '../event-recorder.js';
import { CsrSigningController } from './csr-signing-controller.js';

/** The CSR controller class, for tests that drive it directly. */
export { CsrSigningController } from './csr-signing-controller.js';
/** The pure next-step decision for one CSR (approve, deny, sign, fail, none) and the signer's shape check. */
export { type CsrAction, planCsr, signingProblem, hasCondition } from './csr-plan.js';
/** The CertificateSigningRequest ResourceInfo (certificates.k8s.io/v1, cluster-scoped). */
export { certificateSigningRequestsResource as csrResource } from '../resources.js';

/** The `--controllers` name of the CSR controller. */
export const csrSigningControllerName = 'csrsigning';

/** Whether `--controllers` (as parsed: `*` for all, names otherwise) asks for the CSR controller. */
export function csrSigningEnabled(controllers: readonly string[]): boolean {
  return controllers.includes('*') || controllers.includes(csrSigningControllerName);
}

/** What startCsrSigning needs; without `ca` the controller does not run (it could approve but never sign). */
export interface CsrSigningOptions {
  client: RestClient;
  informers: InformerFactory;
  clock: Clock;
  logger: Logger;
  /** The cluster CA (<data-dir>/pki/ca.{crt,key}); undefined: not started. */
  ca: CertificateAuthority | undefined;
  /** Concurrent reconciles (default 2; signing is quick and CSRs are few). */
  workers?: number;
  /** How long to wait for the CSR informer's first list before working anyway, in ms (default 60 s). */
  syncTimeoutMs?: number;
}

/** The handle of a started controller. */
export interface RunningCsrSigning {
  readonly controller: CsrSigningController;
  /** Stops taking work and waits for in-flight reconciles. Does not stop the shared informers. */
  stop(): Promise<void>;
}

/**
 * Starts the CSR controller on the shared informers (starting its CSR informer if the factory already
 * runs), in the background: workers begin once the CSR cache has synced. Answers undefined without a CA.
 */
export function startCsrSigning(options: CsrSigningOptions): RunningCsrSigning | undefined {
  if (!options.ca) return undefined;
  const log = options.logger.child({ component: 'controller-manager' });
  const recorder = new EventRecorder(options.client, options.clock, log);
  const controller = new CsrSigningController(
    { client: options.client, informers: options.informers, clock: options.clock, logger: options.logger, recorder },
    options.ca,
  );
  let stopped = false;
  let wake: () => void = () => {};
  const stopping = new Promise<'stopped'>((resolve) => (wake = () => resolve('stopped')));
  const run = (async () => {
    // A stop during the wait must not wait out the sync timeout.
    const synced = await Promise.race([controller.waitForSync(options.syncTimeoutMs ?? 60_000), stopping]);
    if (!synced && !stopped) log.warn({ controller: csrSigningControllerName }, 'CSR informer not synced before the timeout; starting anyway');
    if (stopped) return;
    log.info({ controller: csrSigningControllerName }, 'controller started');
    await controller.run(options.workers ?? 2);
  })();
  return {
    controller,
    async stop() {
      stopped = true;
      wake();
      controller.stop();
      await run;
    },
  };
}

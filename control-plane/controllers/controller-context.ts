// What every controller is given (client-go's ControllerContext): one REST client, the shared informers,
// a clock (FakeClock in tests), and a logger. Controllers share informers so the control plane holds one
// watch per resource however many controllers read it.
import type { Clock, InformerFactory, Logger, RestClient } from '../../client/index.js';
import type { EventRecorder } from './event-recorder.js';

export interface ControllerContext {
  client: RestClient;
  informers: InformerFactory;
  clock: Clock;
  logger: Logger;
  /** Where controllers record Events (kubectl describe shows them). */
  recorder: EventRecorder;
}

/** A started controller: `run` resolves once `stop` has been called and its workers finished. */
export interface Controller {
  readonly name: string;
  /** Runs `workers` concurrent reconcile loops until stopped. Call after the informers have synced. */
  run(workers: number): Promise<void>;
  /** Stops taking work; in-flight reconciles finish. */
  stop(): void;
}

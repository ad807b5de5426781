// The control loops `skiff server` runs in-process: the scheduler and the controllers. They talk to the
// API server through the same REST client and informers they would use as separate processes
// (`skiff scheduler`, `skiff controller-manager`), so running them inside the server changes nothing
// about what they see — only that one process is easier to start.
import type { Logger } from 'pino';
import { InformerFactory, RealClock, RestClient, type ConnectionConfig } from '../../client/index.js';
import type { CertificateAuthority } from '../../pki/index.js';
import { resolveControllerNames, startControllers, type RunningControllers } from '../controllers/index.js';
import { Scheduler } from '../scheduler/index.js';

export interface ControlLoopsOptions {
  /** The API server (its loopback URL) and the controllers' identity (system:kube-controller-manager's cert). */
  controllerConnection: ConnectionConfig;
  /** The same server with the scheduler's identity (system:kube-scheduler's cert). */
  schedulerConnection: ConnectionConfig;
  logger: Logger;
  /** Controller names or aliases, `*` for all; empty runs none. */
  controllers: readonly string[];
  scheduler: boolean;
  /** The cluster CA (certificate and key), for the CSR signing controller; absent on an --insecure-http server. */
  clusterCa?: CertificateAuthority;
  /** --cluster-cidr and --node-cidr-mask-size, for the node IPAM controller. */
  clusterCIDR?: string;
  nodeCidrMaskSize?: number;
}

export interface RunningControlLoops {
  stop(): Promise<void>;
}

/** Parses `--controllers`: `*` (default) for all, `none` or an empty value for none, else a comma list. */
export function parseControllersFlag(value: string | undefined): string[] {
  const names = (value ?? '*').split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0 || (names.length === 1 && names[0] === 'none')) return [];
  resolveControllerNames(names); // throws on an unknown name before anything starts
  return names;
}

export async function startControlLoops(options: ControlLoopsOptions): Promise<RunningControlLoops> {
  const clock = new RealClock();
  // Upstream's controller-manager defaults (20 qps) would throttle start-up adoption; the scheduler binds
  // one request per pod, so it gets its own, larger budget (as `skiff scheduler` does).
  const controllerClient = new RestClient(options.controllerConnection, { qps: 100, burst: 200, userAgent: 'skiff-controller-manager' });
  const schedulerClient = new RestClient(options.schedulerConnection, { qps: 500, burst: 1000, userAgent: 'skiff-scheduler' });
  const informers = new InformerFactory(controllerClient, { logger: options.logger.child({ component: 'informers' }), clock });

  let scheduler: Scheduler | undefined;
  if (options.scheduler) {
    scheduler = new Scheduler({ client: schedulerClient, informers, clock, logger: options.logger.child({ component: 'scheduler' }) });
    scheduler.start();
  }
  let controllers: RunningControllers | undefined;
  if (options.controllers.length > 0) {
    controllers = await startControllers({
      client: controllerClient,
      informers,
      clock,
      logger: options.logger.child({ component: 'controllers' }),
      enabled: options.controllers,
      tuning: { clusterCIDR: options.clusterCIDR, nodeCIDRMaskSize: options.nodeCidrMaskSize, ...(options.clusterCa ? { clusterCa: options.clusterCa } : {}) },
    });
  } else {
    informers.start();
  }
  options.logger.info({ scheduler: options.scheduler, controllers: [...(controllers?.controllers.keys() ?? [])] }, 'control loops started');

  return {
    async stop(): Promise<void> {
      await scheduler?.stop();
      await controllers?.stop();
      await informers.stop();
      controllerClient.close();
      schedulerClient.close();
    },
  };
}

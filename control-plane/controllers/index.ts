// The controllers room: level-triggered reconcilers (informers → keys → work queue → reconcile) for
// ReplicaSets, Deployments, EndpointSlices and Endpoints, garbage collection, namespace deletion, Jobs,
// node lifecycle, pod garbage collection and DaemonSets. `skiff server` runs them in-process through startControllers; `skiff
// controller-manager` runs them against any API server.
import type { Clock, InformerFactory, Logger, RestClient } from '../../client/index.js';
import type { CertificateAuthority } from '../../pki/index.js';
import { CsrSigningController } from './certificates/index.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { DeploymentController } from './deployment/deployment-controller.js';
import { EndpointsController } from './endpoints/endpoints-controller.js';
import { EndpointSliceController } from './endpoints/endpointslice-controller.js';
import { JobController } from './job/job-controller.js';
import { NodeLifecycleController } from './nodelifecycle/node-lifecycle-controller.js';
import { DaemonSetController } from './daemonset/daemonset-controller.js';
import { EventRecorder } from './event-recorder.js';
import { PodGCController } from './podgc-controller.js';
import { GarbageCollector } from './gc/garbage-collector.js';
import { NamespaceController } from './namespace-controller.js';
import { NodeIpamController } from './nodeipam/index.js';
import { ReplicaSetController } from './replicaset/replicaset-controller.js';

export type { Controller, ControllerContext } from './controller-context.js';

/** Timings tests (and operators) may shorten; every field has upstream's default. */
export interface ControllerTuning {
  /** Job: first delay before re-creating pods after a failure, doubling per failure (default 10 s). */
  jobBackoffBaseMs?: number;
  /** Node lifecycle: heartbeat grace period before a node is Unknown (default 40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** Node lifecycle: how often all nodes are checked (default 5 s). */
  nodeMonitorPeriodMs?: number;
  /** Pod GC: sweep period (default 20 s). */
  podGCPeriodMs?: number;
  /** Pod GC: finished pods kept before the oldest go (default 12 500). */
  terminatedPodGCThreshold?: number;
  /** Node IPAM: the pod network cut into node CIDRs (--cluster-cidr, default 10.244.0.0/16). */
  clusterCIDR?: string;
  /** Node IPAM: prefix length of each node's CIDR (--node-cidr-mask-size, default 24). */
  nodeCIDRMaskSize?: number;
  /**
   * CSR signing: the cluster CA (certificate and key). Without it csrsigning does not run: it could
   * approve requests but never sign them (upstream's controller-manager without --cluster-signing-*-file).
   */
  clusterCa?: CertificateAuthority;
}

/** Builds one controller from the shared context; undefined when the tuning lacks what it needs. */
type ControllerFactory = (ctx: ControllerContext, tuning: ControllerTuning) => Controller | undefined;

/** Every controller by its `--controllers` name, with how many workers it runs (upstream's defaults, scaled down). */
const registry: Record<string, { make: ControllerFactory; workers: number }> = {
  replicaset: { make: (ctx) => new ReplicaSetController(ctx), workers: 5 },
  deployment: { make: (ctx) => new DeploymentController(ctx), workers: 5 },
  endpointslice: { make: (ctx) => new EndpointSliceController(ctx), workers: 5 },
  endpoints: { make: (ctx) => new EndpointsController(ctx), workers: 5 },
  garbagecollector: { make: (ctx) => new GarbageCollector(ctx), workers: 10 },
  namespace: { make: (ctx) => new NamespaceController(ctx), workers: 2 },
  nodelifecycle: {
    make: (ctx, t) =>
      new NodeLifecycleController(ctx, {
        ...(t.nodeMonitorGracePeriodMs !== undefined ? { gracePeriodMs: t.nodeMonitorGracePeriodMs } : {}),
        ...(t.nodeMonitorPeriodMs !== undefined ? { monitorPeriodMs: t.nodeMonitorPeriodMs } : {}),
      }),
    workers: 2,
  },
  podgc: {
    make: (ctx, t) =>
      new PodGCController(ctx, {
        ...(t.podGCPeriodMs !== undefined ? { periodMs: t.podGCPeriodMs } : {}),
        ...(t.terminatedPodGCThreshold !== undefined ? { terminatedPodThreshold: t.terminatedPodGCThreshold } : {}),
      }),
    workers: 1,
  },
  daemonset: { make: (ctx) => new DaemonSetController(ctx), workers: 2 },
  // One worker, always: allocation decisions must be serial (see node-ipam-controller.ts).
  nodeipam: { make: (ctx, t) => new NodeIpamController(ctx, { clusterCIDR: t.clusterCIDR, nodeCIDRMaskSize: t.nodeCIDRMaskSize }), workers: 1 },
  job: { make: (ctx, t) => new JobController(ctx, { ...(t.jobBackoffBaseMs !== undefined ? { backoffBaseMs: t.jobBackoffBaseMs } : {}) }), workers: 5 },
  csrsigning: { make: (ctx, t) => (t.clusterCa ? new CsrSigningController(ctx, t.clusterCa) : undefined), workers: 2 },
};

/** The names `--controllers` accepts, in start order. */
export const controllerNames: readonly string[] = Object.keys(registry);

/** Short names accepted as well, as kube-controller-manager's users type them. */
const aliases: Record<string, string> = {
  rs: 'replicaset',
  replicasets: 'replicaset',
  deploy: 'deployment',
  deployments: 'deployment',
  endpoint: 'endpoints',
  endpointslices: 'endpointslice',
  gc: 'garbagecollector',
  ns: 'namespace',
  jobs: 'job',
  'node-lifecycle': 'nodelifecycle',
  nodes: 'nodelifecycle',
  'pod-gc': 'podgc',
  ds: 'daemonset',
  daemonsets: 'daemonset',
  ipam: 'nodeipam',
  'node-ipam': 'nodeipam',
  csr: 'csrsigning',
};

/** What `skiff server` (in-process) and `skiff controller-manager` hand to startControllers. */
export interface StartControllersOptions {
  /** Used for every read and write; share one per process (its rate limiter is the controllers' budget). */
  client: RestClient;
  /** Shared with other in-process components (the scheduler); started here if not yet. */
  informers: InformerFactory;
  /** RealClock in production; tests pass a FakeClock to drive grace periods and deadlines. */
  clock: Clock;
  logger: Logger;
  /** Names (or aliases) to run; all when absent or containing `*`. */
  enabled?: readonly string[];
  /** Shorter timings for tests; upstream's defaults otherwise. */
  tuning?: ControllerTuning;
  /** How long to wait for the informers' first list before starting workers anyway, in ms (default 60 s). */
  syncTimeoutMs?: number;
}

/** The handle startControllers answers. */
export interface RunningControllers {
  /** The controllers started, by name. */
  readonly controllers: ReadonlyMap<string, Controller>;
  /** Stops every controller and waits for their workers. Does not stop the shared informers (their owner does). */
  stop(): Promise<void>;
}

/** Resolves `--controllers` names and aliases; throws on an unknown name. */
export function resolveControllerNames(enabled: readonly string[] | undefined): string[] {
  if (!enabled || enabled.length === 0 || enabled.includes('*')) return [...controllerNames];
  const out: string[] = [];
  for (const raw of enabled) {
    const name = aliases[raw] ?? raw;
    if (!registry[name]) throw new Error(`unknown controller "${raw}" (known: ${controllerNames.join(', ')})`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * Creates the enabled controllers (which register their informers on the factory), starts the factory,
 * waits for its caches, and starts every controller's workers. Resolves once the workers are running.
 */
export async function startControllers(options: StartControllersOptions): Promise<RunningControllers> {
  const log = options.logger.child({ component: 'controller-manager' });
  const recorder = new EventRecorder(options.client, options.clock, log);
  const ctx: ControllerContext = { client: options.client, informers: options.informers, clock: options.clock, logger: options.logger, recorder };
  const controllers = new Map<string, Controller>();
  for (const name of resolveControllerNames(options.enabled)) {
    const controller = registry[name]?.make(ctx, options.tuning ?? {});
    if (controller) controllers.set(name, controller);
    else log.info({ controller: name }, 'controller not started: its configuration is missing');
  }
  options.informers.start();
  const synced = await options.informers.waitForSync(options.syncTimeoutMs ?? 60_000);
  if (!synced) log.warn('informers not synced before the timeout; starting workers anyway');
  const runs: Promise<void>[] = [];
  for (const [name, c] of controllers) {
    runs.push(c.run(registry[name]?.workers ?? 1));
  }
  log.info({ controllers: [...controllers.keys()] }, 'controllers started');
  return {
    controllers,
    async stop() {
      for (const c of controllers.values()) c.stop();
      await Promise.all(runs);
    },
  };
}

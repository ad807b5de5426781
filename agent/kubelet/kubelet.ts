// The kubelet: registers the node and keeps its status and lease fresh, watches the pods bound to the node,
// and drives each through the CRI with a PodWorker, woken by the informer, the PLEG relist and probe results.
import pino, { type Logger } from 'pino';
import type { Pod } from '../../api/index.js';
import { Informer, RealClock, type Clock, type RestClient } from '../../client/index.js';
import { Backoff } from './backoff.js';
import { ImagePuller } from './image-puller.js';
import { ApiObjectSource, type ObjectSource } from './object-source.js';
import { ApiPodDeleter, PodManager, type PodDeleter } from './pod-manager.js';
import { Pleg, relistPeriodMs } from './pleg.js';
import { ProbeManager, RuntimeProber, type Prober } from './probes/index.js';
import { podsResource } from './resources.js';
import type { Runtime } from './runtime.js';
import { defaultPodLogsRoot } from './sandbox-config.js';
import { ApiStatusWriter, StatusManager, type StatusWriter } from './status/index.js';
import type { SyncContext } from './sync-context.js';
import { readMachineInfo, type MachineInfo } from './node/machine-info.js';
import { nodeCapacity } from './node/node-status.js';
import { NodeRegistrar, nodeStatusUpdateFrequencyMs } from './node/node-registrar.js';
import { NodeLease, leaseRenewIntervalMs } from './node/node-lease.js';
import { PodCidrSync } from './node/pod-cidr-sync.js';
import { startLogServer, type LogServer, type LogServerTls } from './logs/log-server.js';

export interface KubeletOptions {
  client: RestClient;
  runtime: Runtime;
  nodeName: string;
  /** The node's InternalIP (default: the machine's primary IPv4 address). */
  nodeIP?: string;
  /** Pod volumes live under <dataDir>/pods/<uid>. */
  dataDir: string;
  /** Pod log directories (default /var/log/pods). */
  logsRoot?: string;
  clusterDNS?: string[];
  clusterDomain?: string;
  clock?: Clock;
  logger?: Logger;
  /** Seams for tests. */
  objects?: ObjectSource;
  statusWriter?: StatusWriter;
  podDeleter?: PodDeleter;
  prober?: Prober;
  machine?: MachineInfo;
  /** Where the kubelet's HTTP endpoint (container logs, healthz) listens; none when unset. */
  server?: { host: string; port: number; /** HTTPS requiring a cluster client certificate; plain HTTP when absent. */ tls?: LogServerTls };
  resyncMs?: number;
  relistMs?: number;
  /**
   * Report the node NotReady until its spec.podCIDR has reached the runtime (UpdateRuntimeConfig): for
   * clusters whose control plane assigns pod CIDRs (nodeipam), so no pod starts outside the node's CIDR.
   */
  waitForPodCIDR?: boolean;
}

export class Kubelet {
  readonly pods: PodManager;
  readonly pleg: Pleg;
  private readonly log: Logger;
  private readonly clock: Clock;
  private informer: Informer<Pod> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private registrar: NodeRegistrar | undefined;
  private lease: NodeLease | undefined;
  private podCidr: PodCidrSync | undefined;
  private readonly ctx: SyncContext;
  private runtimeVersion = '';
  private server: LogServer | undefined;

  constructor(
    private readonly opts: KubeletOptions,
    private readonly machine: MachineInfo,
  ) {
    this.log = opts.logger ?? pino({ name: 'skiff-kubelet' });
    this.clock = opts.clock ?? new RealClock();
    const wake = (uid: string): void => this.pods.wake(uid);
    this.ctx = {
      runtime: opts.runtime,
      clock: this.clock,
      backoff: new Backoff(this.clock),
      images: new ImagePuller(opts.runtime, new Backoff(this.clock)),
      probes: new ProbeManager(this.clock, opts.prober ?? new RuntimeProber(opts.runtime), wake),
      objects: opts.objects ?? new ApiObjectSource(opts.client),
      dataDir: opts.dataDir,
      logsRoot: opts.logsRoot ?? defaultPodLogsRoot,
      hostIP: opts.nodeIP ?? machine.primaryIPv4,
      allocatable: nodeCapacity(machine),
      clusterDNS: opts.clusterDNS,
      clusterDomain: opts.clusterDomain,
      log: this.log,
    };
    this.pods = new PodManager(this.ctx, new StatusManager(opts.statusWriter ?? new ApiStatusWriter(opts.client), this.log), opts.podDeleter ?? new ApiPodDeleter(opts.client), {
      resyncMs: opts.resyncMs,
    });
    this.pleg = new Pleg(opts.runtime, opts.nodeName, this.clock, wake, this.log, opts.relistMs ?? relistPeriodMs);
  }

  /** Reads the machine's facts and builds a kubelet. */
  static async create(opts: KubeletOptions): Promise<Kubelet> {
    return new Kubelet(opts, opts.machine ?? (await readMachineInfo()));
  }

  /** The IP the node reports and pods get as hostIP. */
  get nodeIP(): string {
    return this.ctx.hostIP;
  }

  /** Registers the node, starts the lease, the pod informer, the PLEG; resolves once pods are synced. */
  async start(): Promise<void> {
    const v = await this.opts.runtime.version({});
    this.runtimeVersion = `${v.runtime_name}://${v.runtime_version}`;
    const { client, nodeName } = this.opts;
    if (this.opts.server) {
      this.server = await startLogServer(
        { runtime: this.opts.runtime, findPod: (ns, name) => this.pods.findByName(ns, name), logsRoot: this.ctx.logsRoot, log: this.log },
        this.opts.server.host,
        this.opts.server.port,
        this.opts.server.tls,
      );
      this.log.info({ port: this.server.port }, 'kubelet endpoint listening');
    }
    const podCidr = new PodCidrSync(this.opts.runtime, this.log, () => {
      if (this.opts.waitForPodCIDR) void this.registrar?.report(true).catch((err: unknown) => this.log.warn({ err: String(err) }, 'node status update failed'));
    });
    this.podCidr = podCidr;
    const networkReady = (): boolean => !this.opts.waitForPodCIDR || podCidr.podCIDR !== undefined;
    this.registrar = new NodeRegistrar(client, nodeName, () => ({ machine: this.machine, nodeIP: this.ctx.hostIP, containerRuntimeVersion: this.runtimeVersion, kubeletPort: this.server?.port ?? 0, nowMs: Date.now(), networkReady: networkReady() }), this.clock, this.log);
    await this.registrar.register();
    await podCidr.observe(this.registrar.node);
    podCidr.watch(client, nodeName);
    this.lease = new NodeLease(client, nodeName, () => this.registrar?.node, this.clock, this.log);
    await this.lease.renew().catch((err: unknown) => this.log.warn({ err: String(err) }, 'lease renewal failed'));
    this.every(nodeStatusUpdateFrequencyMs, async () => {
      await this.registrar?.report();
      await podCidr.observe(this.registrar?.node);
    }, 'node status update failed');
    this.every(leaseRenewIntervalMs, () => this.lease?.renew(), 'lease renewal failed');

    // The runtime first: the PLEG's first relist tells which pods exist there before the informer delivers.
    await this.pleg.relist().catch((err: unknown) => this.log.warn({ err: String(err) }, 'first relist failed'));
    const informer = new Informer<Pod>(client, podsResource, { fieldSelector: `spec.nodeName=${nodeName}`, logger: this.log });
    this.informer = informer;
    informer.addEventHandler({
      onAdd: (p) => this.pods.upsert(p),
      onUpdate: (_o, p) => this.pods.upsert(p),
      onDelete: (p) => this.pods.remove(p),
    });
    informer.start();
    this.pleg.start();
    await informer.waitForSync();
    this.pods.setSourcesReady(this.pleg.runtimeUids());
    this.log.info({ node: nodeName, nodeIP: this.ctx.hostIP, runtime: this.runtimeVersion }, 'kubelet running');
  }

  private every(ms: number, fn: () => Promise<unknown> | undefined, what: string): void {
    const t = setInterval(() => {
      void Promise.resolve(fn()).catch((err: unknown) => this.log.warn({ err: String(err) }, what));
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  /** Stops watching and syncing; containers keep running (a restarted kubelet adopts them). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.pleg.stop();
    this.pods.stop();
    await this.informer?.stop();
    await this.podCidr?.stop();
    await this.server?.close();
  }

  /** Port of the kubelet endpoint (0 when not serving). */
  get port(): number {
    return this.server?.port ?? 0;
  }
}

// runtime.v1.RuntimeService over Docker: sandboxes are pause containers, containers join them, and every
// answer is rebuilt from Docker's labels (labels.ts), so this class keeps no state of its own beyond the
// log copiers and the streaming server's tokens.
import fs from 'node:fs';
import type Dockerode from 'dockerode';
import type { Logger } from 'pino';
import { failedPrecondition, invalidArgument, isCriNotFound, isDockerNotFound, notFound, dockerStatusCode } from './errors.js';
import { objectTypeOf, sandboxIdLabel, typeLabel, decodeSandboxMeta, decodeContainerMeta, decodeUserLabels, decodeAnnotations, type ObjectType } from './labels.js';
import { isHostNetwork, resolvConfText, sandboxCreateOptions, sandboxFromListEntry, sandboxStatusFromInspect, validateSandboxConfig } from './sandbox.js';
import { containerCreateOptions, containerFromListEntry, containerLogPath, containerStatusFromInspect, dockerResources, validateContainerConfig } from './container.js';
import { matchesContainerFilter, matchesId, matchesLabelSelector, matchesSandboxFilter } from './filters.js';
import { familiarImageRef } from './image-ref.js';
import { execSync } from './exec-sync.js';
import { criUsageFromDockerStats, sumUsage, type DockerStatsSample } from './stats.js';
import type { LogCopiers } from './log-copier.js';
import type { StreamingServer } from './streaming-server.js';
import type { PodNetwork } from './pod-network.js';
import type * as T from './types.js';

/** How long StopContainer waits for the log copier to flush a stopped container's last lines. */
const logDrainMs = 2_000;

const nowNanos = (): string => (BigInt(Date.now()) * 1_000_000n).toString();

export interface RuntimeServiceDeps {
  docker: Dockerode;
  copiers: LogCopiers;
  streaming: StreamingServer;
  pauseImage: string;
  /** Which network new sandboxes join (set by UpdateRuntimeConfig). */
  network: PodNetwork;
  log: Logger;
}

export class RuntimeServiceImpl {
  constructor(private readonly d: RuntimeServiceDeps) {}

  private get docker(): Dockerode {
    return this.d.docker;
  }

  /** Inspects a Skiff object by id; NOT_FOUND when Docker has none or it is not of this type. */
  private async inspect(id: string, type: ObjectType): Promise<Dockerode.ContainerInspectInfo> {
    const what = type === 'podsandbox' ? 'pod sandbox' : 'container';
    if (!id) throw invalidArgument(`${what} id is required`);
    try {
      const info = await this.docker.getContainer(id).inspect();
      if (objectTypeOf(info.Config.Labels) !== type) throw notFound(`${what} "${id}" not found`);
      return info;
    } catch (err) {
      if (isDockerNotFound(err)) throw notFound(`${what} "${id}" not found`);
      throw err;
    }
  }

  private list(type: ObjectType, extra: string[] = []): Promise<Dockerode.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: [`${typeLabel}=${type}`, ...extra] } });
  }

  async version(): Promise<T.VersionResponse> {
    const v = await this.docker.version();
    return { version: '0.1.0', runtime_name: 'docker', runtime_version: v.Version, runtime_api_version: 'v1' };
  }

  async status(): Promise<T.StatusResponse> {
    const runtime: T.RuntimeCondition = { type: 'RuntimeReady', status: true, reason: '', message: '' };
    const network: T.RuntimeCondition = { type: 'NetworkReady', status: true, reason: '', message: '' };
    try {
      await this.docker.ping();
    } catch (err) {
      Object.assign(runtime, { status: false, reason: 'DockerDaemonNotReady', message: `docker: ${String(err)}` });
    }
    const net = await this.d.network.ready();
    if (!net.ok) Object.assign(network, { status: false, reason: net.reason, message: net.message });
    return { status: { conditions: [runtime, network] }, info: {} };
  }

  /**
   * The engine's cgroup driver, which a kubelet that takes its driver from the CRI (upstream's
   * KubeletCgroupDriverFromCRI) must match: Docker reports it in `docker info`.
   */
  async runtimeConfig(): Promise<T.RuntimeConfigResponse> {
    const info = (await this.docker.info()) as { CgroupDriver?: string };
    return { linux: { cgroup_driver: info.CgroupDriver === 'systemd' ? 'SYSTEMD' : 'CGROUPFS' } };
  }

  /** Takes the node's pod CIDR: new sandboxes get their IPs from it (see pod-network.ts). */
  async updateRuntimeConfig(req: T.UpdateRuntimeConfigRequest): Promise<T.Empty> {
    await this.d.network.configure(req.runtime_config?.network_config?.pod_cidr ?? '');
    return {};
  }

  async runPodSandbox(req: T.RunPodSandboxRequest): Promise<T.RunPodSandboxResponse> {
    validateSandboxConfig(req.config);
    const cfg = req.config;
    if (req.runtime_handler) throw invalidArgument(`unknown runtime handler "${req.runtime_handler}"`);
    try {
      await this.docker.getImage(this.d.pauseImage).inspect();
    } catch (err) {
      if (isDockerNotFound(err)) throw failedPrecondition(`pause image "${this.d.pauseImage}" not found locally`);
      throw err;
    }
    if (cfg.log_directory) await fs.promises.mkdir(cfg.log_directory, { recursive: true });
    const networkMode = isHostNetwork(cfg) ? 'host' : await this.d.network.sandboxNetworkMode();
    const container = await this.docker.createContainer(sandboxCreateOptions(cfg, this.d.pauseImage, networkMode));
    try {
      await container.start();
    } catch (err) {
      // Nothing half-made: a sandbox that cannot start (e.g. a host port in use) is removed.
      await container.remove({ force: true }).catch(() => undefined);
      throw err;
    }
    const m = cfg.metadata!;
    if (networkMode !== 'host' && networkMode !== 'bridge') await this.writeResolvConf(container.id, cfg, `${m.namespace}/${m.name}`);
    this.d.log.info({ pod: `${m.namespace}/${m.name}`, sandbox: container.id, network: networkMode }, 'sandbox started');
    return { pod_sandbox_id: container.id };
  }

  /** See resolvConfText: the pod's containers share the sandbox's resolv.conf, so one write serves them all. */
  private async writeResolvConf(sandboxId: string, cfg: T.PodSandboxConfig, pod: string): Promise<void> {
    const text = resolvConfText(cfg.dns_config);
    if (!text) return;
    try {
      const { ResolvConfPath } = await this.docker.getContainer(sandboxId).inspect();
      await fs.promises.writeFile(ResolvConfPath, text);
    } catch (err) {
      // An engine whose files this process cannot reach (remote, rootless): the pod keeps Docker's DNS.
      this.d.log.warn({ pod, sandbox: sandboxId, err: err instanceof Error ? err.message : String(err) }, 'could not write the pod\'s resolv.conf');
    }
  }

  private async sandboxContainers(sandboxId: string): Promise<Dockerode.ContainerInfo[]> {
    return this.list('container', [`${sandboxIdLabel}=${sandboxId}`]);
  }

  async stopPodSandbox(req: T.PodSandboxIdRequest): Promise<T.Empty> {
    let sandbox: Dockerode.ContainerInspectInfo;
    try {
      sandbox = await this.inspect(req.pod_sandbox_id, 'podsandbox');
    } catch (err) {
      // Idempotent, as CRI requires: a sandbox already gone is stopped.
      if (isCriNotFound(err)) return {};
      throw err;
    }
    const containers = await this.sandboxContainers(sandbox.Id);
    await Promise.all(containers.filter((c) => c.State === 'running').map((c) => this.stopDocker(c.Id, 0)));
    await this.stopDocker(sandbox.Id, 10);
    return {};
  }

  async removePodSandbox(req: T.PodSandboxIdRequest): Promise<T.Empty> {
    if (!req.pod_sandbox_id) throw invalidArgument('pod sandbox id is required');
    let sandboxId = req.pod_sandbox_id;
    try {
      sandboxId = (await this.inspect(req.pod_sandbox_id, 'podsandbox')).Id;
    } catch (err) {
      if (!isCriNotFound(err)) throw err;
    }
    const containers = await this.sandboxContainers(sandboxId);
    await Promise.all(containers.map((c) => this.removeContainer({ container_id: c.Id })));
    await this.removeDocker(sandboxId);
    return {};
  }

  async podSandboxStatus(req: T.PodSandboxStatusRequest): Promise<T.PodSandboxStatusResponse> {
    const info = await this.inspect(req.pod_sandbox_id, 'podsandbox');
    const extra: Record<string, string> = req.verbose ? { info: JSON.stringify({ pid: info.State.Pid, image: info.Config.Image }) } : {};
    return { status: sandboxStatusFromInspect(info), info: extra, containers_statuses: [], timestamp: nowNanos() };
  }

  async listPodSandbox(req: T.ListPodSandboxRequest): Promise<T.ListPodSandboxResponse> {
    const items = (await this.list('podsandbox')).map(sandboxFromListEntry).filter((s) => matchesSandboxFilter(s, req.filter));
    return { items };
  }

  async createContainer(req: T.CreateContainerRequest): Promise<T.CreateContainerResponse> {
    if (!req.pod_sandbox_id) throw invalidArgument('pod sandbox id is required');
    validateContainerConfig(req.config);
    const cfg = req.config;
    const sandbox = await this.inspect(req.pod_sandbox_id, 'podsandbox');
    if (!sandbox.State.Running) throw failedPrecondition(`pod sandbox "${req.pod_sandbox_id}" is not ready: cannot create a container in it`);
    const image = familiarImageRef(cfg.image!.image);
    try {
      await this.docker.getImage(image).inspect();
    } catch (err) {
      if (isDockerNotFound(err)) throw notFound(`image "${cfg.image!.image}" not found locally`);
      throw err;
    }
    const naming: T.PodSandboxConfig = req.sandbox_config?.metadata
      ? req.sandbox_config
      : ({ metadata: decodeSandboxMeta(sandbox.Config.Labels ?? {}) } as T.PodSandboxConfig);
    const logPath = containerLogPath(cfg, req.sandbox_config);
    const opts = containerCreateOptions({ ...cfg, image: { ...cfg.image!, image } }, naming, sandbox.Id, logPath);
    // Keep the spec the kubelet sent (not Docker's familiar form) for status answers.
    opts.Labels = { ...opts.Labels, 'io.skiff.image-spec': cfg.image!.image };
    const container = await this.docker.createContainer(opts);
    this.d.log.info({ container: container.id, name: cfg.metadata!.name, sandbox: sandbox.Id }, 'container created');
    return { container_id: container.id };
  }

  async startContainer(req: T.ContainerIdRequest): Promise<T.Empty> {
    const info = await this.inspect(req.container_id, 'container');
    const sandboxId = info.Config.Labels?.[sandboxIdLabel] ?? '';
    let sandboxRunning = false;
    try {
      sandboxRunning = (await this.inspect(sandboxId, 'podsandbox')).State.Running;
    } catch (err) {
      if (!isCriNotFound(err)) throw err;
    }
    if (!sandboxRunning) throw failedPrecondition(`pod sandbox "${sandboxId}" of container "${req.container_id}" is not ready`);
    await this.docker.getContainer(info.Id).start();
    const logPath = decodeContainerMeta(info.Config.Labels ?? {}).logPath;
    // The container did start: a log copier that cannot follow it is logged, not reported as a failed start.
    await this.d.copiers.ensure(info.Id, logPath, info.Config.Tty).catch((err: unknown) => {
      this.d.log.warn({ container: info.Id, logPath, err }, 'could not start copying container logs');
    });
    return {};
  }

  private async stopDocker(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: timeoutSeconds });
    } catch (err) {
      const code = dockerStatusCode(err);
      if (code === 304 || code === 404) return; // already stopped, or gone
      throw err;
    }
  }

  private async removeDocker(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (err) {
      // 404: already gone; 409: removal already in progress. Both are success for an idempotent remove.
      const code = dockerStatusCode(err);
      if (code === 404 || code === 409) return;
      throw err;
    }
  }

  async stopContainer(req: T.StopContainerRequest): Promise<T.Empty> {
    const info = await this.inspect(req.container_id, 'container');
    // Docker's stop is CRI's: the stop signal, then SIGKILL once the timeout (seconds) has passed.
    await this.stopDocker(info.Id, Math.max(0, Number(req.timeout) || 0));
    await Promise.race([this.d.copiers.drained(info.Id), new Promise((r) => setTimeout(r, logDrainMs))]);
    return {};
  }

  async removeContainer(req: T.ContainerIdRequest): Promise<T.Empty> {
    if (!req.container_id) throw invalidArgument('container id is required');
    await this.d.copiers.stop(req.container_id);
    await this.removeDocker(req.container_id);
    return {};
  }

  async listContainers(req: T.ListContainersRequest): Promise<T.ListContainersResponse> {
    const containers = (await this.list('container')).map(containerFromListEntry).filter((c) => matchesContainerFilter(c, req.filter));
    return { containers };
  }

  async containerStatus(req: T.ContainerStatusRequest): Promise<T.ContainerStatusResponse> {
    const info = await this.inspect(req.container_id, 'container');
    const extra: Record<string, string> = req.verbose ? { info: JSON.stringify({ pid: info.State.Pid, sandboxID: info.Config.Labels?.[sandboxIdLabel] }) } : {};
    return { status: containerStatusFromInspect(info), info: extra };
  }

  async updateContainerResources(req: T.UpdateContainerResourcesRequest): Promise<T.Empty> {
    const info = await this.inspect(req.container_id, 'container');
    const update = dockerResources(req.linux);
    if (Object.keys(update).length) await this.docker.getContainer(info.Id).update(update);
    return {};
  }

  async reopenContainerLog(req: T.ContainerIdRequest): Promise<T.Empty> {
    const info = await this.inspect(req.container_id, 'container');
    if (!info.State.Running) throw failedPrecondition(`container "${req.container_id}" is not running`);
    const copier = this.d.copiers.get(info.Id);
    if (copier) await copier.reopen();
    else await this.d.copiers.ensure(info.Id, decodeContainerMeta(info.Config.Labels ?? {}).logPath, info.Config.Tty);
    return {};
  }

  private async running(containerId: string): Promise<Dockerode.ContainerInspectInfo> {
    const info = await this.inspect(containerId, 'container');
    if (!info.State.Running) throw failedPrecondition(`container "${containerId}" is not running`);
    return info;
  }

  async execSync(req: T.ExecSyncRequest): Promise<T.ExecSyncResponse> {
    if (!req.cmd.length) throw invalidArgument('cmd is required');
    const info = await this.running(req.container_id);
    return execSync(this.docker, info.Id, req.cmd, Number(req.timeout) || 0);
  }

  async exec(req: T.ExecRequest): Promise<T.UrlResponse> {
    if (!req.cmd.length) throw invalidArgument('cmd is required');
    if (!req.stdin && !req.stdout && !req.stderr) throw invalidArgument('one of stdin, stdout and stderr must be set');
    if (req.tty && req.stderr) throw invalidArgument('tty and stderr cannot both be set');
    const info = await this.running(req.container_id);
    return { url: this.d.streaming.url({ kind: 'exec', req: { ...req, container_id: info.Id } }) };
  }

  async attach(req: T.AttachRequest): Promise<T.UrlResponse> {
    if (!req.stdin && !req.stdout && !req.stderr) throw invalidArgument('one of stdin, stdout and stderr must be set');
    if (req.tty && req.stderr) throw invalidArgument('tty and stderr cannot both be set');
    const info = await this.running(req.container_id);
    return { url: this.d.streaming.url({ kind: 'attach', req: { ...req, container_id: info.Id } }) };
  }

  async portForward(req: T.PortForwardRequest): Promise<T.UrlResponse> {
    const sandbox = await this.inspect(req.pod_sandbox_id, 'podsandbox');
    if (!sandbox.State.Running) throw failedPrecondition(`pod sandbox "${req.pod_sandbox_id}" is not ready`);
    const status = sandboxStatusFromInspect(sandbox);
    const target = status.network?.ip || '127.0.0.1';
    return { url: this.d.streaming.url({ kind: 'portforward', req, target }) };
  }

  private async usage(id: string): Promise<ReturnType<typeof criUsageFromDockerStats>> {
    const sample = (await this.docker.getContainer(id).stats({ stream: false, 'one-shot': true })) as unknown as DockerStatsSample;
    return criUsageFromDockerStats(sample);
  }

  private async statsOf(c: { id: string; labels: Record<string, string> }): Promise<T.ContainerStats> {
    const meta = decodeContainerMeta(c.labels);
    const u = await this.usage(c.id);
    return {
      attributes: { id: c.id, metadata: { name: meta.name, attempt: meta.attempt }, labels: decodeUserLabels(c.labels), annotations: decodeAnnotations(c.labels) },
      cpu: u.cpu,
      memory: u.memory,
      writable_layer: null,
    };
  }

  async containerStats(req: T.ContainerIdRequest): Promise<T.ContainerStatsResponse> {
    const info = await this.inspect(req.container_id, 'container');
    return { stats: await this.statsOf({ id: info.Id, labels: info.Config.Labels ?? {} }) };
  }

  async listContainerStats(req: T.ListContainerStatsRequest): Promise<T.ListContainerStatsResponse> {
    const f = req.filter;
    const running = (await this.list('container')).filter(
      (c) => c.State === 'running' && matchesId(c.Id, f?.id) && matchesId(c.Labels?.[sandboxIdLabel] ?? '', f?.pod_sandbox_id) && matchesLabelSelector(decodeUserLabels(c.Labels ?? {}), f?.label_selector),
    );
    return { stats: await Promise.all(running.map((c) => this.statsOf({ id: c.Id, labels: c.Labels ?? {} }))) };
  }

  private async sandboxStats(id: string, labels: Record<string, string>): Promise<T.PodSandboxStats> {
    const containers = (await this.sandboxContainers(id)).filter((c) => c.State === 'running');
    const stats = await Promise.all(containers.map((c) => this.statsOf({ id: c.Id, labels: c.Labels ?? {} })));
    const sum = sumUsage(await Promise.all([id, ...containers.map((c) => c.Id)].map((cid) => this.usage(cid))), nowNanos());
    return {
      attributes: { id, metadata: decodeSandboxMeta(labels), labels: decodeUserLabels(labels), annotations: decodeAnnotations(labels) },
      linux: { cpu: sum.cpu, memory: sum.memory, containers: stats },
    };
  }

  async podSandboxStats(req: T.PodSandboxIdRequest): Promise<T.PodSandboxStatsResponse> {
    const info = await this.inspect(req.pod_sandbox_id, 'podsandbox');
    if (!info.State.Running) throw failedPrecondition(`pod sandbox "${req.pod_sandbox_id}" is not ready`);
    return { stats: await this.sandboxStats(info.Id, info.Config.Labels ?? {}) };
  }

  async listPodSandboxStats(req: T.ListPodSandboxStatsRequest): Promise<T.ListPodSandboxStatsResponse> {
    const f = req.filter;
    const ready = (await this.list('podsandbox')).filter(
      (s) => s.State === 'running' && matchesId(s.Id, f?.id) && matchesLabelSelector(decodeUserLabels(s.Labels ?? {}), f?.label_selector),
    );
    return { stats: await Promise.all(ready.map((s) => this.sandboxStats(s.Id, s.Labels ?? {}))) };
  }

  /**
   * Resumes log copying after a (re)start of the server: for every container, or only those whose CRI
   * labels match `selector` (when several test servers share one engine, each adopts only its own).
   */
  async resumeLogCopiers(selector: Record<string, string> = {}): Promise<void> {
    for (const c of await this.list('container')) {
      if (!matchesLabelSelector(decodeUserLabels(c.Labels ?? {}), selector)) continue;
      const meta = decodeContainerMeta(c.Labels ?? {});
      if (!meta.logPath) continue;
      try {
        const info = await this.docker.getContainer(c.Id).inspect();
        if (!info.State.StartedAt || info.State.StartedAt.startsWith('0001-')) continue; // never started: no output
        await this.d.copiers.ensure(c.Id, meta.logPath, info.Config.Tty);
      } catch (err) {
        this.d.log.warn({ container: c.Id, err }, 'could not resume log copying');
      }
    }
  }
}

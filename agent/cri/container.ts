// A pod's container joins its sandbox's namespaces (`container:<sandbox id>`), as cri-dockerd does it.
// This file turns a ContainerConfig into Docker's create options and an inspected container back into
// CRI shapes. No I/O here.
import path from 'node:path';
import type Dockerode from 'dockerode';
import { invalidArgument } from './errors.js';
import { decodeAnnotations, decodeContainerMeta, decodeUserLabels, encodeContainerLabels } from './labels.js';
import { criStateOfStatus, criStateView } from './container-state.js';
import { timestampToNanos } from './cri-log.js';
import { normalizeImageRef } from './image-ref.js';
import type { Container, ContainerConfig, ContainerStatus, LinuxContainerResources, Mount, PodSandboxConfig } from './types.js';

/** Rejects a container config the runtime cannot identify. */
export function validateContainerConfig(cfg: ContainerConfig | null | undefined): asserts cfg is ContainerConfig {
  if (!cfg) throw invalidArgument('container config is required');
  if (!cfg.metadata?.name) throw invalidArgument('container config metadata with a name is required');
  if (!cfg.image?.image) throw invalidArgument('container config image is required');
}

/** The host path of the container's CRI log file, or '' when the kubelet asked for none. */
export function containerLogPath(cfg: ContainerConfig, sandboxCfg: PodSandboxConfig | null | undefined): string {
  const dir = sandboxCfg?.log_directory ?? '';
  if (!dir || !cfg.log_path) return '';
  return path.join(dir, cfg.log_path);
}

/** Docker's `User`: a name, or uid[:gid]. */
export function dockerUser(cfg: ContainerConfig): string | undefined {
  const sc = cfg.linux?.security_context;
  if (!sc) return undefined;
  const group = sc.run_as_group ? `:${sc.run_as_group.value}` : '';
  if (sc.run_as_username) return sc.run_as_username + group;
  if (sc.run_as_user) return sc.run_as_user.value + group;
  return undefined;
}

function positive(v: string | number | undefined): number | undefined {
  const n = Number(v ?? '0');
  return n > 0 ? n : undefined;
}

const propagation: Record<string, 'rprivate' | 'rslave' | 'rshared'> = {
  PROPAGATION_PRIVATE: 'rprivate',
  PROPAGATION_HOST_TO_CONTAINER: 'rslave',
  PROPAGATION_BIDIRECTIONAL: 'rshared',
};

/** Docker bind mounts. `Mounts`, not `Binds`: a missing host path is then an error, as CRI requires. */
export function dockerMounts(mounts: Mount[]): Dockerode.MountSettings[] {
  return mounts.map((m) => ({
    Type: 'bind' as const,
    Source: m.host_path,
    Target: m.container_path,
    ReadOnly: m.readonly,
    BindOptions: { Propagation: propagation[m.propagation] ?? 'rprivate' },
  }));
}

/** Docker's resource fields for CRI's Linux resources (0 means "not specified" in CRI, so it is left out). */
export function dockerResources(r: LinuxContainerResources | null): Partial<Dockerode.HostConfig> {
  if (!r) return {};
  const out: Partial<Dockerode.HostConfig> = {};
  const period = positive(r.cpu_period);
  const quota = positive(r.cpu_quota);
  const shares = positive(r.cpu_shares);
  const memory = positive(r.memory_limit_in_bytes);
  const swap = positive(r.memory_swap_limit_in_bytes);
  if (period) out.CpuPeriod = period;
  if (quota) out.CpuQuota = quota;
  if (shares) out.CpuShares = shares;
  if (memory) out.Memory = memory;
  if (swap) out.MemorySwap = swap;
  if (r.cpuset_cpus) out.CpusetCpus = r.cpuset_cpus;
  if (r.cpuset_mems) out.CpusetMems = r.cpuset_mems;
  return out;
}

/** Docker container name, unique per (sandbox, container name, attempt). */
export function containerDockerName(cfg: ContainerConfig, sandboxCfg: PodSandboxConfig | null | undefined, sandboxId: string): string {
  const m = sandboxCfg?.metadata;
  const pod = m ? `${m.name}_${m.namespace}_${m.uid}` : sandboxId.slice(0, 12);
  return `skiff_${cfg.metadata!.name}_${pod}_${cfg.metadata!.attempt}`;
}

/** Docker create options for a container of the sandbox `sandboxId`. */
export function containerCreateOptions(
  cfg: ContainerConfig,
  sandboxCfg: PodSandboxConfig | null | undefined,
  sandboxId: string,
  logPath: string,
): Dockerode.ContainerCreateOptions {
  const sc = cfg.linux?.security_context;
  const ns = sc?.namespace_options;
  const joined = `container:${sandboxId}`;
  let pidMode = joined;
  if (ns?.pid === 'NODE') pidMode = 'host';
  else if (ns?.pid === 'CONTAINER') pidMode = '';
  else if (ns?.pid === 'TARGET' && ns.target_id) pidMode = `container:${ns.target_id}`;
  const resources = cfg.linux?.resources;
  const oom = Number(resources?.oom_score_adj ?? '0');
  const hostConfig: Dockerode.HostConfig = {
    NetworkMode: joined,
    IpcMode: ns?.ipc === 'NODE' ? 'host' : joined,
    PidMode: pidMode,
    Mounts: dockerMounts(cfg.mounts ?? []),
    Privileged: sc?.privileged ?? false,
    ReadonlyRootfs: sc?.readonly_rootfs ?? false,
    CapAdd: sc?.capabilities?.add_capabilities?.length ? sc.capabilities.add_capabilities : undefined,
    CapDrop: sc?.capabilities?.drop_capabilities?.length ? sc.capabilities.drop_capabilities : undefined,
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    ...(oom ? { OomScoreAdj: oom } : {}),
    ...dockerResources(resources ?? null),
  };
  if (sc?.supplemental_groups?.length) hostConfig.GroupAdd = sc.supplemental_groups.map(String);
  if (sc?.no_new_privs) hostConfig.SecurityOpt = ['no-new-privileges'];
  if (cfg.devices?.length) {
    hostConfig.Devices = cfg.devices.map((d) => ({
      PathOnHost: d.host_path,
      PathInContainer: d.container_path,
      CgroupPermissions: d.permissions || 'rwm',
    }));
  }
  const image = cfg.image!.image;
  return {
    name: containerDockerName(cfg, sandboxCfg, sandboxId),
    Image: image,
    // Kubernetes' command is Docker's entrypoint and its args are Docker's cmd; an unset command keeps the
    // image's entrypoint, exactly like `docker run --entrypoint` semantics in cri-dockerd.
    Entrypoint: cfg.command?.length ? cfg.command : undefined,
    Cmd: cfg.args?.length ? cfg.args : undefined,
    Env: (cfg.envs ?? []).map((e) => `${e.key}=${e.value}`),
    WorkingDir: cfg.working_dir || undefined,
    User: dockerUser(cfg),
    Tty: cfg.tty,
    OpenStdin: cfg.stdin,
    StdinOnce: cfg.stdin_once,
    AttachStdin: false,
    Labels: encodeContainerLabels(
      { name: cfg.metadata!.name, attempt: cfg.metadata!.attempt, sandboxId, logPath, image: normalizeSafe(image) },
      cfg.labels ?? {},
      cfg.annotations ?? {},
    ),
    HostConfig: hostConfig,
  };
}

function normalizeSafe(image: string): string {
  try {
    return normalizeImageRef(image);
  } catch {
    return image;
  }
}

/** The CRI list entry of a container from `docker ps` output. */
export function containerFromListEntry(c: Dockerode.ContainerInfo): Container {
  const labels = c.Labels ?? {};
  const meta = decodeContainerMeta(labels);
  return {
    id: c.Id,
    pod_sandbox_id: meta.sandboxId,
    metadata: { name: meta.name, attempt: meta.attempt },
    image: { image: meta.image || c.Image, annotations: {}, user_specified_image: '', runtime_handler: '' },
    image_ref: c.ImageID,
    state: criStateOfStatus(c.State),
    created_at: (BigInt(c.Created) * 1_000_000_000n).toString(),
    labels: decodeUserLabels(labels),
    annotations: decodeAnnotations(labels),
    image_id: c.ImageID,
  };
}

/** The CRI status of an inspected container. */
export function containerStatusFromInspect(c: Dockerode.ContainerInspectInfo): ContainerStatus {
  const labels = c.Config.Labels ?? {};
  const meta = decodeContainerMeta(labels);
  const view = criStateView(c.State as unknown as Parameters<typeof criStateView>[0]);
  return {
    id: c.Id,
    metadata: { name: meta.name, attempt: meta.attempt },
    state: view.state,
    created_at: timestampToNanos(c.Created).toString(),
    started_at: view.started_at,
    finished_at: view.finished_at,
    exit_code: view.exit_code,
    image: { image: meta.image || c.Config.Image, annotations: {}, user_specified_image: '', runtime_handler: '' },
    image_ref: c.Image,
    reason: view.reason,
    message: view.message,
    labels: decodeUserLabels(labels),
    annotations: decodeAnnotations(labels),
    mounts: (c.Mounts ?? [])
      .filter((m) => m.Type === 'bind')
      .map((m) => ({ container_path: m.Destination, host_path: m.Source, readonly: !m.RW, selinux_relabel: false, propagation: 'PROPAGATION_PRIVATE' as const })),
    log_path: meta.logPath,
    image_id: c.Image,
  };
}

// A container's CRI ContainerConfig, as upstream's generateContainerConfig: metadata with the attempt,
// image, command/args with $(VAR) expansion, env, working dir, volume mounts, log path
// <name>/<attempt>.log (relative to the sandbox's log directory), labels, and Linux resources and security.
import path from 'node:path';
import { parseQuantity, type Container, type Pod } from '../../api/index.js';
import type { ContainerConfig, DeepPartial, LinuxContainerResources, Mount } from '../cri/types.js';
import { expandArgs, type EnvVarPair } from './env.js';
import { containerLabels } from './labels.js';
import type { VolumePaths } from './volumes.js';
import { ContainerConfigError } from './env.js';

export const cpuPeriodUs = 100_000;
const minShares = 2;
const sharesPerCpu = 1024;

/** Linux resources from requests and limits, as upstream's kuberuntime_container_linux computes them. */
export function linuxResources(c: Container): DeepPartial<LinuxContainerResources> {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const out: DeepPartial<LinuxContainerResources> = {};
  // Requests fall back to limits when only limits are set (API defaulting does this too).
  const cpuReq = req.cpu ?? lim.cpu;
  if (cpuReq !== undefined) {
    out.cpu_shares = String(Math.max(minShares, Math.floor((parseQuantity(String(cpuReq)).milliValue() * sharesPerCpu) / 1000)));
  } else {
    out.cpu_shares = String(minShares);
  }
  if (lim.cpu !== undefined) {
    const milli = parseQuantity(String(lim.cpu)).milliValue();
    out.cpu_period = String(cpuPeriodUs);
    out.cpu_quota = String(Math.max(1000, Math.floor((milli * cpuPeriodUs) / 1000)));
  }
  if (lim.memory !== undefined) out.memory_limit_in_bytes = String(parseQuantity(String(lim.memory)).value());
  return out;
}

function mounts(c: Container, volumes: VolumePaths, pod: Pod): DeepPartial<Mount>[] {
  const readOnlyKinds = new Set((pod.spec?.volumes ?? []).filter((v) => v.configMap || v.secret || v.downwardAPI || v.projected).map((v) => v.name));
  return (c.volumeMounts ?? []).map((m) => {
    const host = volumes.get(m.name);
    if (!host) throw new ContainerConfigError(`cannot find volume "${m.name}" to mount into container "${c.name}"`);
    return {
      container_path: m.mountPath,
      host_path: m.subPath ? path.join(host, m.subPath) : host,
      readonly: Boolean(m.readOnly) || readOnlyKinds.has(m.name),
      propagation: m.mountPropagation === 'Bidirectional' ? 'PROPAGATION_BIDIRECTIONAL' : m.mountPropagation === 'HostToContainer' ? 'PROPAGATION_HOST_TO_CONTAINER' : 'PROPAGATION_PRIVATE',
    };
  });
}

export interface ContainerConfigInput {
  pod: Pod;
  container: Container;
  attempt: number;
  env: EnvVarPair[];
  volumes: VolumePaths;
  /** The image reference as the runtime resolved it. */
  image: string;
}

/** The CRI config for one attempt of `container`. */
export function containerConfig(input: ContainerConfigInput): DeepPartial<ContainerConfig> {
  const { pod, container: c, attempt, env } = input;
  const sc = c.securityContext;
  const psc = pod.spec?.securityContext;
  const runAsUser = sc?.runAsUser ?? psc?.runAsUser;
  const runAsGroup = sc?.runAsGroup ?? psc?.runAsGroup;
  return {
    metadata: { name: c.name, attempt },
    image: { image: input.image },
    command: expandArgs(c.command, env),
    args: expandArgs(c.args, env),
    working_dir: c.workingDir ?? '',
    envs: env.map((e) => ({ key: e.name, value: e.value })),
    mounts: mounts(c, input.volumes, pod),
    labels: containerLabels(pod, c.name),
    annotations: {},
    log_path: path.join(c.name, `${attempt}.log`),
    stdin: c.stdin ?? false,
    stdin_once: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: {
      resources: linuxResources(c),
      security_context: {
        privileged: sc?.privileged ?? false,
        readonly_rootfs: sc?.readOnlyRootFilesystem ?? false,
        run_as_user: runAsUser !== undefined ? { value: runAsUser } : null,
        run_as_group: runAsGroup !== undefined ? { value: runAsGroup } : null,
        supplemental_groups: (psc?.supplementalGroups ?? []).map(String),
        capabilities: sc?.capabilities ? { add_capabilities: sc.capabilities.add ?? [], drop_capabilities: sc.capabilities.drop ?? [] } : null,
        no_new_privs: sc?.allowPrivilegeEscalation === false,
      },
    },
  };
}

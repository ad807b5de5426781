// TypeScript shapes of the runtime.v1 messages Skiff uses, as proto-loader decodes them with the options in
// proto.ts: snake_case names, int64/uint64 as decimal strings, enums as names, every field present (unset
// message fields are null). Requests sent through CriClient may omit anything (see DeepPartial).

export type Int64 = string;
/** An int64 a client sends: a number is accepted too (exact below 2^53). */
export type Int64In = string | number;

export type DeepPartial<T> = T extends (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> | null } : T;

export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

export interface Int64Value { value: Int64In }
export interface UInt64Value { value: Int64 }

export interface VersionRequest { version: string }
export interface VersionResponse { version: string; runtime_name: string; runtime_version: string; runtime_api_version: string }

export interface DNSConfig { servers: string[]; searches: string[]; options: string[] }
export interface PortMapping { protocol: Protocol; container_port: number; host_port: number; host_ip: string }
export interface NamespaceOption { network: NamespaceMode; pid: NamespaceMode; ipc: NamespaceMode; target_id: string }
export interface LinuxSandboxSecurityContext {
  namespace_options: NamespaceOption | null;
  run_as_user: Int64Value | null;
  readonly_rootfs: boolean;
  privileged: boolean;
}
export interface LinuxPodSandboxConfig {
  cgroup_parent: string;
  security_context: LinuxSandboxSecurityContext | null;
  sysctls: Record<string, string>;
}
export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata | null;
  hostname: string;
  log_directory: string;
  dns_config: DNSConfig | null;
  port_mappings: PortMapping[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  linux: LinuxPodSandboxConfig | null;
}
/** UpdateRuntimeConfig: the kubelet hands the runtime the node's pod CIDR. */
export interface NetworkConfig { pod_cidr: string }
export interface RuntimeConfig { network_config: NetworkConfig | null }
export interface UpdateRuntimeConfigRequest { runtime_config: RuntimeConfig | null }
export type CgroupDriver = 'SYSTEMD' | 'CGROUPFS';
export interface RuntimeConfigResponse { linux: { cgroup_driver: CgroupDriver } | null }

export interface RunPodSandboxRequest { config: PodSandboxConfig | null; runtime_handler: string }
export interface RunPodSandboxResponse { pod_sandbox_id: string }
export interface PodSandboxIdRequest { pod_sandbox_id: string }
export interface PodSandboxStatusRequest { pod_sandbox_id: string; verbose: boolean }
export interface PodSandboxNetworkStatus { ip: string; additional_ips: { ip: string }[] }
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  created_at: Int64;
  network: PodSandboxNetworkStatus | null;
  linux: { namespaces: { options: NamespaceOption | null } | null } | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtime_handler: string;
}
export interface PodSandboxStatusResponse { status: PodSandboxStatus | null; info: Record<string, string>; containers_statuses: ContainerStatus[]; timestamp: Int64 }
export interface PodSandboxFilter { id: string; state: { state: PodSandboxState } | null; label_selector: Record<string, string> }
export interface ListPodSandboxRequest { filter: PodSandboxFilter | null }
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  created_at: Int64;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtime_handler: string;
}
export interface ListPodSandboxResponse { items: PodSandbox[] }

export interface ImageSpec { image: string; annotations: Record<string, string>; user_specified_image: string; runtime_handler: string }
export interface KeyValue { key: string; value: string }
export interface Mount { container_path: string; host_path: string; readonly: boolean; selinux_relabel: boolean; propagation: MountPropagation }
export interface Device { container_path: string; host_path: string; permissions: string }
export interface LinuxContainerResources {
  cpu_period: Int64In;
  cpu_quota: Int64In;
  cpu_shares: Int64In;
  memory_limit_in_bytes: Int64In;
  oom_score_adj: Int64In;
  cpuset_cpus: string;
  cpuset_mems: string;
  memory_swap_limit_in_bytes: Int64In;
}
export interface Capability { add_capabilities: string[]; drop_capabilities: string[]; add_ambient_capabilities: string[] }
export interface LinuxContainerSecurityContext {
  capabilities: Capability | null;
  privileged: boolean;
  namespace_options: NamespaceOption | null;
  run_as_user: Int64Value | null;
  run_as_group: Int64Value | null;
  run_as_username: string;
  readonly_rootfs: boolean;
  supplemental_groups: Int64[];
  no_new_privs: boolean;
}
export interface LinuxContainerConfig { resources: LinuxContainerResources | null; security_context: LinuxContainerSecurityContext | null }
export interface ContainerMetadata { name: string; attempt: number }
export interface ContainerConfig {
  metadata: ContainerMetadata | null;
  image: ImageSpec | null;
  command: string[];
  args: string[];
  working_dir: string;
  envs: KeyValue[];
  mounts: Mount[];
  devices: Device[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  log_path: string;
  stdin: boolean;
  stdin_once: boolean;
  tty: boolean;
  linux: LinuxContainerConfig | null;
}
export interface CreateContainerRequest { pod_sandbox_id: string; config: ContainerConfig | null; sandbox_config: PodSandboxConfig | null }
export interface CreateContainerResponse { container_id: string }
export interface ContainerIdRequest { container_id: string }
export interface StopContainerRequest { container_id: string; timeout: Int64In }
export interface ContainerFilter { id: string; state: { state: ContainerState } | null; pod_sandbox_id: string; label_selector: Record<string, string> }
export interface ListContainersRequest { filter: ContainerFilter | null }
export interface Container {
  id: string;
  pod_sandbox_id: string;
  metadata: ContainerMetadata | null;
  image: ImageSpec | null;
  image_ref: string;
  state: ContainerState;
  created_at: Int64;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  image_id: string;
}
export interface ListContainersResponse { containers: Container[] }
export interface ContainerStatusRequest { container_id: string; verbose: boolean }
export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata | null;
  state: ContainerState;
  created_at: Int64;
  started_at: Int64;
  finished_at: Int64;
  exit_code: number;
  image: ImageSpec | null;
  image_ref: string;
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  log_path: string;
  image_id: string;
}
export interface ContainerStatusResponse { status: ContainerStatus | null; info: Record<string, string> }
export interface UpdateContainerResourcesRequest { container_id: string; linux: LinuxContainerResources | null; annotations: Record<string, string> }

export interface ExecSyncRequest { container_id: string; cmd: string[]; timeout: Int64In }
export interface ExecSyncResponse { stdout: Buffer; stderr: Buffer; exit_code: number }
export interface ExecRequest { container_id: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }
export interface AttachRequest { container_id: string; stdin: boolean; tty: boolean; stdout: boolean; stderr: boolean }
export interface PortForwardRequest { pod_sandbox_id: string; port: number[] }
export interface UrlResponse { url: string }

export interface CpuUsage { timestamp: Int64; usage_core_nano_seconds: UInt64Value | null; usage_nano_cores: UInt64Value | null }
export interface MemoryUsage {
  timestamp: Int64;
  working_set_bytes: UInt64Value | null;
  available_bytes: UInt64Value | null;
  usage_bytes: UInt64Value | null;
  rss_bytes: UInt64Value | null;
  page_faults: UInt64Value | null;
  major_page_faults: UInt64Value | null;
}
export interface ContainerAttributes { id: string; metadata: ContainerMetadata | null; labels: Record<string, string>; annotations: Record<string, string> }
export interface ContainerStats { attributes: ContainerAttributes | null; cpu: CpuUsage | null; memory: MemoryUsage | null; writable_layer: FilesystemUsage | null }
export interface ContainerStatsResponse { stats: ContainerStats | null }
export interface ContainerStatsFilter { id: string; pod_sandbox_id: string; label_selector: Record<string, string> }
export interface ListContainerStatsRequest { filter: ContainerStatsFilter | null }
export interface ListContainerStatsResponse { stats: ContainerStats[] }
export interface PodSandboxAttributes { id: string; metadata: PodSandboxMetadata | null; labels: Record<string, string>; annotations: Record<string, string> }
export interface PodSandboxStats {
  attributes: PodSandboxAttributes | null;
  linux: { cpu: CpuUsage | null; memory: MemoryUsage | null; containers: ContainerStats[] } | null;
}
export interface PodSandboxStatsResponse { stats: PodSandboxStats | null }
export interface PodSandboxStatsFilter { id: string; label_selector: Record<string, string> }
export interface ListPodSandboxStatsRequest { filter: PodSandboxStatsFilter | null }
export interface ListPodSandboxStatsResponse { stats: PodSandboxStats[] }

export interface RuntimeCondition { type: string; status: boolean; reason: string; message: string }
export interface StatusRequest { verbose: boolean }
export interface StatusResponse { status: { conditions: RuntimeCondition[] } | null; info: Record<string, string> }

export interface Image {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: Int64;
  uid: Int64Value | null;
  username: string;
  spec: ImageSpec | null;
  pinned: boolean;
}
export interface ListImagesRequest { filter: { image: ImageSpec | null } | null }
export interface ListImagesResponse { images: Image[] }
export interface ImageStatusRequest { image: ImageSpec | null; verbose: boolean }
export interface ImageStatusResponse { image: Image | null; info: Record<string, string> }
export interface AuthConfig { username: string; password: string; auth: string; server_address: string; identity_token: string; registry_token: string }
export interface PullImageRequest { image: ImageSpec | null; auth: AuthConfig | null; sandbox_config: PodSandboxConfig | null }
export interface PullImageResponse { image_ref: string }
export interface RemoveImageRequest { image: ImageSpec | null }
export interface FilesystemUsage { timestamp: Int64; fs_id: { mountpoint: string } | null; used_bytes: UInt64Value | null; inodes_used: UInt64Value | null }
export interface ImageFsInfoResponse { image_filesystems: FilesystemUsage[]; container_filesystems: FilesystemUsage[] }

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type Empty = Record<string, never>;

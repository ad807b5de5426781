// The kubelet's seam to the container runtime: the part of the CRI it uses, as two interfaces that the
// real CriClient satisfies structurally and FakeRuntime implements in memory. The kubelet never sees Docker.
import type * as T from '../cri/types.js';

type Req<X> = T.DeepPartial<X>;

/** CRI RuntimeService calls the kubelet makes. */
export interface RuntimeService {
  version(req?: Req<T.VersionRequest>): Promise<T.VersionResponse>;
  /** Hands the runtime the node's pod CIDR (Node.spec.podCIDR): new sandboxes take their IPs from it. */
  updateRuntimeConfig(req: Req<T.UpdateRuntimeConfigRequest>): Promise<T.Empty>;
  runPodSandbox(req: Req<T.RunPodSandboxRequest>): Promise<T.RunPodSandboxResponse>;
  stopPodSandbox(req: Req<T.PodSandboxIdRequest>): Promise<T.Empty>;
  removePodSandbox(req: Req<T.PodSandboxIdRequest>): Promise<T.Empty>;
  podSandboxStatus(req: Req<T.PodSandboxStatusRequest>): Promise<T.PodSandboxStatusResponse>;
  listPodSandbox(req?: Req<T.ListPodSandboxRequest>): Promise<T.ListPodSandboxResponse>;
  createContainer(req: Req<T.CreateContainerRequest>): Promise<T.CreateContainerResponse>;
  startContainer(req: Req<T.ContainerIdRequest>): Promise<T.Empty>;
  stopContainer(req: Req<T.StopContainerRequest>): Promise<T.Empty>;
  removeContainer(req: Req<T.ContainerIdRequest>): Promise<T.Empty>;
  listContainers(req?: Req<T.ListContainersRequest>): Promise<T.ListContainersResponse>;
  containerStatus(req: Req<T.ContainerStatusRequest>): Promise<T.ContainerStatusResponse>;
  execSync(req: Req<T.ExecSyncRequest>): Promise<T.ExecSyncResponse>;
  /** The streaming calls behind `kubectl exec/attach/port-forward`: each returns a one-time URL. */
  exec(req: Req<T.ExecRequest>): Promise<T.UrlResponse>;
  attach(req: Req<T.AttachRequest>): Promise<T.UrlResponse>;
  portForward(req: Req<T.PortForwardRequest>): Promise<T.UrlResponse>;
}

/** CRI ImageService calls the kubelet makes. */
export interface ImageService {
  imageStatus(req: Req<T.ImageStatusRequest>): Promise<T.ImageStatusResponse>;
  pullImage(req: Req<T.PullImageRequest>): Promise<T.PullImageResponse>;
}

/** Both services, as one CRI endpoint offers them. */
export type Runtime = RuntimeService & ImageService;

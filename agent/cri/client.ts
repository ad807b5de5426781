// A typed CRI client for the kubelet: promise methods with the proto's request and response shapes, over
// the Unix socket. It speaks plain runtime.v1, so it works against any CRI runtime, not only Skiff's.
import * as grpc from '@grpc/grpc-js';
import { loadRuntimeV1 } from './proto.js';
import type * as T from './types.js';

type Req<X> = T.DeepPartial<X>;

/** A gRPC error from the runtime, with its status code. */
export type CriCallError = grpc.ServiceError;

export interface CriClientOptions {
  /** Per-call deadline in milliseconds (default 2 minutes: pulls are slow). */
  timeoutMs?: number;
}

export class CriClient {
  private readonly runtime: grpc.Client;
  private readonly images: grpc.Client;
  private readonly timeoutMs: number;

  constructor(readonly socketPath: string, opts: CriClientOptions = {}) {
    const v1 = loadRuntimeV1();
    const target = `unix://${socketPath}`;
    const creds = grpc.credentials.createInsecure();
    this.runtime = new v1.RuntimeService(target, creds);
    this.images = new v1.ImageService(target, creds);
    this.timeoutMs = opts.timeoutMs ?? 120_000;
  }

  private call<Q, R>(client: grpc.Client, method: string, req: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const fn = (client as unknown as Record<string, (r: Q, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, v: R) => void) => void>)[method];
      if (!fn) return reject(new Error(`no such CRI method ${method}`));
      fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + this.timeoutMs }, (err, value) => (err ? reject(err) : resolve(value)));
    });
  }

  private rt<R>(method: string, req: object): Promise<R> {
    return this.call(this.runtime, method, req);
  }

  private img<R>(method: string, req: object): Promise<R> {
    return this.call(this.images, method, req);
  }

  version(req: Req<T.VersionRequest> = {}): Promise<T.VersionResponse> { return this.rt('Version', req); }
  status(req: Req<T.StatusRequest> = {}): Promise<T.StatusResponse> { return this.rt('Status', req); }
  updateRuntimeConfig(req: Req<T.UpdateRuntimeConfigRequest>): Promise<T.Empty> { return this.rt('UpdateRuntimeConfig', req); }
  runtimeConfig(req: Req<T.Empty> = {}): Promise<T.RuntimeConfigResponse> { return this.rt('RuntimeConfig', req); }
  runPodSandbox(req: Req<T.RunPodSandboxRequest>): Promise<T.RunPodSandboxResponse> { return this.rt('RunPodSandbox', req); }
  stopPodSandbox(req: Req<T.PodSandboxIdRequest>): Promise<T.Empty> { return this.rt('StopPodSandbox', req); }
  removePodSandbox(req: Req<T.PodSandboxIdRequest>): Promise<T.Empty> { return this.rt('RemovePodSandbox', req); }
  podSandboxStatus(req: Req<T.PodSandboxStatusRequest>): Promise<T.PodSandboxStatusResponse> { return this.rt('PodSandboxStatus', req); }
  listPodSandbox(req: Req<T.ListPodSandboxRequest> = {}): Promise<T.ListPodSandboxResponse> { return this.rt('ListPodSandbox', req); }
  createContainer(req: Req<T.CreateContainerRequest>): Promise<T.CreateContainerResponse> { return this.rt('CreateContainer', req); }
  startContainer(req: Req<T.ContainerIdRequest>): Promise<T.Empty> { return this.rt('StartContainer', req); }
  stopContainer(req: Req<T.StopContainerRequest>): Promise<T.Empty> { return this.rt('StopContainer', req); }
  removeContainer(req: Req<T.ContainerIdRequest>): Promise<T.Empty> { return this.rt('RemoveContainer', req); }
  listContainers(req: Req<T.ListContainersRequest> = {}): Promise<T.ListContainersResponse> { return this.rt('ListContainers', req); }
  containerStatus(req: Req<T.ContainerStatusRequest>): Promise<T.ContainerStatusResponse> { return this.rt('ContainerStatus', req); }
  updateContainerResources(req: Req<T.UpdateContainerResourcesRequest>): Promise<T.Empty> { return this.rt('UpdateContainerResources', req); }
  reopenContainerLog(req: Req<T.ContainerIdRequest>): Promise<T.Empty> { return this.rt('ReopenContainerLog', req); }
  execSync(req: Req<T.ExecSyncRequest>): Promise<T.ExecSyncResponse> { return this.rt('ExecSync', req); }
  exec(req: Req<T.ExecRequest>): Promise<T.UrlResponse> { return this.rt('Exec', req); }
  attach(req: Req<T.AttachRequest>): Promise<T.UrlResponse> { return this.rt('Attach', req); }
  portForward(req: Req<T.PortForwardRequest>): Promise<T.UrlResponse> { return this.rt('PortForward', req); }
  containerStats(req: Req<T.ContainerIdRequest>): Promise<T.ContainerStatsResponse> { return this.rt('ContainerStats', req); }
  listContainerStats(req: Req<T.ListContainerStatsRequest> = {}): Promise<T.ListContainerStatsResponse> { return this.rt('ListContainerStats', req); }
  podSandboxStats(req: Req<T.PodSandboxIdRequest>): Promise<T.PodSandboxStatsResponse> { return this.rt('PodSandboxStats', req); }
  listPodSandboxStats(req: Req<T.ListPodSandboxStatsRequest> = {}): Promise<T.ListPodSandboxStatsResponse> { return this.rt('ListPodSandboxStats', req); }

  listImages(req: Req<T.ListImagesRequest> = {}): Promise<T.ListImagesResponse> { return this.img('ListImages', req); }
  imageStatus(req: Req<T.ImageStatusRequest>): Promise<T.ImageStatusResponse> { return this.img('ImageStatus', req); }
  pullImage(req: Req<T.PullImageRequest>): Promise<T.PullImageResponse> { return this.img('PullImage', req); }
  removeImage(req: Req<T.RemoveImageRequest>): Promise<T.Empty> { return this.img('RemoveImage', req); }
  imageFsInfo(): Promise<T.ImageFsInfoResponse> { return this.img('ImageFsInfo', {}); }

  /** Closes both channels. */
  close(): void {
    this.runtime.close();
    this.images.close();
  }
}

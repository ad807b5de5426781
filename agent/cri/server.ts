// The CRI gRPC server: RuntimeService and ImageService on a Unix socket, plus the streaming server.
// Every RPC of both services is registered; those Skiff does not implement answer UNIMPLEMENTED.
import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import Dockerode from 'dockerode';
import pino, { type Logger } from 'pino';
import { loadRuntimeV1 } from './proto.js';
import { toServiceError, unimplemented } from './errors.js';
import { RuntimeServiceImpl } from './runtime-service.js';
import { ImageServiceImpl } from './image-service.js';
import { LogCopiers } from './log-copier.js';
import { StreamingServer } from './streaming-server.js';
import { PodNetwork } from './pod-network.js';

export const defaultSocketPath = '/run/skiff/cri.sock';
export const defaultPauseImage = 'skiff/pause:v1';

/** How to start the CRI server. */
export interface CriServerOptions {
  /** Unix socket to serve on (default /run/skiff/cri.sock); a stale socket file is replaced. */
  socketPath?: string;
  /** Docker engine socket (default /var/run/docker.sock); ignored when `docker` is given. */
  dockerSocket?: string;
  /** A ready Docker client (the seam for tests and for engines not on a socket). */
  docker?: Dockerode;
  /** `host:port` for the streaming server (default 127.0.0.1:0, a free port). */
  streamingAddress?: string;
  /** The sandbox image (default skiff/pause:v1). */
  pauseImage?: string;
  /**
   * At start, resume log copying only for containers whose CRI labels match this selector (default: all).
   * One server per engine needs none; servers sharing an engine (tests) each adopt only their own.
   */
  adoptSelector?: Record<string, string>;
  logger?: Logger;
}

/** A running CRI server. */
export interface CriServer {
  socketPath: string;
  /** Base URL of the streaming server that Exec/Attach/PortForward URLs point to. */
  streamingUrl: string;
  /** Stops serving, stops log copiers (they resume on the next start) and removes the socket. */
  close(): Promise<void>;
}

type Handler = (req: never) => Promise<unknown>;

function unary(log: Logger, name: string, fn: Handler | undefined): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    if (!fn) {
      callback(toServiceError(unimplemented(`${name} is not implemented by skiff`)) as grpc.ServiceError);
      return;
    }
    fn(call.request as never).then(
      (res) => callback(null, res),
      (err: unknown) => {
        const se = toServiceError(err);
        // Logged once, here where it is answered; expected client errors at debug level.
        const expected = [grpc.status.NOT_FOUND, grpc.status.INVALID_ARGUMENT, grpc.status.FAILED_PRECONDITION].includes(se.code);
        log[expected ? 'debug' : 'warn']({ rpc: name, code: grpc.status[se.code], err: se.message }, 'rpc failed');
        callback(se as grpc.ServiceError);
      },
    );
  };
}

function implement(log: Logger, definition: grpc.ServiceDefinition, handlers: Record<string, Handler>): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    if (method.responseStream) {
      impl[name] = ((call: grpc.ServerWritableStream<unknown, unknown>) => {
        call.emit('error', toServiceError(unimplemented(`${name} is not implemented by skiff`)));
      }) as grpc.handleServerStreamingCall<unknown, unknown>;
      continue;
    }
    impl[name] = unary(log, name, handlers[name]);
  }
  return impl;
}

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i < 0) return { host: address, port: 0 };
  return { host: address.slice(0, i) || '127.0.0.1', port: Number(address.slice(i + 1)) || 0 };
}

/** Starts the CRI server over Docker. */
export async function startCriServer(opts: CriServerOptions = {}): Promise<CriServer> {
  const log = opts.logger ?? pino({ name: 'skiff-cri' });
  const socketPath = opts.socketPath ?? defaultSocketPath;
  const docker = opts.docker ?? new Dockerode({ socketPath: opts.dockerSocket ?? '/var/run/docker.sock' });
  const streaming = new StreamingServer(docker, log);
  const { host, port } = splitAddress(opts.streamingAddress ?? '127.0.0.1:0');
  await streaming.listen(host, port);
  const copiers = new LogCopiers(docker, log);
  const network = new PodNetwork(docker, log);
  const runtime = new RuntimeServiceImpl({ docker, copiers, streaming, pauseImage: opts.pauseImage ?? defaultPauseImage, network, log });
  const images = new ImageServiceImpl(docker, log);

  const r = runtime;
  const runtimeHandlers: Record<string, Handler> = {
    Version: () => r.version(),
    Status: () => r.status(),
    UpdateRuntimeConfig: (q) => r.updateRuntimeConfig(q),
    RuntimeConfig: () => r.runtimeConfig(),
    RunPodSandbox: (q) => r.runPodSandbox(q),
    StopPodSandbox: (q) => r.stopPodSandbox(q),
    RemovePodSandbox: (q) => r.removePodSandbox(q),
    PodSandboxStatus: (q) => r.podSandboxStatus(q),
    ListPodSandbox: (q) => r.listPodSandbox(q),
    CreateContainer: (q) => r.createContainer(q),
    StartContainer: (q) => r.startContainer(q),
    StopContainer: (q) => r.stopContainer(q),
    RemoveContainer: (q) => r.removeContainer(q),
    ListContainers: (q) => r.listContainers(q),
    ContainerStatus: (q) => r.containerStatus(q),
    UpdateContainerResources: (q) => r.updateContainerResources(q),
    ReopenContainerLog: (q) => r.reopenContainerLog(q),
    ExecSync: (q) => r.execSync(q),
    Exec: (q) => r.exec(q),
    Attach: (q) => r.attach(q),
    PortForward: (q) => r.portForward(q),
    ContainerStats: (q) => r.containerStats(q),
    ListContainerStats: (q) => r.listContainerStats(q),
    PodSandboxStats: (q) => r.podSandboxStats(q),
    ListPodSandboxStats: (q) => r.listPodSandboxStats(q),
  };
  const imageHandlers: Record<string, Handler> = {
    ListImages: (q) => images.listImages(q),
    ImageStatus: (q) => images.imageStatus(q),
    PullImage: (q) => images.pullImage(q),
    RemoveImage: (q) => images.removeImage(q),
    ImageFsInfo: () => images.imageFsInfo(),
  };

  const v1 = loadRuntimeV1();
  const server = new grpc.Server();
  server.addService(v1.RuntimeService.service, implement(log, v1.RuntimeService.service, runtimeHandlers));
  server.addService(v1.ImageService.service, implement(log, v1.ImageService.service, imageHandlers));

  await fs.promises.mkdir(path.dirname(socketPath), { recursive: true });
  await fs.promises.rm(socketPath, { force: true }); // a stale socket from a killed server
  try {
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix://${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
    );
  } catch (err) {
    await streaming.close();
    throw err;
  }
  const resumed = runtime.resumeLogCopiers(opts.adoptSelector).catch((err: unknown) => log.warn({ err }, 'resuming log copiers failed'));
  log.info({ socket: socketPath, streaming: streaming.baseUrl }, 'CRI server listening');

  return {
    socketPath,
    streamingUrl: streaming.baseUrl,
    async close() {
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      server.forceShutdown();
      await copiers.stopAll(); // first, so that a resume still iterating starts no more copiers
      await resumed;
      await copiers.stopAll();
      await streaming.close();
      await fs.promises.rm(socketPath, { force: true });
    },
  };
}

// The CRI room's door: the runtime.v1 gRPC server over Docker, and a typed client for it.

/** Starts the CRI server (RuntimeService + ImageService on a Unix socket, plus the streaming server). */
export { startCriServer, defaultSocketPath, defaultPauseImage } from './server.js';
/** Options and handle of a running CRI server. */
export type { CriServer, CriServerOptions } from './server.js';
/** A typed promise client for any runtime.v1 CRI socket (the kubelet's RuntimeService seam). */
export { CriClient } from './client.js';
/** Options and error type of CriClient. */
export type { CriClientOptions, CriCallError } from './client.js';
/** The runtime.v1 message shapes (snake_case, int64 as decimal strings, enums as names). */
export type * from './types.js';
/** Where the proto lives and the loader options both sides use. */
export { protoPath, loaderOptions } from './proto.js';
/** The pod network's Docker name for a pod CIDR (`skiff-pods-10-244-1-0-24`) and the label Skiff puts on it. */
export { podNetworkName, podCidrNetworkLabel, podNetworkPrefix } from './pod-network.js';

// The client library: how every Skiff component (controllers, scheduler, kubelet, proxy) talks to the API
// server, in client-go's shapes: a REST client, watches, informers with a local cache, and work queues.

/** Time as a seam: `Clock` with `RealClock` for production and `FakeClock` (step/advance) for tests. */
export { RealClock, FakeClock, flushMicrotasks, type Clock, type Timer } from './clock.js';

/** Where the API server is and how to authenticate (`ConnectionConfig`), and its keep-alive agent. */
export { createAgent, type ConnectionConfig } from './connection.js';

/** Kubeconfig loading: current (or named) context to a `ConnectionConfig`; `$KUBECONFIG` or ~/.kube/config. */
export { loadKubeconfig, parseKubeconfig, defaultKubeconfigPath, type LoadKubeconfigOptions } from './kubeconfig.js';

/** URL path of a collection, object or subresource for a ResourceInfo (`/apis/apps/v1/namespaces/x/deployments/y`). */
export { resourcePath, type PathParts } from './resource-path.js';

/**
 * `RestClient`: get/list/create/update/updateStatus/patch/delete by ResourceInfo, plus raw `request`;
 * rate limited (50 qps / burst 100 by default), per-request timeouts, typed errors from Status answers.
 */
export {
  RestClient,
  RequestTimeoutError,
  listParams,
  type RestClientOptions,
  type CallOptions,
  type NamespacedOptions,
  type ListOptions,
  type WriteOptions,
  type PatchOptions,
  type PatchType,
  type DeleteOptions,
  type RawResponse,
} from './rest-client.js';

/** Decodes an error answer (HTTP code + Status body) into NotFoundError, ConflictError, InvalidError, ExpiredError, ... */
export { errorFromStatus, isStatus } from './status-error.js';

/** Watches: `watch(client, resource, opts)` opens a `WatchStream` (async iterable of WatchEvents, stop()). */
export { watch, WatchStream, type WatchOptions } from './watch.js';

/** Newline-delimited JSON watch framing, robust to chunk boundaries anywhere. */
export { WatchDecoder } from './watch-decoder.js';

/** The informer's keyed cache with secondary indexes, and ready-made index functions. */
export { ObjectCache, keyOf, namespaceIndex, nodeNameIndex, type IndexFunc } from './cache.js';

/** `Informer<T>`: list+watch into a local cache with add/update/delete handlers, re-list on expiry, resync. */
export { Informer, type InformerHandlers, type InformerOptions } from './informer.js';

/** `InformerFactory`: one shared Informer per resource and scope, started and synced together. */
export { InformerFactory, type InformerScope } from './informer-factory.js';

/** Token bucket and per-item rate limiters (client-go's default controller limiter). */
export {
  TokenBucket,
  ItemExponentialRateLimiter,
  BucketItemRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type ItemRateLimiter,
} from './rate-limiter.js';

/** `WorkQueue`: de-duplicating, never-concurrent-per-key, delaying and rate-limited queue of keys. */
export { WorkQueue, type WorkQueueOptions } from './work-queue.js';

/** `runWorkers(queue, n, reconcile)`: the controller worker loop (forget on success, requeue rate-limited on error). */
export { runWorkers, type RunWorkersOptions } from './workers.js';

/** `retryOnConflict(fn)`: re-run a read-modify-write while the server answers 409 Conflict, with back-off. */
export { retryOnConflict, retryOn, type RetryOptions } from './retry.js';

/** The fallback pino logger of the client library. */
export { defaultLogger, type Logger } from './log.js';

/**
 * HTTP Upgrade pass-through (exec, attach, port-forward): `proxyUpgrade` relays an upgrade request to a
 * backend and then raw bytes both ways; `rejectUpgrade` answers a not-yet-upgraded socket with a Status;
 * `statusErrorFor` makes the ApiError for a bare HTTP code.
 */
export { proxyUpgrade, rejectUpgrade, statusErrorFor } from './upgrade-proxy.js';

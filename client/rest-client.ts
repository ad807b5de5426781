// The REST client every component uses to talk to the API server (client-go's rest + dynamic clients):
// typed verbs by ResourceInfo over node:http/https with keep-alive sockets, a client-side token bucket,
// per-request timeouts, and error answers decoded into api/errors.ts's typed errors.
import type * as http from 'node:http';
import type { KubeList, KubeObject, Status } from '../api/object.js';
import { type ResourceInfo } from '../api/resources.js';
import { RealClock, type Clock } from './clock.js';
import type { ConnectionConfig } from './connection.js';
import { loadKubeconfig, type LoadKubeconfigOptions } from './kubeconfig.js';
import { TokenBucket } from './rate-limiter.js';
import { resourcePath } from './resource-path.js';
import { errorFromStatus } from './status-error.js';
import { HttpTransport, decodeBody, type RawResponse } from './transport.js';

export { RequestTimeoutError, type RawResponse } from './transport.js';

export interface RestClientOptions {
  /** Sustained requests per second (default 50). 0 or `rateLimit: false` turns the limiter off. */
  qps?: number;
  /** Requests allowed at once after idling (default 100). */
  burst?: number;
  /** False turns the client-side limiter off, e.g. for benchmarks. */
  rateLimit?: boolean;
  /** Whole-request timeout for non-watch requests, in ms (default 30 000). */
  timeoutMs?: number;
  userAgent?: string;
  /** How often to resend a request the server refused with 429 + Retry-After (default 5, as client-go's 10 is long). */
  maxRetries?: number;
  clock?: Clock;
}

/** Per-call knobs every verb accepts. */
export interface CallOptions {
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface NamespacedOptions extends CallOptions {
  /** Required for namespaced resources; ignored for cluster-scoped ones. */
  namespace?: string;
}

export interface ListOptions extends NamespacedOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WriteOptions extends CallOptions {
  /** `All` to validate without persisting. */
  dryRun?: 'All';
  fieldManager?: string;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export interface PatchOptions extends NamespacedOptions, WriteOptions {
  /** Default `merge` (application/merge-patch+json). */
  type?: PatchType;
  /** Patch a subresource such as `status` or `scale`. */
  subresource?: string;
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions extends NamespacedOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: 'All';
}

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class RestClient {
  /** The kubeconfig context's namespace, for callers that default to it. */
  readonly namespace: string;
  private readonly limiter: TokenBucket | undefined;
  private readonly clock: Clock;
  private readonly maxRetries: number;
  private readonly transport: HttpTransport;

  constructor(
    readonly connection: ConnectionConfig,
    options: RestClientOptions = {},
  ) {
    this.namespace = connection.namespace ?? 'default';
    this.clock = options.clock ?? new RealClock();
    const qps = options.qps ?? 50;
    const burst = options.burst ?? 100;
    this.limiter = options.rateLimit === false || qps <= 0 ? undefined : new TokenBucket(qps, burst, this.clock);
    this.transport = new HttpTransport(connection, {
      timeoutMs: options.timeoutMs ?? 30_000,
      userAgent: options.userAgent ?? 'skiff-client',
      clock: this.clock,
    });
    this.maxRetries = options.maxRetries ?? 5;
  }

  /** The API server's base URL. */
  get server(): URL {
    return this.transport.server;
  }

  /** A client for the kubeconfig's current (or named) context. */
  static fromKubeconfig(file?: string, options: RestClientOptions & LoadKubeconfigOptions = {}): RestClient {
    return new RestClient(loadKubeconfig(file, options), options);
  }

  async get<T extends KubeObject = KubeObject>(r: ResourceInfo, name: string, opts: NamespacedOptions = {}): Promise<T> {
    return this.json<T>('GET', resourcePath(r, { namespace: opts.namespace, name }), undefined, {}, opts);
  }

  /** One page (or all, without `limit`) of a collection; all namespaces when `namespace` is unset. */
  async list<T extends KubeObject = KubeObject>(r: ResourceInfo, opts: ListOptions = {}): Promise<KubeList<T>> {
    const query = listQuery(opts);
    return this.json<KubeList<T>>('GET', resourcePath(r, { namespace: opts.namespace }) + query, undefined, {}, opts);
  }

  /** Creates `obj` in its `metadata.namespace` (or `opts.namespace`). */
  async create<T extends KubeObject>(r: ResourceInfo, obj: T, opts: WriteOptions & NamespacedOptions = {}): Promise<T> {
    const namespace = opts.namespace ?? obj.metadata.namespace;
    return this.json<T>('POST', resourcePath(r, { namespace }) + writeQuery(opts), obj, {}, opts);
  }

  /** POST to a subresource of a named object, such as a Binding to `pods/{name}/binding`. */
  async createSubresource<R = KubeObject>(
    r: ResourceInfo,
    name: string,
    subresource: string,
    body: unknown,
    opts: WriteOptions & NamespacedOptions = {},
  ): Promise<R> {
    const p = resourcePath(r, { namespace: opts.namespace, name, subresource });
    return this.json<R>('POST', p + writeQuery(opts), body, {}, opts);
  }

  /** Replaces `obj` (PUT); its `metadata.resourceVersion` makes it a compare-and-swap. */
  async update<T extends KubeObject>(r: ResourceInfo, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.json<T>('PUT', this.objectPath(r, obj) + writeQuery(opts), obj, {}, opts);
  }

  /** Replaces `obj`'s status through the `/status` subresource; spec changes in `obj` are ignored there. */
  async updateStatus<T extends KubeObject>(r: ResourceInfo, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.json<T>('PUT', this.objectPath(r, obj, 'status') + writeQuery(opts), obj, {}, opts);
  }

  /** Patches `name` with a merge (default), strategic-merge, JSON or apply patch. */
  async patch<T extends KubeObject = KubeObject>(
    r: ResourceInfo,
    name: string,
    patch: unknown,
    opts: PatchOptions = {},
  ): Promise<T> {
    const type = opts.type ?? 'merge';
    const p = resourcePath(r, { namespace: opts.namespace, name, subresource: opts.subresource });
    const params = writeParams(opts);
    if (opts.force !== undefined) params.set('force', String(opts.force));
    return this.json<T>('PATCH', p + queryString(params), patch, { 'content-type': patchContentTypes[type] }, opts);
  }

  /**
   * Deletes `name`. The answer is the object (when finalizers or graceful deletion keep it around for a
   * while) or a Success Status (when it is gone at once), as the API server decides.
   */
  async delete<T extends KubeObject = KubeObject>(r: ResourceInfo, name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    return this.json<T | Status>('DELETE', resourcePath(r, { namespace: opts.namespace, name }), deleteBody(opts), {}, opts);
  }

  /** Deletes every object of a collection that matches the selectors. */
  async deleteCollection(r: ResourceInfo, opts: DeleteOptions & ListOptions = {}): Promise<unknown> {
    const p = resourcePath(r, { namespace: opts.namespace }) + listQuery(opts);
    return this.json<unknown>('DELETE', p, deleteBody(opts), {}, opts);
  }

  /**
   * Any request: `path` is absolute on the server (`/api/v1/namespaces/default/pods?limit=1`). The body is
   * sent as JSON unless it is a Buffer or string. Answers a decoded JSON body (undefined when empty);
   * non-2xx answers throw the matching typed error.
   */
  async request<R = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    opts: CallOptions = {},
  ): Promise<R> {
    return this.json<R>(method, path, body, headers, opts);
  }

  /** As `request`, but answers the raw status, headers and body, and does not throw on non-2xx. */
  async requestRaw(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    opts: CallOptions = {},
  ): Promise<RawResponse> {
    await this.limiter?.wait(opts.signal);
    return this.transport.send(method, path, encodeBody(body), headers, opts);
  }

  /**
   * Opens a long-running GET (watch, log follow) and resolves with the response once a 2xx status line
   * arrives; a non-2xx answer is read and thrown as a typed error. No whole-request timeout applies:
   * abort `signal` to end it. Rate limited like every other request.
   */
  async stream(path: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<http.IncomingMessage> {
    await this.limiter?.wait(signal);
    return this.transport.open(path, signal, headers);
  }

  /** Closes idle keep-alive sockets so the process can exit. */
  close(): void {
    this.transport.close();
  }

  private objectPath(r: ResourceInfo, obj: KubeObject, subresource?: string): string {
    const name = obj.metadata.name;
    if (!name) throw new Error(`${r.kind} without metadata.name cannot be updated`);
    return resourcePath(r, { namespace: obj.metadata.namespace, name, subresource });
  }

  private async json<R>(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    opts: CallOptions,
  ): Promise<R> {
    const encoded = encodeBody(body);
    let res: RawResponse;
    for (let attempt = 0; ; attempt++) {
      await this.limiter?.wait(opts.signal);
      res = await this.transport.send(method, path, encoded, headers, opts);
      // 429 with Retry-After means the server shed the request before acting on it (max-in-flight or
      // priority and fairness), so any verb may be resent after the delay it asks for, as client-go does.
      const retryAfterSeconds = Number(res.headers['retry-after']);
      if (res.statusCode !== 429 || !Number.isFinite(retryAfterSeconds) || attempt >= this.maxRetries) break;
      await this.clock.sleep(Math.max(0, retryAfterSeconds) * 1000, opts.signal);
    }
    const decoded = decodeBody(res.body, res.headers);
    if (res.statusCode < 200 || res.statusCode >= 300) throw errorFromStatus(res.statusCode, decoded);
    return decoded as R;
  }
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

function queryString(params: URLSearchParams): string {
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The query of a list (and watch, which adds its own parameters to the same set). */
export function listParams(opts: ListOptions): URLSearchParams {
  const params = new URLSearchParams();
  if (opts.labelSelector) params.set('labelSelector', opts.labelSelector);
  if (opts.fieldSelector) params.set('fieldSelector', opts.fieldSelector);
  if (opts.limit !== undefined && opts.limit > 0) params.set('limit', String(opts.limit));
  if (opts.continue) params.set('continue', opts.continue);
  if (opts.resourceVersion !== undefined) params.set('resourceVersion', opts.resourceVersion);
  if (opts.resourceVersionMatch) params.set('resourceVersionMatch', opts.resourceVersionMatch);
  return params;
}

function listQuery(opts: ListOptions): string {
  return queryString(listParams(opts));
}

function writeParams(opts: WriteOptions): URLSearchParams {
  const params = new URLSearchParams();
  if (opts.dryRun) params.set('dryRun', opts.dryRun);
  if (opts.fieldManager) params.set('fieldManager', opts.fieldManager);
  return params;
}

function writeQuery(opts: WriteOptions): string {
  return queryString(writeParams(opts));
}

function deleteBody(opts: DeleteOptions): Record<string, unknown> {
  return {
    kind: 'DeleteOptions',
    apiVersion: 'v1',
    ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
    ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
    ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
    ...(opts.dryRun ? { dryRun: [opts.dryRun] } : {}),
  };
}

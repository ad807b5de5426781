// The kubelet's /exec/{namespace}/{pod}/{container}, /attach/{namespace}/{pod}/{container} and
// /portForward/{namespace}/{pod}, as upstream's kubelet serves them: find the pod's running container (or
// its ready sandbox) in the runtime by the pod uid label, ask the CRI for a streaming URL (Exec or Attach
// with the command and stream flags, or PortForward), and pass the client's upgrade through to it. Errors
// before the upgrade are an HTTP status + Status.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Pod } from '../../../api/index.js';
import type * as T from '../../cri/types.js';
import type { RuntimeService } from '../runtime.js';
import { attemptsOf, readPodState } from '../runtime-state.js';
import { proxyUpgrade, rejectUpgrade, statusErrorFor } from '../../../client/upgrade-proxy.js';

export interface ExecEndpointDeps {
  runtime: RuntimeService;
  findPod(namespace: string, name: string): Pod | undefined;
  log: Logger;
}

export class StreamError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface StreamRequest {
  kind: 'exec' | 'attach';
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** upstream's kubelet reads input/output/error; kubectl's PodExecOptions say stdin/stdout/stderr: both are accepted. */
function flag(q: URLSearchParams, ...names: string[]): boolean {
  return names.some((n) => {
    const v = q.get(n);
    return v === '1' || v === 'true';
  });
}

/** The stream a kubelet path + query asks for, or undefined when the path is not /exec or /attach. */
export function parseStreamRequest(pathname: string, q: URLSearchParams): StreamRequest | undefined {
  const parts = pathname.split('/').filter(Boolean);
  const kind = parts[0];
  if (kind !== 'exec' && kind !== 'attach') return undefined;
  // {ns}/{pod}/{container} or, as upstream also routes, {ns}/{pod}/{uid}/{container}.
  if (parts.length !== 4 && parts.length !== 5) return undefined;
  const [namespace, pod] = [parts[1]!, parts[2]!].map(decodeURIComponent) as [string, string];
  const container = decodeURIComponent(parts[parts.length - 1]!);
  const req: StreamRequest = {
    kind, namespace, pod, container,
    command: q.getAll('command'),
    stdin: flag(q, 'stdin', 'input'),
    stdout: flag(q, 'stdout', 'output'),
    stderr: flag(q, 'stderr', 'error'),
    tty: flag(q, 'tty'),
  };
  if (kind === 'exec' && req.command.length === 0) throw new StreamError(400, 'you must specify at least 1 command');
  if (!req.stdin && !req.stdout && !req.stderr) throw new StreamError(400, 'you must specify at least one of stdin, stdout, stderr');
  // With a tty, stdout and stderr are one stream (upstream drops stderr the same way).
  if (req.tty) req.stderr = false;
  return req;
}

/** The CRI streaming URL for the request (validates pod, container and its state first). */
export async function streamUrl(deps: ExecEndpointDeps, r: StreamRequest): Promise<string> {
  const pod = deps.findPod(r.namespace, r.pod);
  if (!pod) throw new StreamError(404, `pod "${r.pod}" not found on this node`);
  const known = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c) => c.name === r.container);
  if (!known) throw new StreamError(400, `container ${r.container} is not valid for pod ${r.pod}`);
  const state = await readPodState(deps.runtime, pod.metadata.uid ?? '');
  const newest = attemptsOf(state, r.container)[0];
  if (!newest || newest.state !== 'CONTAINER_RUNNING') {
    throw new StreamError(400, `container ${r.container} in pod ${r.pod} is not running`);
  }
  const flags = { tty: r.tty, stdin: r.stdin, stdout: r.stdout, stderr: r.stderr };
  const res = r.kind === 'exec'
    ? await deps.runtime.exec({ container_id: newest.id, cmd: r.command, ...flags })
    : await deps.runtime.attach({ container_id: newest.id, ...flags });
  return res.url;
}

export interface PortForwardRequest {
  kind: 'portForward';
  namespace: string;
  pod: string;
  /** Ports named in the query (`port=80&port=443`); empty: any, the client names them per stream. */
  ports: number[];
}

/** `/portForward/{ns}/{pod}` (or `/{ns}/{pod}/{uid}`, as upstream also routes), or undefined. */
export function parsePortForwardRequest(pathname: string, q: URLSearchParams): PortForwardRequest | undefined {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] !== 'portForward' || (parts.length !== 3 && parts.length !== 4)) return undefined;
  const ports = q.getAll('port').flatMap((v) => v.split(',')).filter(Boolean).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new StreamError(400, `invalid port "${v}"`);
    return n;
  });
  return { kind: 'portForward', namespace: decodeURIComponent(parts[1]!), pod: decodeURIComponent(parts[2]!), ports };
}

/** The CRI streaming URL forwarding to the pod's current sandbox. */
export async function portForwardUrl(deps: ExecEndpointDeps, r: PortForwardRequest): Promise<string> {
  const pod = deps.findPod(r.namespace, r.pod);
  if (!pod) throw new StreamError(404, `pod "${r.pod}" not found on this node`);
  const state = await readPodState(deps.runtime, pod.metadata.uid ?? '');
  const sandbox = state.sandboxes[0];
  if (!sandbox || sandbox.state !== 'SANDBOX_READY') throw new StreamError(400, `pod ${r.pod} has no running sandbox to forward to`);
  return (await deps.runtime.portForward({ pod_sandbox_id: sandbox.id, port: r.ports })).url;
}

/** Serves an upgrade request on /exec, /attach or /portForward. */
export async function serveStreamUpgrade(deps: ExecEndpointDeps, r: StreamRequest | PortForwardRequest, req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  try {
    const url = r.kind === 'portForward' ? await portForwardUrl(deps, r) : await streamUrl(deps, r);
    proxyUpgrade(req, socket, head, new URL(url), (err) => {
      deps.log.warn({ err: err.message, pod: `${r.namespace}/${r.pod}`, kind: r.kind }, 'connecting to the runtime streaming server failed');
      rejectUpgrade(socket, statusErrorFor(502, `connecting to the container runtime's streaming server failed: ${err.message}`));
    });
  } catch (err) {
    const code = err instanceof StreamError ? err.code : 500;
    if (code === 500) deps.log.warn({ err: String(err), pod: `${r.namespace}/${r.pod}` }, `kubelet ${r.kind} failed`);
    rejectUpgrade(socket, statusErrorFor(code, err instanceof Error ? err.message : String(err)));
  }
}

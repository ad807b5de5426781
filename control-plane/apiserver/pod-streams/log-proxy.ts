// GET pods/{name}/log: validates the pod and container here, then streams the kubelet's
// /containerLogs answer back unbuffered (follow keeps streaming until the client goes away, which
// aborts the kubelet request too).
import http from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../storage/store.js';
import type { KubeletTransport } from './kubelet-transport.js';
import { findStreamTarget, kubeletError } from './pod-target.js';

/** The query parameters of PodLogOptions the kubelet understands, passed on as given. */
export const logParams = ['follow', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'previous', 'limitBytes'] as const;

/** The kubelet path and query for a log request. */
export function kubeletLogPath(namespace: string, pod: string, container: string, query: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const p of logParams) for (const v of query.getAll(p)) out.append(p, v);
  const qs = out.toString();
  return `/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}/${encodeURIComponent(container)}${qs ? `?${qs}` : ''}`;
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function servePodLog(
  store: Store,
  transport: KubeletTransport,
  request: FastifyRequest,
  reply: FastifyReply,
  namespace: string,
  name: string,
): Promise<void> {
  const query = new URL(request.url, 'http://apiserver').searchParams;
  const target = await findStreamTarget(store, namespace, name, query.get('container') ?? undefined);
  const url = transport.url(target.kubeletBase, kubeletLogPath(namespace, name, target.container, query));
  const abort = new AbortController();
  // The client leaving (kubectl logs -f killed) ends the kubelet's follow too.
  reply.raw.once('close', () => abort.abort());
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    // node's http.get speaks https when handed an https agent.
    const req = http.get(url, { signal: abort.signal, agent: transport.agent }, resolve);
    req.once('error', reject);
  });
  if ((res.statusCode ?? 500) >= 300) {
    const body = await readAll(res);
    throw kubeletError(res.statusCode ?? 500, body, name);
  }
  res.once('error', () => reply.raw.destroy());
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
  reply.raw.flushHeaders();
  res.pipe(reply.raw);
}

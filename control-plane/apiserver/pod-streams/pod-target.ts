// Where a pod's streams live: which container a request means (upstream's defaulting and validation, with
// its exact messages, which kubectl prints) and the kubelet endpoint of the pod's node.
import { ApiError, BadRequestError, NotFoundError } from '../../../api/errors.js';
import type { Node, Pod } from '../../../api/index.js';
import { findResource, storageKey } from '../../../api/resources.js';
import type { Store } from '../../storage/store.js';

const podsResource = findResource('', 'v1', 'pods')!;
const nodesResource = findResource('', 'v1', 'nodes')!;

/** The container a request addresses: the one named, or the pod's only container. */
export function resolveContainer(pod: Pod, container: string | undefined): string {
  const name = pod.metadata.name ?? '';
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = ((pod.spec as { ephemeralContainers?: { name: string }[] } | undefined)?.ephemeralContainers ?? []).map((c) => c.name);
  if (!container) {
    if (containers.length === 1) return containers[0]!;
    if (containers.length === 0) throw new BadRequestError(`a container name must be specified for pod ${name}`);
    let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    if (inits.length > 0) message += ` or one of the init containers: [${inits.join(' ')}]`;
    throw new BadRequestError(message);
  }
  if (![...containers, ...inits, ...ephemeral].includes(container)) {
    throw new BadRequestError(`container ${container} is not valid for pod ${name}`);
  }
  return container;
}

/** host:port of a node's kubelet endpoint, from its status (InternalIP preferred, as Skiff's agents report it). */
export function kubeletEndpointOf(node: Node): { host: string; port: number } {
  const addresses = node.status?.addresses ?? [];
  const order = ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalIP', 'ExternalDNS'];
  const address = order.map((t) => addresses.find((a) => a.type === t)?.address).find((a) => !!a);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const nodeName = node.metadata.name ?? '';
  if (!address) throw new BadRequestError(`node ${nodeName} has no address to reach its kubelet`);
  if (!port) throw new BadRequestError(`node ${nodeName} does not report a kubelet endpoint port`);
  return { host: address, port };
}

export interface StreamTarget {
  pod: Pod;
  container: string;
  /** `http://host:port` of the kubelet. */
  kubeletBase: string;
}

async function readPod(store: Store, namespace: string, podName: string): Promise<Pod> {
  const stored = await store.get<Pod>(storageKey(podsResource, namespace, podName));
  if (!stored) throw new NotFoundError({ kind: 'pods', name: podName });
  return stored.object;
}

/** `http://host:port` of the kubelet on the pod's node; 400 when the pod is not bound, as upstream. */
async function kubeletOfPod(store: Store, pod: Pod): Promise<string> {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw new BadRequestError(`pod ${pod.metadata.name ?? ''} does not have a host assigned`);
  const node = await store.get<Node>(storageKey(nodesResource, undefined, nodeName));
  if (!node) throw new NotFoundError({ kind: 'nodes', name: nodeName });
  const { host, port } = kubeletEndpointOf(node.object);
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Reads the pod and its node's kubelet endpoint; throws the Status errors upstream answers. */
export async function findPodKubelet(store: Store, namespace: string, podName: string): Promise<{ pod: Pod; kubeletBase: string }> {
  const pod = await readPod(store, namespace, podName);
  return { pod, kubeletBase: await kubeletOfPod(store, pod) };
}

/** Pod, container (defaulted and validated first, as upstream) and kubelet endpoint of a stream request. */
export async function findStreamTarget(store: Store, namespace: string, podName: string, container: string | undefined): Promise<StreamTarget> {
  const pod = await readPod(store, namespace, podName);
  const resolved = resolveContainer(pod, container);
  return { pod, container: resolved, kubeletBase: await kubeletOfPod(store, pod) };
}

/** The kubelet's error answer (plain text or a Status) as the Status the API server returns. */
export function kubeletError(code: number, body: string, podName: string): ApiError {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { kind?: string; message?: string };
    if (parsed.kind === 'Status' && typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // Plain text, as the kubelet's log endpoint answers.
  }
  if (!message) message = `the kubelet answered HTTP ${code}`;
  if (code === 404) return new NotFoundError({ kind: 'pods', name: podName }, message);
  if (code === 400) return new BadRequestError(message);
  if (code >= 400 && code < 500) return new ApiError(code, 'BadRequest', message);
  return new ApiError(code >= 500 && code < 600 ? code : 500, 'InternalError', message);
}

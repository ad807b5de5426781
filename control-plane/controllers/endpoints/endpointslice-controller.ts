// The EndpointSlice controller (upstream's pkg/controller/endpointslice): for every Service with a
// selector, IPv4 EndpointSlices listing the selected pods that have an IP, with ready/serving/terminating
// conditions, node, target reference and the service ports resolved per pod. Pods resolving to different
// ports go to different slices; a slice holds at most 100 endpoints; a Service without endpoints keeps
// one empty placeholder slice. Slices are written only when their content changed.
import { NotFoundError } from '../../../api/errors.js';
import type { Endpoint, EndpointSlice, Pod, Service } from '../../../api/index.js';
import type { Informer } from '../../../client/index.js';
import { canonicalJson } from '../canonical-json.js';
import type { ControllerContext } from '../controller-context.js';
import { byNamespace, ensureNamespaceIndex } from '../index-funcs.js';
import { controllerRef } from '../owner-refs.js';
import { splitKey } from '../queue-controller.js';
import { endpointSlicesResource } from '../resources.js';
import { endpointState, podIPv4, resolvePorts, shouldPodBeInEndpoints, type ResolvedPort } from './endpoint-pods.js';
import { ServicePodController } from './service-pod-controller.js';
import { WriteTracker } from './write-tracker.js';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const managedByValue = 'endpointslice-controller.k8s.io';
export const headlessLabel = 'service.kubernetes.io/headless';
export const maxEndpointsPerSlice = 100;

interface DesiredSlice {
  ports: ResolvedPort[];
  endpoints: Endpoint[];
}

export class EndpointSliceController extends ServicePodController {
  private readonly slices: Informer<EndpointSlice>;
  private readonly tracker: WriteTracker;

  constructor(ctx: ControllerContext) {
    super('endpointslice', ctx);
    this.tracker = new WriteTracker(ctx.clock);
    this.slices = ctx.informers.forResource<EndpointSlice>(endpointSlicesResource);
    ensureNamespaceIndex(this.slices);
    const onSlice = (s: EndpointSlice): void => {
      const svc = s.metadata.labels?.[serviceNameLabel];
      if (svc && s.metadata.labels?.[managedByLabel] === managedByValue) this.queue.add(`${s.metadata.namespace}/${svc}`);
    };
    this.slices.addEventHandler({ onAdd: onSlice, onUpdate: (_o, s) => onSlice(s), onDelete: onSlice });
  }

  private managedSlices(namespace: string, service: string): EndpointSlice[] {
    return this.slices
      .byIndex(byNamespace, namespace)
      .filter((s) => s.metadata.labels?.[serviceNameLabel] === service && s.metadata.labels?.[managedByLabel] === managedByValue);
  }

  async reconcile(key: string): Promise<void> {
    const { namespace = '', name } = splitKey(key);
    const existing = this.managedSlices(namespace, name);
    if (this.tracker.stale(key, existing)) {
      this.queue.addAfter(key, 100);
      return;
    }
    const svc = this.services.get(key);
    if (!svc) {
      // The garbage collector would get them through the owner reference too; this is quicker.
      for (const s of existing) await this.deleteSlice(key, s);
      this.tracker.forget(key);
      return;
    }
    if (!ServicePodController.hasSelector(svc) || svc.spec?.type === 'ExternalName') return;
    const desired = desiredSlices(svc, this.selectedPods(svc));
    await this.apply(key, svc, desired, existing);
  }

  private async apply(key: string, svc: Service, desired: DesiredSlice[], existing: EndpointSlice[]): Promise<void> {
    const unused = [...existing].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const toCreate: DesiredSlice[] = [];
    const toUpdate: Array<[EndpointSlice, DesiredSlice]> = [];
    // First keep slices that already say exactly what is wanted, then reuse slices with the same ports.
    const pending: DesiredSlice[] = [];
    for (const want of desired) {
      const i = unused.findIndex((s) => sliceMatches(s, svc, want));
      if (i >= 0) unused.splice(i, 1);
      else pending.push(want);
    }
    for (const want of pending) {
      const i = unused.findIndex((s) => portsKey(s.ports ?? []) === portsKey(want.ports));
      if (i >= 0) toUpdate.push([unused.splice(i, 1)[0] as EndpointSlice, want]);
      else toCreate.push(want);
    }
    for (const want of toCreate) {
      // A slice with other ports is reused rather than deleted and created again.
      const recycled = unused.shift();
      if (recycled) toUpdate.push([recycled, want]);
      else this.tracker.wrote(key, await this.ctx.client.create(endpointSlicesResource, sliceObject(svc, want), { namespace: svc.metadata.namespace }));
    }
    for (const [slice, want] of toUpdate) {
      const next = { ...sliceObject(svc, want), metadata: { ...slice.metadata, labels: sliceLabels(svc), ownerReferences: [controllerRef(svc, 'v1', 'Service')] } };
      delete next.metadata.generateName;
      this.tracker.wrote(key, await this.ctx.client.update(endpointSlicesResource, next));
    }
    for (const slice of unused) await this.deleteSlice(key, slice);
  }

  private async deleteSlice(key: string, slice: EndpointSlice): Promise<void> {
    try {
      await this.ctx.client.delete(endpointSlicesResource, slice.metadata.name ?? '', { namespace: slice.metadata.namespace });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    this.tracker.deleted(key, slice.metadata.name ?? '');
  }
}

function portsKey(ports: Array<{ name?: string; protocol?: string; port?: number; appProtocol?: string }>): string {
  const norm = ports.map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port ?? 0, appProtocol: p.appProtocol }));
  return canonicalJson(norm.sort((a, b) => a.name.localeCompare(b.name)));
}

/** The slices the service should have: endpoints grouped by resolved ports, 100 per slice, sorted. */
export function desiredSlices(svc: Service, pods: Pod[]): DesiredSlice[] {
  const groups = new Map<string, DesiredSlice>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = resolvePorts(pod, svc).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
    const key = portsKey(ports);
    const group = groups.get(key) ?? { ports, endpoints: [] };
    groups.set(key, group);
    group.endpoints.push(podEndpoint(pod, svc));
  }
  if (groups.size === 0) return [{ ports: [], endpoints: [] }];
  const out: DesiredSlice[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key) as DesiredSlice;
    g.endpoints.sort((a, b) => (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? ''));
    for (let i = 0; i < g.endpoints.length; i += maxEndpointsPerSlice) {
      out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + maxEndpointsPerSlice) });
    }
  }
  return out;
}

function podEndpoint(pod: Pod, svc: Service): Endpoint {
  const state = endpointState(pod, svc);
  const hostname = pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name ? pod.spec.hostname : undefined;
  return {
    addresses: [podIPv4(pod) ?? ''],
    conditions: { ready: state.ready, serving: state.serving, terminating: state.terminating },
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
  };
}

function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  labels[serviceNameLabel] = svc.metadata.name ?? '';
  labels[managedByLabel] = managedByValue;
  if (svc.spec?.clusterIP === 'None') labels[headlessLabel] = '';
  return labels;
}

function sliceObject(svc: Service, want: DesiredSlice): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name ?? ''}-`,
      namespace: svc.metadata.namespace ?? '',
      labels: sliceLabels(svc),
      ownerReferences: [controllerRef(svc, 'v1', 'Service')],
    },
    addressType: 'IPv4',
    endpoints: want.endpoints,
    ports: want.ports,
  };
}

function sliceMatches(slice: EndpointSlice, svc: Service, want: DesiredSlice): boolean {
  const ownerOk = (slice.metadata.ownerReferences ?? []).some((r) => r.uid === svc.metadata.uid && r.controller === true);
  return (
    ownerOk &&
    slice.addressType === 'IPv4' &&
    portsKey(slice.ports ?? []) === portsKey(want.ports) &&
    canonicalJson(slice.endpoints ?? []) === canonicalJson(want.endpoints) &&
    canonicalJson(slice.metadata.labels ?? {}) === canonicalJson(sliceLabels(svc))
  );
}

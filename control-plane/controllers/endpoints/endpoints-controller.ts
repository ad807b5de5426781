// The legacy Endpoints controller (upstream's pkg/controller/endpoint): one Endpoints object per Service
// with a selector, named as the Service, listing ready pods under `addresses` and the others under
// `notReadyAddresses`, one subset per distinct set of resolved ports. Terminating pods are left out
// (unless publishNotReadyAddresses). The object is written only when its content changed.
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../../api/errors.js';
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, Service } from '../../../api/index.js';
import type { Informer } from '../../../client/index.js';
import { canonicalJson } from '../canonical-json.js';
import type { ControllerContext } from '../controller-context.js';
import { isPodReady } from '../pod-util.js';
import { splitKey } from '../queue-controller.js';
import { endpointsResource } from '../resources.js';
import { podIPv4, resolvePorts, shouldPodBeInEndpoints } from './endpoint-pods.js';
import { headlessLabel } from './endpointslice-controller.js';
import { ServicePodController } from './service-pod-controller.js';

/** Tells the EndpointSlice mirroring controller not to mirror what this controller writes (upstream's label). */
export const skipMirrorLabel = 'endpointslice.kubernetes.io/skip-mirror';

export class EndpointsController extends ServicePodController {
  private readonly endpoints: Informer<Endpoints>;

  constructor(ctx: ControllerContext) {
    super('endpoints', ctx);
    this.endpoints = ctx.informers.forResource<Endpoints>(endpointsResource);
    this.endpoints.addEventHandler({
      // Someone changed or removed what we maintain: put it back if it belongs to a managed Service.
      onUpdate: (_o, e) => this.queue.add(`${e.metadata.namespace}/${e.metadata.name}`),
      onDelete: (e) => this.queue.add(`${e.metadata.namespace}/${e.metadata.name}`),
    });
  }

  async reconcile(key: string): Promise<void> {
    const { namespace = '', name } = splitKey(key);
    const svc = this.services.get(key);
    if (!svc) {
      if (!this.endpoints.get(key)) return;
      try {
        await this.ctx.client.delete(endpointsResource, name, { namespace });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
      return;
    }
    if (!ServicePodController.hasSelector(svc) || svc.spec?.type === 'ExternalName') return;
    const subsets = desiredSubsets(svc, this.selectedPods(svc));
    const labels = endpointsLabels(svc);
    const current = this.endpoints.get(key);
    if (current && sameContent(current, subsets, labels)) return;
    await this.write(svc, current, subsets, labels);
  }

  private async write(svc: Service, cached: Endpoints | undefined, subsets: EndpointSubset[], labels: Record<string, string>): Promise<void> {
    const namespace = svc.metadata.namespace ?? '';
    const name = svc.metadata.name ?? '';
    const body = (base: Endpoints | undefined): Endpoints => ({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(base?.metadata ?? { name, namespace }), labels },
      ...(subsets.length > 0 ? { subsets } : {}),
    });
    try {
      if (cached) await this.ctx.client.update(endpointsResource, body(cached));
      else await this.ctx.client.create(endpointsResource, body(undefined), { namespace });
    } catch (err) {
      // The cache lagged (our own earlier write, or someone else's): decide again from the live object.
      if (!(err instanceof AlreadyExistsError || err instanceof ConflictError || err instanceof NotFoundError)) throw err;
      let live: Endpoints | undefined;
      try {
        live = await this.ctx.client.get<Endpoints>(endpointsResource, name, { namespace });
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
      if (live && sameContent(live, subsets, labels)) return;
      if (live) await this.ctx.client.update(endpointsResource, body(live));
      else await this.ctx.client.create(endpointsResource, body(undefined), { namespace });
    }
  }
}

function endpointsLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [skipMirrorLabel]: 'true' };
  if (svc.spec?.clusterIP === 'None') labels[headlessLabel] = '';
  return labels;
}

function sameContent(e: Endpoints, subsets: EndpointSubset[], labels: Record<string, string>): boolean {
  return canonicalJson(e.subsets ?? []) === canonicalJson(subsets) && canonicalJson(e.metadata.labels ?? {}) === canonicalJson(labels);
}

function address(pod: Pod, svc: Service): EndpointAddress {
  const hostname = pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name ? pod.spec.hostname : undefined;
  return {
    ip: podIPv4(pod) ?? '',
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
  };
}

/** Upstream's subsets after RepackSubsets: addresses grouped by the exact set of ports they serve. */
export function desiredSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const headlessWithoutPorts = (svc.spec?.ports ?? []).length === 0 && svc.spec?.clusterIP === 'None';
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ports: EndpointPort[] = resolvePorts(pod, svc)
      .map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }))
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
    // A pod that serves none of the ports is not an endpoint (except for a headless service without ports).
    if (ports.length === 0 && !headlessWithoutPorts) continue;
    const key = canonicalJson(ports);
    const g = groups.get(key) ?? { ports, ready: [], notReady: [] };
    groups.set(key, g);
    (publishNotReady || isPodReady(pod) ? g.ready : g.notReady).push(address(pod, svc));
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');
  return [...groups.keys()].sort().map((key) => {
    const g = groups.get(key) as { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] };
    return {
      ...(g.ready.length > 0 ? { addresses: g.ready.sort(byIp) } : {}),
      ...(g.notReady.length > 0 ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
      ...(g.ports.length > 0 ? { ports: g.ports } : {}),
    };
  });
}

// The shared wiring of the EndpointSlice and Endpoints controllers (upstream's endpoint controllers both
// do this): a Service is re-synced when it changes and when any pod its selector matches (before or after
// a change) is added, updated or deleted.
import type { Pod, Service } from '../../../api/index.js';
import { selectorFromSet } from '../../../api/index.js';
import type { Informer } from '../../../client/index.js';
import type { ControllerContext } from '../controller-context.js';
import { byNamespace, ensureNamespaceIndex } from '../index-funcs.js';
import { QueueController } from '../queue-controller.js';
import { podsResource, servicesResource } from '../resources.js';

export abstract class ServicePodController extends QueueController {
  protected readonly services: Informer<Service>;
  protected readonly pods: Informer<Pod>;

  constructor(name: string, ctx: ControllerContext) {
    super(name, ctx);
    this.services = ctx.informers.forResource<Service>(servicesResource);
    this.pods = ctx.informers.forResource<Pod>(podsResource);
    ensureNamespaceIndex(this.services);
    ensureNamespaceIndex(this.pods);
    this.services.addEventHandler({
      onAdd: (s) => this.enqueue(s),
      onUpdate: (_o, s) => this.enqueue(s),
      onDelete: (s) => this.enqueue(s),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueueServicesOf(p),
      onUpdate: (old, p) => {
        if (old.metadata.resourceVersion === p.metadata.resourceVersion) return;
        this.enqueueServicesOf(p);
        if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(p.metadata.labels ?? {})) this.enqueueServicesOf(old);
      },
      onDelete: (p) => this.enqueueServicesOf(p),
    });
  }

  private enqueueServicesOf(pod: Pod): void {
    for (const svc of this.services.byIndex(byNamespace, pod.metadata.namespace ?? '')) {
      const selector = svc.spec?.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      if (selectorFromSet(selector).matches(pod.metadata.labels)) this.enqueue(svc);
    }
  }

  /** The pods in the service's namespace that its selector matches. */
  protected selectedPods(svc: Service): Pod[] {
    const selector = selectorFromSet(svc.spec?.selector ?? {});
    return this.pods.byIndex(byNamespace, svc.metadata.namespace ?? '').filter((p) => selector.matches(p.metadata.labels));
  }

  /** A service the controller manages: it has a non-empty selector (others' endpoints are user-managed). */
  protected static hasSelector(svc: Service): boolean {
    return Object.keys(svc.spec?.selector ?? {}).length > 0;
  }
}

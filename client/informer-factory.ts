// Shared informers (client-go's SharedInformerFactory): controllers that need the same resource with the
// same scope get one Informer, so a control plane with many controllers still holds one watch per resource.
import type { KubeObject } from '../api/object.js';
import { groupVersion, type ResourceInfo } from '../api/resources.js';
import { Informer, type InformerOptions } from './informer.js';
import type { RestClient } from './rest-client.js';

/** What makes two informers the same: resource and scope. Shared settings come from the factory. */
export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    private readonly client: RestClient,
    /** Applied to every informer made here (resync period, clock, logger, back-off). */
    private readonly defaults: Omit<InformerOptions, keyof InformerScope> = {},
  ) {}

  /** The shared informer for `resource` in `scope`, created on first request (and started if the factory is). */
  forResource<T extends KubeObject = KubeObject>(resource: ResourceInfo, scope: InformerScope = {}): Informer<T> {
    const key = [groupVersion(resource), resource.plural, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer<KubeObject>(this.client, resource, { ...this.defaults, ...scope });
      this.informers.set(key, informer);
      if (this.started) informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  /** Starts every informer requested so far, and any requested later. */
  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  /** Resolves true once every informer has synced; false on timeout or stop. */
  async waitForSync(timeoutMs?: number): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(timeoutMs)));
    return results.every(Boolean);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}

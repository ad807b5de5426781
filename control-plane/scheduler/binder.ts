// Binding a pod to its node through the API (upstream's DefaultBinder): POST pods/<name>/binding. A seam
// so tests can make bindings fail the ways the API server can (409 already bound, 5xx).
import { findResource, type ResourceInfo } from '../../api/resources.js';
import type { Pod } from '../../api/types/pod.js';
import type { RestClient } from '../../client/rest-client.js';

const podsResource = findResource('', 'v1', 'pods') as ResourceInfo;

export interface PodBinder {
  /** Binds `pod` to `nodeName`; rejects with the API's typed error (ConflictError when already bound). */
  bind(pod: Pod, nodeName: string): Promise<void>;
}

export class ApiBinder implements PodBinder {
  constructor(private readonly client: RestClient) {}

  async bind(pod: Pod, nodeName: string): Promise<void> {
    const namespace = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    await this.client.createSubresource(
      podsResource,
      name,
      'binding',
      { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } },
      { namespace },
    );
  }
}

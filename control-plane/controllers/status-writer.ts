// Writing a controller-computed status through the status subresource. A conflict means the object
// changed since the cache saw it; the status is still what the controller observed, so it is re-applied
// to the fresh object (as upstream's updateReplicaSetStatus does) a few times before giving up.
import { ConflictError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { retryOnConflict, type RestClient } from '../../client/index.js';

export async function writeStatus<T extends KubeObject>(client: RestClient, r: ResourceInfo, obj: T, status: unknown): Promise<T> {
  let current: T = obj;
  return retryOnConflict(async () => {
    try {
      return await client.updateStatus<T>(r, { ...current, status });
    } catch (err) {
      if (err instanceof ConflictError) current = await client.get<T>(r, obj.metadata.name ?? '', { namespace: obj.metadata.namespace });
      throw err;
    }
  });
}

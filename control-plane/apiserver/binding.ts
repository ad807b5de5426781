// POST pods/<name>/binding: the scheduler's way to set spec.nodeName, exactly once per pod.
import { BadRequestError, ConflictError } from '../../api/errors.js';
import type { KubeObject, Status } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isRecord } from './body.js';
import { nowTimestamp } from './object-meta.js';
import type { ResourceContext, WriteOptions } from './resource-context.js';
import { guaranteedUpdate } from './update.js';

function bindingConflict(name: string, why: string): ConflictError {
  return new ConflictError({ kind: 'pods/binding', name }, why);
}

export async function bindPod(
  ctx: ResourceContext,
  r: ResourceInfo,
  namespace: string | undefined,
  name: string,
  binding: KubeObject,
  options: WriteOptions,
): Promise<Status> {
  if (binding.kind !== undefined && binding.kind !== 'Binding') throw new BadRequestError(`the kind in the data (${binding.kind}) does not match the expected kind (Binding)`);
  if (binding.metadata.name !== undefined && binding.metadata.name !== name) {
    throw new BadRequestError(`the name of the object (${binding.metadata.name}) does not match the name on the URL (${name})`);
  }
  const target = isRecord(binding.target) ? binding.target : undefined;
  const node = target?.name;
  if (typeof node !== 'string' || node === '') throw new BadRequestError('binding target must name a node (target.name)');
  if (target?.kind !== undefined && target.kind !== 'Node') throw new BadRequestError('binding target must be a Node');
  await guaranteedUpdate(ctx, r, namespace, name, 'binding', options, (pod) => {
    const spec = isRecord(pod.spec) ? pod.spec : {};
    if (pod.metadata.deletionTimestamp) throw bindingConflict(name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
      throw bindingConflict(name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    }
    const status = isRecord(pod.status) ? pod.status : {};
    const conditions = Array.isArray(status.conditions) ? status.conditions.filter((c) => !(isRecord(c) && c.type === 'PodScheduled')) : [];
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowTimestamp() });
    // The binding is the one main-resource write that also touches status (PodScheduled), as upstream.
    return { ...pod, spec: { ...spec, nodeName: node }, status: { ...status, conditions } };
  }, false);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

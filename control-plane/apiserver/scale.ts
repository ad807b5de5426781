// The `scale` subresource of Deployments and ReplicaSets: an autoscaling/v1 Scale view of
// spec.replicas (what `kubectl scale` and the HPA read and write).
import { BadRequestError, InvalidError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isRecord } from './body.js';
import { applyPatch } from './patch/apply-patch.js';
import { getOrNotFound, subjectOf, type ResourceContext, type WriteOptions } from './resource-context.js';
import { guaranteedUpdate } from './update.js';

const scaleResource: ResourceInfo = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  plural: 'scale',
  singular: 'scale',
  namespaced: true,
  shortNames: [],
  categories: [],
  subresources: [],
  verbs: [],
};

/** A label selector in its string form (`app=web,tier in (a,b)`), as Scale.status.selector carries it. */
export function selectorString(selector: unknown): string {
  if (!isRecord(selector)) return '';
  const terms: string[] = [];
  if (isRecord(selector.matchLabels)) {
    for (const [k, v] of Object.entries(selector.matchLabels)) terms.push(`${k}=${String(v)}`);
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const e of selector.matchExpressions) {
      if (!isRecord(e)) continue;
      const values = Array.isArray(e.values) ? e.values.map(String).join(',') : '';
      const key = String(e.key ?? '');
      if (e.operator === 'In') terms.push(`${key} in (${values})`);
      else if (e.operator === 'NotIn') terms.push(`${key} notin (${values})`);
      else if (e.operator === 'Exists') terms.push(key);
      else if (e.operator === 'DoesNotExist') terms.push(`!${key}`);
    }
  }
  return terms.join(',');
}

export function toScale(obj: KubeObject): KubeObject {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const status = isRecord(obj.status) ? obj.status : {};
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0, selector: selectorString(spec.selector) },
  };
}

function wantedReplicas(r: ResourceInfo, name: string, scale: KubeObject): number {
  if (scale.kind !== undefined && scale.kind !== 'Scale') throw new BadRequestError(`the kind in the data (${scale.kind}) does not match the expected kind (Scale)`);
  const replicas = isRecord(scale.spec) ? scale.spec.replicas : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new InvalidError({ ...subjectOf(r, name), kind: 'Scale' }, [
      { field: 'spec.replicas', type: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` },
    ]);
  }
  return replicas;
}

export async function getScale(ctx: ResourceContext, r: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
  return toScale((await getOrNotFound(ctx, r, namespace, name)).object);
}

/** PUT or PATCH of the Scale: `patch` undefined means `body` is the whole new Scale. */
export async function writeScale(
  ctx: ResourceContext,
  r: ResourceInfo,
  namespace: string | undefined,
  name: string,
  input: { body: KubeObject } | { patch: unknown; mediaType: string },
  options: WriteOptions,
): Promise<KubeObject> {
  const pinned = 'body' in input && !!input.body.metadata.resourceVersion;
  const updated = await guaranteedUpdate(ctx, r, namespace, name, 'main', options, (current) => {
    const scale = 'body' in input ? input.body : applyPatch(scaleResource, toScale(current), input.patch, input.mediaType);
    const replicas = wantedReplicas(r, name, scale);
    const spec = isRecord(current.spec) ? current.spec : {};
    const next: KubeObject = { ...current, spec: { ...spec, replicas } };
    if (scale.metadata.resourceVersion) next.metadata = { ...current.metadata, resourceVersion: scale.metadata.resourceVersion };
    return next;
  }, pinned);
  return toScale(updated);
}

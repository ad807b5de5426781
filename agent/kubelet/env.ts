// A container's environment, as upstream's makeEnvironmentVariables: envFrom sources first (ConfigMap or
// Secret keys, with prefix), then env entries in order, each value expanded with $(VAR) against the
// variables defined before it. A missing non-optional ConfigMap/Secret or key is an error the pod shows as
// CreateContainerConfigError.
import type { Container, Pod } from '../../api/index.js';
import { expand } from './expansion.js';
import { fieldRefValue, resourceFieldRefValue, type FieldContext } from './field-ref.js';
import { secretText, type ObjectSource } from './object-source.js';

/** A configuration error: the container cannot be created until the referenced object appears. */
export class ContainerConfigError extends Error {}

export interface EnvContext extends FieldContext {
  objects: ObjectSource;
  /** Node allocatable, for resourceFieldRef limits that are unset. */
  allocatable: Record<string, string>;
}

export interface EnvVarPair {
  name: string;
  value: string;
}

/** The resolved environment of `container`, in order (later duplicates override earlier ones). */
export async function makeEnvironment(pod: Pod, container: Container, ctx: EnvContext): Promise<EnvVarPair[]> {
  const ns = pod.metadata.namespace ?? 'default';
  const vars = new Map<string, string>();
  for (const src of container.envFrom ?? []) {
    const prefix = src.prefix ?? '';
    if (src.configMapRef) {
      const cm = await ctx.objects.configMap(ns, src.configMapRef.name ?? '');
      if (!cm) {
        if (src.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${src.configMapRef.name ?? ''}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) vars.set(prefix + k, v);
    }
    if (src.secretRef) {
      const s = await ctx.objects.secret(ns, src.secretRef.name ?? '');
      if (!s) {
        if (src.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${src.secretRef.name ?? ''}" not found`);
      }
      for (const [k, v] of Object.entries(secretText(s))) vars.set(prefix + k, v);
    }
  }
  for (const e of container.env ?? []) {
    const value = await envValue(pod, container, e, ns, vars, ctx);
    if (value !== undefined) vars.set(e.name, value);
  }
  return [...vars].map(([name, value]) => ({ name, value }));
}

async function envValue(
  pod: Pod,
  container: Container,
  e: NonNullable<Container['env']>[number],
  ns: string,
  vars: Map<string, string>,
  ctx: EnvContext,
): Promise<string | undefined> {
  if (e.value !== undefined || !e.valueFrom) return expand(e.value ?? '', (n) => vars.get(n));
  const from = e.valueFrom;
  if (from.fieldRef) return fieldRefValue(pod, from.fieldRef, ctx);
  if (from.resourceFieldRef) return resourceFieldRefValue(pod, from.resourceFieldRef, container.name, ctx.allocatable);
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const cm = await ctx.objects.configMap(ns, ref.name ?? '');
    const v = cm?.data?.[ref.key];
    if (v !== undefined) return v;
    if (ref.optional) return undefined;
    throw new ContainerConfigError(cm ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name ?? ''}` : `configmap "${ref.name ?? ''}" not found`);
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const s = await ctx.objects.secret(ns, ref.name ?? '');
    const v = s ? secretText(s)[ref.key] : undefined;
    if (v !== undefined) return v;
    if (ref.optional) return undefined;
    throw new ContainerConfigError(s ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name ?? ''}` : `secret "${ref.name ?? ''}" not found`);
  }
  return '';
}

/** Command or args with $(VAR) expanded against the container's environment. */
export function expandArgs(args: string[] | undefined, env: EnvVarPair[]): string[] {
  const m = new Map(env.map((e) => [e.name, e.value]));
  return (args ?? []).map((a) => expand(a, (n) => m.get(n)));
}

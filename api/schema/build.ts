// Small constructors so the definition files read like upstream's Go structs: one line per field.
import { kindDescriptions, typeMetaDescriptions as d } from './descriptions.js';
import type { Definition, FieldSchema } from './field-schema.js';

export const core = 'io.k8s.api.core.v1.';
export const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export const str: FieldSchema = { type: 'string' };
export const dateTime: FieldSchema = { type: 'string', format: 'date-time' };
export const bytes: FieldSchema = { type: 'string', format: 'byte' };
export const int32: FieldSchema = { type: 'integer', format: 'int32' };
export const int64: FieldSchema = { type: 'integer', format: 'int64' };
export const num: FieldSchema = { type: 'number' };
export const bool: FieldSchema = { type: 'boolean' };
export const quantity: FieldSchema = { type: 'quantity' };
export const intOrString: FieldSchema = { type: 'int-or-string' };
export const anyJson: FieldSchema = { type: 'any' };
export const stringMap: FieldSchema = { type: 'map', values: str };
export const quantityMap: FieldSchema = { type: 'map', values: quantity };

export function ref(name: string): FieldSchema {
  return { type: 'ref', ref: name };
}

export function enumOf(...values: string[]): FieldSchema {
  return { type: 'string', enum: values };
}

export function map(values: FieldSchema): FieldSchema {
  return { type: 'map', values };
}

/** A list replaced wholesale by strategic merge patch (upstream's default: no patch tags). */
export function list(items: FieldSchema, listType: 'atomic' | 'set' = 'atomic'): FieldSchema {
  return { type: 'array', items, listType };
}

/** A list strategic merge patch merges element-wise by `key` (patchStrategy=merge, patchMergeKey=key). */
export function mergeList(
  items: FieldSchema,
  key: string,
  opts: { listMapKeys?: readonly string[]; retainKeys?: boolean; listType?: 'map' | 'atomic' } = {},
): FieldSchema {
  const listType = opts.listType ?? 'map';
  const schema: FieldSchema = { type: 'array', items, mergeKey: key, patchStrategy: 'merge', listType };
  if (listType === 'map') schema.listMapKeys = opts.listMapKeys ?? [key];
  if (opts.retainKeys) schema.retainKeys = true;
  return schema;
}

/** A list of scalars merged as a set (patchStrategy=merge without a key, e.g. finalizers). */
export function mergeSet(items: FieldSchema): FieldSchema {
  return { type: 'array', items, patchStrategy: 'merge', listType: 'set' };
}

export function def(
  name: string,
  properties: Record<string, FieldSchema>,
  extra: Omit<Definition, 'name' | 'properties'> = {},
): Definition {
  return { name, properties, ...extra };
}

/**
 * A top-level kind: TypeMeta + ObjectMeta + its own fields, tagged with the GVK it is served as
 * (OpenAPI's x-kubernetes-group-version-kind, which kubectl uses to find the schema of a kind).
 */
export function kind(
  name: string,
  gvk: { group: string; version: string; kind: string },
  properties: Record<string, FieldSchema>,
  extra: Omit<Definition, 'name' | 'properties' | 'gvk'> = {},
): Definition {
  const described = (field: string, text: string): FieldSchema | undefined => {
    const f = properties[field];
    return f ? { ...f, description: text } : undefined;
  };
  const spec = described('spec', d.spec);
  const status = described('status', d.status);
  return def(
    name,
    {
      apiVersion: { ...str, description: d.apiVersion },
      kind: { ...str, description: d.kind },
      metadata: { ...ref(`${meta}ObjectMeta`), description: d.metadata },
      ...properties,
      ...(spec ? { spec } : {}),
      ...(status ? { status } : {}),
    },
    { ...(kindDescriptions[gvk.kind] ? { description: kindDescriptions[gvk.kind] } : {}), ...extra, gvk },
  );
}

/** The `<Kind>List` definition for a kind: ListMeta plus items. */
export function listKind(itemName: string, gvk: { group: string; version: string; kind: string }): Definition {
  return def(
    `${itemName}List`,
    {
      apiVersion: { ...str, description: d.apiVersion },
      kind: { ...str, description: d.kind },
      metadata: { ...ref(`${meta}ListMeta`), description: d.listMetadata },
      items: { ...list(ref(itemName)), description: `List of ${gvk.kind} objects.` },
    },
    { description: `${gvk.kind}List is a list of ${gvk.kind} objects.`, required: ['items'], gvk: { ...gvk, kind: `${gvk.kind}List` } },
  );
}

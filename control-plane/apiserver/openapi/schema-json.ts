// Field schemas rendered as OpenAPI schema objects, with upstream's vendor extensions: kubectl reads
// x-kubernetes-patch-merge-key / -patch-strategy to build strategic merge patches (apply, edit) and
// x-kubernetes-group-version-kind to find the schema of a kind.
import type { Definition, FieldSchema } from '../../../api/schema/index.js';

export type JsonObject = { [key: string]: unknown };

export type OpenApiFlavour = 'v2' | 'v3';

export const quantityName = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const intOrStringName = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

function refTo(name: string, flavour: OpenApiFlavour): JsonObject {
  return { $ref: flavour === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}` };
}

/**
 * A property that is a named definition. OpenAPI 3 forbids siblings next to $ref, so upstream's v3
 * documents wrap it in allOf (keeping description/default beside it); v2 uses a bare $ref.
 */
function namedField(name: string, flavour: OpenApiFlavour, description?: string): JsonObject {
  if (flavour === 'v2') return { ...refTo(name, flavour), ...(description ? { description } : {}) };
  return { allOf: [refTo(name, flavour)], ...(description ? { description } : {}) };
}

export function fieldToOpenApi(schema: FieldSchema, flavour: OpenApiFlavour): JsonObject {
  const description = schema.description ? { description: schema.description } : {};
  switch (schema.type) {
    case 'string':
      return {
        type: 'string',
        ...(schema.format ? { format: schema.format } : {}),
        ...(schema.enum ? { enum: [...schema.enum] } : {}),
        ...description,
      };
    case 'quantity':
      return namedField(quantityName, flavour, schema.description);
    case 'int-or-string':
      return namedField(intOrStringName, flavour, schema.description);
    case 'integer':
      return { type: 'integer', ...(schema.format ? { format: schema.format } : {}), ...description };
    case 'number':
      return { type: 'number', format: 'double', ...description };
    case 'boolean':
      return { type: 'boolean', ...description };
    case 'ref':
      return namedField(schema.ref, flavour, schema.description);
    case 'map':
      return { type: 'object', additionalProperties: fieldToOpenApi(schema.values, flavour), ...description };
    case 'any':
      return { type: 'object', ...description };
    case 'array':
      return arrayToOpenApi(schema, flavour);
  }
}

function arrayToOpenApi(schema: Extract<FieldSchema, { type: 'array' }>, flavour: OpenApiFlavour): JsonObject {
  const out: JsonObject = { type: 'array', items: fieldToOpenApi(schema.items, flavour) };
  if (schema.description) out.description = schema.description;
  if (schema.listType) out['x-kubernetes-list-type'] = schema.listType;
  if (schema.listType === 'map' && schema.listMapKeys) out['x-kubernetes-list-map-keys'] = [...schema.listMapKeys];
  if (schema.mergeKey) out['x-kubernetes-patch-merge-key'] = schema.mergeKey;
  if (schema.patchStrategy === 'merge') {
    out['x-kubernetes-patch-strategy'] = schema.retainKeys ? 'merge,retainKeys' : 'merge';
  }
  return out;
}

export function definitionToOpenApi(d: Definition, flavour: OpenApiFlavour): JsonObject {
  const properties: JsonObject = {};
  for (const [name, field] of Object.entries(d.properties)) properties[name] = fieldToOpenApi(field, flavour);
  return {
    type: 'object',
    ...(d.description ? { description: d.description } : {}),
    properties,
    ...(d.required?.length ? { required: [...d.required] } : {}),
    ...(d.gvk ? { 'x-kubernetes-group-version-kind': [{ ...d.gvk }] } : {}),
  };
}

/** Quantity and IntOrString are leaf types upstream publishes as named definitions. */
export function leafDefinitions(flavour: OpenApiFlavour): Record<string, JsonObject> {
  const quantity =
    flavour === 'v3'
      ? { oneOf: [{ type: 'string' }, { type: 'number' }] }
      : { type: 'string' };
  return {
    [quantityName]: { description: 'Quantity is a fixed-point representation of a number.', ...quantity },
    [intOrStringName]: {
      description: 'IntOrString is a type that can hold an int32 or a string.',
      type: 'string',
      format: 'int-or-string',
    },
  };
}

/** Every definition name reachable from `roots` through refs, roots included. */
export function reachableDefinitions(roots: Iterable<string>, lookup: (name: string) => Definition | undefined): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  const visitField = (f: FieldSchema): void => {
    if (f.type === 'ref') pending.push(f.ref);
    else if (f.type === 'array') visitField(f.items);
    else if (f.type === 'map') visitField(f.values);
  };
  while (pending.length) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    const d = lookup(name);
    if (!d) continue;
    seen.add(name);
    Object.values(d.properties).forEach(visitField);
  }
  return seen;
}

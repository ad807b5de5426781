// Strategic merge patch, the patch kubectl apply/edit/patch send by default. Like a JSON merge patch,
// except lists that the schema marks `patchStrategy: merge` merge element-wise by their merge key
// (containers by name, ports by containerPort, ...) or as sets (finalizers), and these directives:
//   `$patch: replace|delete|merge` on a map or list element, `$setElementOrder/<list>`,
//   `$retainKeys`, `$deleteFromPrimitiveList/<list>`.
// Fields the schema does not know behave as in a JSON merge patch (lists replaced), which is also what
// upstream does for types without patch metadata.
import { BadRequestError } from '../../../api/errors.js';
import type { Definition, FieldSchema } from '../../../api/schema/field-schema.js';
import { isRecord } from '../body.js';
import { deepEqual } from './json-patch.js';

/** Looks up named definitions (api/schema's getDefinition). */
export type DefinitionLookup = (name: string) => Definition | undefined;

const deleteMarker = Symbol('delete');
type Merged = Record<string, unknown> | typeof deleteMarker;

class Merger {
  constructor(private readonly lookup: DefinitionLookup) {}

  property(schema: FieldSchema | undefined, key: string): FieldSchema | undefined {
    if (!schema) return undefined;
    if (schema.type === 'map') return schema.values;
    if (schema.type === 'ref') return this.lookup(schema.ref)?.properties[key];
    return undefined;
  }

  mergeMap(original: Record<string, unknown>, patch: Record<string, unknown>, schema: FieldSchema | undefined): Merged {
    const directive = patch.$patch;
    if (directive === 'delete') return deleteMarker;
    if (directive === 'replace') {
      const { $patch: _ignored, ...rest } = patch;
      return this.mergeMap({}, rest, schema) as Record<string, unknown>;
    }
    if (directive !== undefined && directive !== 'merge') throw new BadRequestError(`unknown patch type: ${String(directive)}`);
    const result: Record<string, unknown> = { ...original };
    const orders: [string, unknown][] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (key === '$patch' || key === '$retainKeys') continue;
      if (key.startsWith('$setElementOrder/')) {
        orders.push([key.slice('$setElementOrder/'.length), value]);
        continue;
      }
      if (key.startsWith('$deleteFromPrimitiveList/')) {
        const field = key.slice('$deleteFromPrimitiveList/'.length);
        if (!Array.isArray(value)) throw new BadRequestError(`${key} must be a list`);
        const current = result[field];
        if (Array.isArray(current)) result[field] = current.filter((v) => !value.some((d) => deepEqual(d, v)));
        continue;
      }
      if (key.startsWith('$')) continue;
      if (value === null) {
        delete result[key];
        continue;
      }
      const fieldSchema = this.property(schema, key);
      if (Array.isArray(value)) {
        result[key] = this.mergeList(result[key], value, fieldSchema);
      } else if (isRecord(value)) {
        const base = isRecord(result[key]) ? result[key] : {};
        const merged = this.mergeMap(base, value, fieldSchema);
        if (merged === deleteMarker) delete result[key];
        else result[key] = merged;
      } else {
        result[key] = value;
      }
    }
    for (const [field, order] of orders) this.applyOrder(result, field, order, this.property(schema, field));
    const retain = patch.$retainKeys;
    if (retain !== undefined) {
      if (!Array.isArray(retain)) throw new BadRequestError('$retainKeys must be a list');
      for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
    }
    return result;
  }

  /** A copy of new content with directives stripped (content that has nothing to merge into). */
  fresh(value: unknown, schema: FieldSchema | undefined): unknown {
    if (Array.isArray(value)) {
      const items = schema?.type === 'array' ? schema.items : undefined;
      return value.filter((v) => !(isRecord(v) && v.$patch === 'delete')).map((v) => this.fresh(v, items));
    }
    if (isRecord(value)) {
      const merged = this.mergeMap({}, value, schema);
      return merged === deleteMarker ? undefined : merged;
    }
    return value;
  }

  mergeList(original: unknown, patch: unknown[], schema: FieldSchema | undefined): unknown[] {
    if (schema?.type !== 'array' || schema.patchStrategy !== 'merge') return this.fresh(patch, schema) as unknown[];
    const items = schema.items;
    const replaceAll = patch.some((p) => isRecord(p) && p.$patch === 'replace');
    if (replaceAll) return this.fresh(patch.filter((p) => !(isRecord(p) && p.$patch === 'replace')), schema) as unknown[];
    const result = Array.isArray(original) ? [...original] : [];
    const key = schema.mergeKey;
    if (!key) {
      for (const p of patch) if (!result.some((r) => deepEqual(r, p))) result.push(structuredClone(p));
      return result;
    }
    for (const p of patch) {
      if (!isRecord(p)) throw new BadRequestError(`the list merged by "${key}" must hold objects`);
      const index = result.findIndex((r) => isRecord(r) && deepEqual(r[key], p[key]));
      if (p.$patch === 'delete') {
        if (index >= 0) result.splice(index, 1);
        continue;
      }
      const base = index >= 0 && isRecord(result[index]) ? (result[index] as Record<string, unknown>) : {};
      const merged = this.mergeMap(base, p, items);
      if (merged === deleteMarker) {
        if (index >= 0) result.splice(index, 1);
      } else if (index >= 0) {
        result[index] = merged;
      } else {
        result.push(merged);
      }
    }
    return result;
  }

  /** `$setElementOrder/<field>`: elements named in the order come first, in that order. */
  applyOrder(target: Record<string, unknown>, field: string, order: unknown, schema: FieldSchema | undefined): void {
    const list = target[field];
    if (!Array.isArray(list) || !Array.isArray(order)) return;
    const key = schema?.type === 'array' ? schema.mergeKey : undefined;
    const rank = (item: unknown): number => {
      const i = order.findIndex((o) => (key && isRecord(o) && isRecord(item) ? deepEqual(o[key], item[key]) : deepEqual(o, item)));
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    target[field] = list
      .map((item, position) => ({ item, position, rank: rank(item) }))
      .sort((a, b) => a.rank - b.rank || a.position - b.position)
      .map((e) => e.item);
  }
}

/**
 * Applies a strategic merge patch to `original`. `root` is the schema of the object's kind (a `ref` to
 * its definition), or undefined when unknown.
 */
export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  root: FieldSchema | undefined,
  lookup: DefinitionLookup,
): unknown {
  if (!isRecord(patch)) throw new BadRequestError('a strategic merge patch must be a JSON object');
  const merged = new Merger(lookup).mergeMap(isRecord(original) ? original : {}, patch, root);
  return merged === deleteMarker ? {} : structuredClone(merged);
}

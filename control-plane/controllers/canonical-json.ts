// JSON with object keys sorted at every level (undefined members dropped), so semantically equal objects
// serialize equally: template hashing and "changed?" checks before writes use it.
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Drops what Go's zero values make invisible: nulls, empty objects and empty arrays, recursively. */
function withoutZeroValues(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(withoutZeroValues);
    return items.length === 0 ? undefined : items.map((v) => (v === undefined ? null : v));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const n = withoutZeroValues(v);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

/**
 * canonicalJson after dropping nulls, empty objects and empty arrays: upstream compares templates with
 * apimachinery's semantic equality, where `creationTimestamp: null`, `resources: {}` and an absent field
 * are all the same Go zero value; kubectl sends the former, so they must compare (and hash) equal here.
 */
export function semanticJson(value: unknown): string {
  return canonicalJson(withoutZeroValues(value) ?? {});
}

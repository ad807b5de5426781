// Read-only access to the untyped parts of a stored object: printers must not throw on a half-filled
// object (a pod the kubelet has not reported on yet), so every accessor has a neutral default.

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = obj(current)[key];
  return current;
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function int(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function orNone(s: string): string {
  return s === '' ? '<none>' : s;
}

/** labels.FormatLabels: `k=v` pairs sorted by key, comma-joined; `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(obj(labels)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return orNone(entries.map(([k, v]) => `${k}=${str(v)}`).join(','));
}

/** A metav1.LabelSelector as a selector string (`app=web,tier in (a,b),!legacy`), sorted by key. */
export function formatLabelSelector(selector: unknown): string {
  const parts: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(obj(at(selector, 'matchLabels')))) parts.push([k, `${k}=${str(v)}`]);
  for (const e of list(at(selector, 'matchExpressions'))) {
    const key = str(e.key);
    const values = strings(e.values).sort().join(',');
    switch (str(e.operator)) {
      case 'In':
        parts.push([key, `${key} in (${values})`]);
        break;
      case 'NotIn':
        parts.push([key, `${key} notin (${values})`]);
        break;
      case 'Exists':
        parts.push([key, key]);
        break;
      case 'DoesNotExist':
        parts.push([key, `!${key}`]);
        break;
    }
  }
  parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return orNone(parts.map(([, s]) => s).join(','));
}

/** `a,b,c` or `a,b,c + 4 more...`, as the endpoint printers shorten long lists; `empty` when none. */
export function listWithMore(items: string[], total: number, max: number, empty: string): string {
  const shown = items.slice(0, max).join(',');
  if (total > max) return `${shown} + ${total - max} more...`;
  return shown === '' ? empty : shown;
}

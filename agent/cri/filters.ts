// CRI list filters. All set fields must match (AND); an empty field matches everything. IDs may be given
// as a unique prefix, as `docker ps --filter id=` and crictl accept.

/** A label selector matches when every key/value it names is present and equal. */
export function matchesLabelSelector(labels: Record<string, string>, selector: Record<string, string> | null | undefined): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** An id filter matches the full id or a prefix of it. */
export function matchesId(id: string, filter: string | null | undefined): boolean {
  return !filter || id.startsWith(filter);
}

export interface SandboxFilterInput {
  id?: string | null;
  state?: { state: string } | null;
  label_selector?: Record<string, string> | null;
}

export interface ContainerFilterInput {
  id?: string | null;
  state?: { state: string } | null;
  pod_sandbox_id?: string | null;
  label_selector?: Record<string, string> | null;
}

/** The list-entry fields a sandbox filter looks at. */
export interface SandboxListEntry {
  id: string;
  state: string;
  labels: Record<string, string>;
}

/** The list-entry fields a container filter looks at. */
export interface ContainerListEntry {
  id: string;
  state: string;
  pod_sandbox_id: string;
  labels: Record<string, string>;
}

export function matchesSandboxFilter(s: SandboxListEntry, f: SandboxFilterInput | null | undefined): boolean {
  if (!f) return true;
  return matchesId(s.id, f.id) && (!f.state || f.state.state === s.state) && matchesLabelSelector(s.labels, f.label_selector);
}

export function matchesContainerFilter(c: ContainerListEntry, f: ContainerFilterInput | null | undefined): boolean {
  if (!f) return true;
  return (
    matchesId(c.id, f.id) &&
    matchesId(c.pod_sandbox_id, f.pod_sandbox_id) &&
    (!f.state || f.state.state === c.state) &&
    matchesLabelSelector(c.labels, f.label_selector)
  );
}

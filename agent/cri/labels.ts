// Every sandbox and container Skiff creates carries its CRI metadata in Docker labels, so the Docker engine
// is the only state: a restarted CRI server rebuilds sandboxes and containers from `docker ps` alone.
// User labels and annotations are stored under prefixes so that no user key can collide with ours and both
// round-trip exactly (annotations must come back unaltered, CRI says).

/** The label prefix Skiff owns on Docker objects. */
export const labelPrefix = 'io.skiff.';
export const managedLabel = 'io.skiff.managed';
export const typeLabel = 'io.skiff.type';
export const podNameLabel = 'io.skiff.pod.name';
export const podNamespaceLabel = 'io.skiff.pod.namespace';
export const podUidLabel = 'io.skiff.pod.uid';
export const sandboxAttemptLabel = 'io.skiff.sandbox.attempt';
export const containerNameLabel = 'io.skiff.container.name';
export const containerAttemptLabel = 'io.skiff.container.attempt';
export const sandboxIdLabel = 'io.skiff.sandbox.id';
export const logPathLabel = 'io.skiff.log-path';
export const imageSpecLabel = 'io.skiff.image-spec';
export const userLabelPrefix = 'io.skiff.label/';
export const annotationPrefix = 'io.skiff.annotation/';

export type ObjectType = 'podsandbox' | 'container';

export interface SandboxMeta {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
}

export interface ContainerMeta {
  name: string;
  attempt: number;
  sandboxId: string;
  logPath: string;
  image: string;
}

function prefixed(prefix: string, map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[prefix + k] = v;
  return out;
}

function unprefixed(prefix: string, labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** Docker labels for a sandbox's pause container. */
export function encodeSandboxLabels(meta: SandboxMeta, labels: Record<string, string>, annotations: Record<string, string>): Record<string, string> {
  return {
    [managedLabel]: 'true',
    [typeLabel]: 'podsandbox',
    [podNameLabel]: meta.name,
    [podNamespaceLabel]: meta.namespace,
    [podUidLabel]: meta.uid,
    [sandboxAttemptLabel]: String(meta.attempt),
    ...prefixed(userLabelPrefix, labels),
    ...prefixed(annotationPrefix, annotations),
  };
}

/** Docker labels for a container of a sandbox. */
export function encodeContainerLabels(meta: ContainerMeta, labels: Record<string, string>, annotations: Record<string, string>): Record<string, string> {
  return {
    [managedLabel]: 'true',
    [typeLabel]: 'container',
    [containerNameLabel]: meta.name,
    [containerAttemptLabel]: String(meta.attempt),
    [sandboxIdLabel]: meta.sandboxId,
    [logPathLabel]: meta.logPath,
    [imageSpecLabel]: meta.image,
    ...prefixed(userLabelPrefix, labels),
    ...prefixed(annotationPrefix, annotations),
  };
}

/** What a Docker object's labels say it is, or undefined when Skiff did not create it. */
export function objectTypeOf(labels: Record<string, string> | undefined): ObjectType | undefined {
  const t = labels?.[typeLabel];
  return t === 'podsandbox' || t === 'container' ? t : undefined;
}

function attempt(v: string | undefined): number {
  const n = Number(v ?? '0');
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** The CRI metadata of a sandbox, read back from its labels. */
export function decodeSandboxMeta(labels: Record<string, string>): SandboxMeta {
  return {
    name: labels[podNameLabel] ?? '',
    namespace: labels[podNamespaceLabel] ?? '',
    uid: labels[podUidLabel] ?? '',
    attempt: attempt(labels[sandboxAttemptLabel]),
  };
}

/** The CRI metadata of a container, read back from its labels. */
export function decodeContainerMeta(labels: Record<string, string>): ContainerMeta {
  return {
    name: labels[containerNameLabel] ?? '',
    attempt: attempt(labels[containerAttemptLabel]),
    sandboxId: labels[sandboxIdLabel] ?? '',
    logPath: labels[logPathLabel] ?? '',
    image: labels[imageSpecLabel] ?? '',
  };
}

/** The user's labels, as given at creation. */
export function decodeUserLabels(labels: Record<string, string>): Record<string, string> {
  return unprefixed(userLabelPrefix, labels);
}

/** The user's annotations, as given at creation. */
export function decodeAnnotations(labels: Record<string, string>): Record<string, string> {
  return unprefixed(annotationPrefix, labels);
}

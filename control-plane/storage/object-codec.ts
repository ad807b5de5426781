// How objects are stored as bytes and stamped on the way out. The stored JSON never carries a
// resourceVersion: the revision lives beside it (row id / etcd mod_revision) and is stamped on every read,
// so a caller's stale or forged resourceVersion can never leak into storage.
import type { KubeObject } from '../../api/object.js';

export function encodeObject(object: KubeObject): string {
  const { resourceVersion: _ignored, ...metadata } = object.metadata ?? {};
  return JSON.stringify({ ...object, metadata });
}

/** A fresh object (callers may mutate it) with metadata.resourceVersion = String(revision). */
export function decodeObject<T extends KubeObject>(value: string, revision: number): T {
  const object = JSON.parse(value) as T;
  object.metadata = { ...(object.metadata ?? {}), resourceVersion: String(revision) };
  return object;
}

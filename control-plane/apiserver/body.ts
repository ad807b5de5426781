// Request bodies: fastify hands us the raw text (see server.ts), and we decode it here so every
// malformed input becomes a 400 Status instead of an exception somewhere deeper. Upstream rejects
// wrongly-typed metadata at decode time (Go's json.Unmarshal into ObjectMeta); we check the same
// fields by hand, so later code may trust metadata's shape.
import { parse as parseYaml } from 'yaml';
import { BadRequestError, UnsupportedMediaTypeError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { decodeProtobufObject, protobufMediaType } from './protobuf/decode.js';

/** Upstream's request body limit (3 MiB), in bytes. */
export const maxBodyBytes = 3 * 1024 * 1024;

/** Media types whose bodies we read; the patch types are only valid on PATCH. */
export const jsonTypes = ['application/json'];
/** kubectl's typed clients (`kubectl create deployment ...`) send protobuf; see protobuf/. */
export const protobufTypes = [protobufMediaType];
export const yamlTypes = ['application/yaml', 'application/apply-patch+yaml', 'text/yaml', 'application/x-yaml'];
export const patchTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

/** The bare media type: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body as fastify hands it over (a Buffer, see server.ts), or empty. */
export function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** Parses a raw body by its media type. */
export function decodeBody(bytes: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === protobufMediaType) return decodeProtobufObject(bytes);
  const raw = bytes.toString('utf8');
  if (raw.trim() === '') throw new BadRequestError('the request body is empty');
  if (yamlTypes.includes(type)) {
    try {
      return parseYaml(raw, { maxAliasCount: 100 }) as unknown;
    } catch (e) {
      throw new BadRequestError(`error converting YAML to JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (type === 'application/json' || type.endsWith('+json') || type === '') {
    try {
      return JSON.parse(raw) as unknown;
    } catch (e) {
      throw new BadRequestError(`error decoding JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new UnsupportedMediaTypeError(type);
}

const stringFields = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp'];

function typeError(field: string, expected: string, value: unknown): BadRequestError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return new BadRequestError(`json: cannot unmarshal ${got} into Go struct field ${field} of type ${expected}`);
}

function checkStringMap(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) throw typeError(field, 'map[string]string', value);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw typeError(`${field}.${k}`, 'string', v);
  }
}

/** Checks the shape of an object body (an object with a well-typed metadata); returns it typed. */
export function asObjectBody(value: unknown): KubeObject {
  if (!isRecord(value)) throw typeError('Object', 'struct', value);
  if (value.apiVersion !== undefined && typeof value.apiVersion !== 'string') throw typeError('apiVersion', 'string', value.apiVersion);
  if (value.kind !== undefined && typeof value.kind !== 'string') throw typeError('kind', 'string', value.kind);
  const metadata = value.metadata ?? {};
  if (!isRecord(metadata)) throw typeError('metadata', 'ObjectMeta', metadata);
  for (const f of stringFields) {
    const v = metadata[f];
    if (v !== undefined && v !== null && typeof v !== 'string') throw typeError(`ObjectMeta.metadata.${f}`, 'string', v);
  }
  for (const f of ['generation', 'deletionGracePeriodSeconds']) {
    const v = metadata[f];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isInteger(v))) {
      throw typeError(`ObjectMeta.metadata.${f}`, 'int64', v);
    }
  }
  checkStringMap(metadata.labels, 'ObjectMeta.metadata.labels');
  checkStringMap(metadata.annotations, 'ObjectMeta.metadata.annotations');
  const finalizers = metadata.finalizers;
  if (finalizers !== undefined && finalizers !== null) {
    if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) {
      throw typeError('ObjectMeta.metadata.finalizers', '[]string', finalizers);
    }
  }
  const owners = metadata.ownerReferences;
  if (owners !== undefined && owners !== null) {
    if (!Array.isArray(owners) || owners.some((o) => !isRecord(o))) {
      throw typeError('ObjectMeta.metadata.ownerReferences', '[]OwnerReference', owners);
    }
  }
  // Nulls mean "absent" in Go's decoding; drop them so later code sees undefined only.
  for (const [k, v] of Object.entries(metadata)) if (v === null) delete metadata[k];
  return { ...value, metadata } as KubeObject;
}

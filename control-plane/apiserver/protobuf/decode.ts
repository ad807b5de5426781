// Decodes a Kubernetes protobuf body (`application/vnd.kubernetes.protobuf`): the 4-byte magic
// `k8s\0`, then a runtime.Unknown envelope {typeMeta, raw} whose raw bytes are the object. Go writes
// every non-pointer field even when empty, so zero values are dropped here unless the field is a
// pointer in Go (keepZero), which gives the same object JSON would have.
import { BadRequestError, UnsupportedMediaTypeError } from '../../../api/errors.js';
import { messageForKind, messages, type FieldSpec } from './messages.js';
import { readFields, type WireField } from './wire-reader.js';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';
const magic = [0x6b, 0x38, 0x73, 0x00];
/** Nesting cap against hostile bodies; real objects stay far below it. */
const maxDepth = 64;

function isEmpty(value: unknown): boolean {
  if (value === '' || value === 0 || value === false || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function utf8(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
}

function timestamp(bytes: Uint8Array, depth: number): string | undefined {
  const t = decodeMessage('Timestamp', bytes, depth, { 1: { name: 'seconds', kind: 'int' } });
  const seconds = typeof t.seconds === 'number' ? t.seconds : 0;
  if (seconds === 0) return undefined;
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function scalar(spec: FieldSpec, field: WireField, depth: number): unknown {
  const kind = spec.kind;
  if (kind === 'int') return Number(field.varint ?? 0n);
  if (kind === 'bool') return (field.varint ?? 0n) !== 0n;
  if (field.bytes === undefined) throw new BadRequestError(`protobuf field ${spec.name} has the wrong wire type`);
  switch (kind) {
    case 'string':
      return utf8(field.bytes);
    case 'bytes':
      return Buffer.from(field.bytes).toString('base64');
    case 'time':
      return timestamp(field.bytes, depth);
    case 'quantity':
      return decodeMessage('Quantity', field.bytes, depth, { 1: { name: 'string', kind: 'string' } }).string;
    case 'intOrString': {
      const v = decodeMessage('IntOrString', field.bytes, depth, { 1: { name: 'type', kind: 'int' }, 2: { name: 'intVal', kind: 'int', keepZero: true }, 3: { name: 'strVal', kind: 'string' } });
      return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
    }
    default:
      return decodeMessage(kind.slice('msg:'.length), field.bytes, depth + 1);
  }
}

function mapEntry(spec: FieldSpec, bytes: Uint8Array, depth: number): [string, unknown] {
  let key = '';
  let value: unknown = spec.kind === 'int' ? 0 : '';
  for (const f of readFields(bytes)) {
    if (f.number === 1) key = utf8(f.bytes);
    else if (f.number === 2) value = scalar({ ...spec, map: false }, f, depth);
  }
  return [key, value];
}

function decodeMessage(name: string, bytes: Uint8Array, depth: number, fields = messages[name]): Record<string, unknown> {
  if (depth > maxDepth) throw new BadRequestError('the protobuf body nests too deeply');
  const out: Record<string, unknown> = {};
  if (!fields) return out;
  for (const field of readFields(bytes)) {
    const spec = fields[field.number];
    if (!spec) continue;
    if (spec.map) {
      if (!field.bytes) throw new BadRequestError(`protobuf field ${spec.name} has the wrong wire type`);
      const [k, v] = mapEntry(spec, field.bytes, depth);
      const target = (out[spec.name] ??= {}) as Record<string, unknown>;
      target[k] = v;
      continue;
    }
    const value = scalar(spec, field, depth);
    if (spec.repeated) {
      ((out[spec.name] ??= []) as unknown[]).push(value);
    } else if (spec.inline && typeof value === 'object' && value !== null) {
      Object.assign(out, value);
    } else if (value !== undefined && (spec.keepZero || !isEmpty(value))) {
      out[spec.name] = value;
    }
  }
  return out;
}

/** The object in a protobuf body, as the JSON a client would have sent. */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || magic.some((byte, i) => body[i] !== byte)) throw new BadRequestError('the protobuf body lacks the k8s magic prefix');
  const envelope = decodeMessage('Unknown', body.subarray(4), 0);
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? '';
  const kind = typeMeta.kind ?? '';
  const message = messageForKind[`${apiVersion}/${kind}`];
  if (!message) throw new UnsupportedMediaTypeError(`${protobufMediaType} (for ${apiVersion} ${kind}; send JSON)`);
  const raw = typeof envelope.raw === 'string' ? Buffer.from(envelope.raw, 'base64') : new Uint8Array();
  return { apiVersion, kind, ...decodeMessage(message, raw, 0) };
}

// ConfigMap, Secret and ServiceAccount (upstream's ValidateConfigMap / ValidateSecret).
import type { FieldError } from '../errors.js';
import { isConfigMapKey, isDNS1123Subdomain } from '../names.js';
import type { KubeObject } from '../object.js';
import { asArray, asRecord, child, forbidden, invalid, key, required, tooLong, validateImmutableField } from './field-error.js';

/** Upstream's MaxSecretSize, which also bounds ConfigMaps: 1 MiB of data. */
export const maxDataSizeBytes = 1024 * 1024;

function validateKeys(data: Record<string, unknown> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(data ?? {})) {
    isConfigMapKey(k).forEach((msg) => errs.push(invalid(key(path, k), k, msg)));
  }
  return errs;
}

const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True for standard (padded) base64, the encoding of `data` values on the wire. */
export function isBase64(value: string): boolean {
  return base64Re.test(value);
}

function validateBase64Values(data: Record<string, unknown> | undefined, path: string): { errors: FieldError[]; bytes: number } {
  const errors: FieldError[] = [];
  let bytes = 0;
  for (const [k, v] of Object.entries(data ?? {})) {
    if (typeof v !== 'string' || !isBase64(v)) {
      // Never echo secret material back: upstream redacts it too.
      errors.push(invalid(key(path, k), '<secret contents redacted>', 'must be a valid base64 string'));
      continue;
    }
    bytes += Buffer.from(v, 'base64').length;
  }
  return { errors, bytes };
}

/** ConfigMap: key names, no key in both data and binaryData, base64 binaryData, ≤1 MiB. */
export function validateConfigMap(cm: KubeObject): FieldError[] {
  const data = asRecord(cm['data']);
  const binary = asRecord(cm['binaryData']);
  const errs = [...validateKeys(data, 'data'), ...validateKeys(binary, 'binaryData')];
  let total = 0;
  for (const [k, v] of Object.entries(data ?? {})) {
    total += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : String(v));
    if (binary && k in binary) errs.push(invalid(key('binaryData', k), k, 'duplicate of key present in data'));
  }
  const b = validateBase64Values(binary, 'binaryData');
  errs.push(...b.errors);
  total += b.bytes;
  if (total > maxDataSizeBytes) errs.push(tooLong('', maxDataSizeBytes));
  return errs;
}

/** Keys that some secret types require. */
const requiredKeysByType: Readonly<Record<string, readonly string[]>> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

/** Secret: key names, base64 values, ≤1 MiB, per-type required keys and annotations. */
export function validateSecret(secret: KubeObject): FieldError[] {
  const data = asRecord(secret['data']);
  const errs = validateKeys(data, 'data');
  errs.push(...validateKeys(asRecord(secret['stringData']), 'stringData'));
  const { errors, bytes } = validateBase64Values(data, 'data');
  errs.push(...errors);
  if (bytes > maxDataSizeBytes) errs.push(tooLong('data', maxDataSizeBytes));
  const type = typeof secret['type'] === 'string' ? secret['type'] : '';
  for (const k of requiredKeysByType[type] ?? []) {
    if (!data || !(k in data)) errs.push(required(key('data', k), ''));
  }
  if (type === 'kubernetes.io/service-account-token') {
    const sa = secret.metadata.annotations?.['kubernetes.io/service-account.name'];
    if (!sa) errs.push(required('metadata.annotations[kubernetes.io/service-account.name]', ''));
  }
  if (type === 'kubernetes.io/basic-auth' && data && !('username' in data) && !('password' in data)) {
    errs.push(required(key('data', 'username'), ''));
  }
  return errs;
}

/** ServiceAccount: referenced secrets and pull secrets are named. */
export function validateServiceAccount(sa: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ['secrets', 'imagePullSecrets'] as const) {
    asArray<{ name?: string }>(sa[field]).forEach((ref, i) => {
      const p = child(`${field}[${i}]`, 'name');
      if (ref.name) isDNS1123Subdomain(ref.name).forEach((msg) => errs.push(invalid(p, ref.name, msg)));
    });
  }
  return errs;
}

/** Immutable ConfigMaps and Secrets keep their data, and stay immutable; a Secret keeps its type. */
export function validateConfigUpdate(kind: 'ConfigMap' | 'Secret', obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (kind === 'Secret') errs.push(...validateImmutableField(obj['type'] ?? 'Opaque', old['type'] ?? 'Opaque', 'type'));
  if (old['immutable'] !== true) return errs;
  if (obj['immutable'] !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  const fields = kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data'];
  for (const f of fields) {
    if (validateImmutableField(obj[f] ?? {}, old[f] ?? {}, f).length > 0) errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

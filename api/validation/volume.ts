// Pod volumes: unique DNS-label names and exactly one source each, with each source's own checks.
import type { FieldError } from '../errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../names.js';
import type { Volume } from '../types/pod.js';
import { validateLocalDescendingPath, validateObjectFieldSelector, validateResourceFieldSelector, volumeFieldPaths } from './container.js';
import { asArray, asRecord, child, duplicate, forbidden, index, invalid, notSupported, required } from './field-error.js';
import { validateNonnegativeQuantity } from './quantity-fields.js';

const volumeSources = ['emptyDir', 'hostPath', 'configMap', 'secret', 'downwardAPI', 'projected', 'persistentVolumeClaim'] as const;
const hostPathTypes = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateMode(mode: unknown, path: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  return typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 && mode <= 0o777 ? [] : [invalid(path, mode, fileModeErrorMsg)];
}

/** An item path inside a volume: non-empty, relative, without `..`, not starting with `..`. */
function validateLocalNonReservedPath(target: unknown, path: string): FieldError[] {
  if (typeof target !== 'string' || target === '') return [required(path, '')];
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateKeyToPaths(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray<Record<string, unknown>>(items).forEach((item, i) => {
    const p = index(path, i);
    if (!item['key']) errs.push(required(child(p, 'key'), ''));
    errs.push(...validateLocalNonReservedPath(item['path'], child(p, 'path')));
    errs.push(...validateMode(item['mode'], child(p, 'mode')));
  });
  return errs;
}

function validateDownwardAPIItems(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray<Record<string, unknown>>(items).forEach((item, i) => {
    const p = index(path, i);
    errs.push(...validateLocalNonReservedPath(item['path'], child(p, 'path')));
    errs.push(...validateMode(item['mode'], child(p, 'mode')));
    const hasField = item['fieldRef'] !== undefined;
    const hasResource = item['resourceFieldRef'] !== undefined;
    if (hasField && hasResource) errs.push(invalid(p, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    else if (hasField) errs.push(...validateObjectFieldSelector(item['fieldRef'], volumeFieldPaths, child(p, 'fieldRef')));
    else if (hasResource) errs.push(...validateResourceFieldSelector(item['resourceFieldRef'], true, child(p, 'resourceFieldRef')));
    else errs.push(required(p, 'one of fieldRef and resourceFieldRef is required'));
  });
  return errs;
}

function validateObjectName(name: unknown, path: string): FieldError[] {
  if (typeof name !== 'string' || name === '') return [required(path, '')];
  return isDNS1123Subdomain(name).map((msg) => invalid(path, name, msg));
}

function validateProjected(src: Record<string, unknown>, path: string): FieldError[] {
  const errs = validateMode(src['defaultMode'], child(path, 'defaultMode'));
  asArray<Record<string, unknown>>(src['sources']).forEach((proj, i) => {
    const p = index(child(path, 'sources'), i);
    const kinds = ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken'].filter((k) => proj[k] !== undefined && proj[k] !== null);
    if (kinds.length === 0) errs.push(required(p, 'must specify exactly 1 volume type'));
    if (kinds.length > 1) errs.push(forbidden(child(p, kinds[1] ?? ''), 'may not specify more than 1 volume type'));
    for (const k of ['secret', 'configMap'] as const) {
      const s = asRecord(proj[k]);
      if (!s) continue;
      errs.push(...validateObjectName(s['name'], child(p, k, 'name')));
      errs.push(...validateKeyToPaths(s['items'], child(p, k, 'items')));
    }
    const dapi = asRecord(proj['downwardAPI']);
    if (dapi) errs.push(...validateDownwardAPIItems(dapi['items'], child(p, 'downwardAPI', 'items')));
    const sat = asRecord(proj['serviceAccountToken']);
    if (sat) {
      errs.push(...validateLocalNonReservedPath(sat['path'], child(p, 'serviceAccountToken', 'path')));
      const exp = sat['expirationSeconds'];
      if (typeof exp === 'number' && exp < 600) {
        errs.push(invalid(child(p, 'serviceAccountToken', 'expirationSeconds'), exp, 'may not specify a duration less than 10 minutes'));
      }
    }
  });
  return errs;
}

function validateSource(vol: Record<string, unknown>, path: string): FieldError[] {
  const present = volumeSources.filter((k) => vol[k] !== undefined && vol[k] !== null);
  if (present.length === 0) return [required(path, 'must specify a volume type')];
  const errs: FieldError[] = [];
  for (const extra of present.slice(1)) errs.push(forbidden(child(path, extra), 'may not specify more than 1 volume type'));
  const emptyDir = asRecord(vol['emptyDir']);
  if (emptyDir) {
    if (emptyDir['sizeLimit'] !== undefined) errs.push(...validateNonnegativeQuantity(emptyDir['sizeLimit'], child(path, 'emptyDir', 'sizeLimit')));
    const medium = emptyDir['medium'];
    if (medium !== undefined && medium !== '' && medium !== 'Memory' && !String(medium).startsWith('HugePages')) {
      errs.push(notSupported(child(path, 'emptyDir', 'medium'), medium, ['', 'Memory', 'HugePages']));
    }
  }
  const hostPath = asRecord(vol['hostPath']);
  if (hostPath) {
    const p = hostPath['path'];
    if (typeof p !== 'string' || p === '') errs.push(required(child(path, 'hostPath', 'path'), ''));
    else if (p.split('/').includes('..')) errs.push(invalid(child(path, 'hostPath', 'path'), p, "must not contain '..'"));
    const t = hostPath['type'];
    if (t !== undefined && t !== null && !hostPathTypes.includes(String(t))) errs.push(notSupported(child(path, 'hostPath', 'type'), t, hostPathTypes));
  }
  const secret = asRecord(vol['secret']);
  if (secret) {
    if (!secret['secretName']) errs.push(required(child(path, 'secret', 'secretName'), ''));
    errs.push(...validateMode(secret['defaultMode'], child(path, 'secret', 'defaultMode')));
    errs.push(...validateKeyToPaths(secret['items'], child(path, 'secret', 'items')));
  }
  const configMap = asRecord(vol['configMap']);
  if (configMap) {
    errs.push(...validateObjectName(configMap['name'], child(path, 'configMap', 'name')));
    errs.push(...validateMode(configMap['defaultMode'], child(path, 'configMap', 'defaultMode')));
    errs.push(...validateKeyToPaths(configMap['items'], child(path, 'configMap', 'items')));
  }
  const downward = asRecord(vol['downwardAPI']);
  if (downward) {
    errs.push(...validateMode(downward['defaultMode'], child(path, 'downwardAPI', 'defaultMode')));
    errs.push(...validateDownwardAPIItems(downward['items'], child(path, 'downwardAPI', 'items')));
  }
  const projected = asRecord(vol['projected']);
  if (projected) errs.push(...validateProjected(projected, child(path, 'projected')));
  const pvc = asRecord(vol['persistentVolumeClaim']);
  if (pvc && !pvc['claimName']) errs.push(required(child(path, 'persistentVolumeClaim', 'claimName'), ''));
  return errs;
}

/** Validates spec.volumes and returns the set of names containers may mount. */
export function validateVolumes(volumes: Volume[], path: string): { names: Set<string>; errors: FieldError[] } {
  const names = new Set<string>();
  const errors: FieldError[] = [];
  volumes.forEach((vol, i) => {
    const p = index(path, i);
    const namePath = child(p, 'name');
    errors.push(...validateSource(vol as unknown as Record<string, unknown>, p));
    if (!vol.name) errors.push(required(namePath, ''));
    else isDNS1123Label(vol.name).forEach((msg) => errors.push(invalid(namePath, vol.name, msg)));
    if (names.has(vol.name)) errors.push(duplicate(namePath, vol.name));
    else names.add(vol.name);
  });
  return { names, errors };
}

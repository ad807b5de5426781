// Events (core/v1 and events.k8s.io/v1) and Leases.
import type { FieldError } from '../errors.js';
import { isQualifiedName } from '../names.js';
import type { KubeObject } from '../object.js';
import { asRecord, invalid, notSupported, required, tooLong, validateNonnegativeField } from './field-error.js';

const eventTypes = ['Normal', 'Warning'];
const noteLengthLimitBytes = 1024;
const reportingLengthLimit = 128;

/** Cluster-scoped kinds an event may be about from any namespace. */
const clusterScopedKinds = new Set(['Node', 'Namespace', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass']);

function validateRegarding(ref: Record<string, unknown> | undefined, eventNamespace: string, path: string): FieldError[] {
  if (!ref) return [];
  const ns = typeof ref['namespace'] === 'string' ? ref['namespace'] : '';
  const kind = typeof ref['kind'] === 'string' ? ref['kind'] : '';
  if (ns === '' || clusterScopedKinds.has(kind) || ns === eventNamespace) return [];
  return [invalid(`${path}.namespace`, ns, 'does not match event.namespace')];
}

/** core/v1 Event: involvedObject's namespace matches the event's; type Normal or Warning when set. */
export function validateCoreEvent(ev: KubeObject): FieldError[] {
  const errs = validateRegarding(asRecord(ev['involvedObject']), ev.metadata.namespace ?? '', 'involvedObject');
  if (!asRecord(ev['involvedObject'])) errs.push(required('involvedObject', ''));
  const type = ev['type'];
  if (type !== undefined && type !== '' && !eventTypes.includes(String(type))) errs.push(notSupported('type', type, eventTypes));
  errs.push(...validateNonnegativeField(typeof ev['count'] === 'number' ? ev['count'] : undefined, 'count'));
  return errs;
}

/** events.k8s.io/v1 Event: the stricter shape with reportingController, action, reason and eventTime. */
export function validateEventsV1Event(ev: KubeObject): FieldError[] {
  const errs = validateRegarding(asRecord(ev['regarding']), ev.metadata.namespace ?? '', 'regarding');
  if (!ev['eventTime']) errs.push(required('eventTime', ''));
  const type = ev['type'];
  if (!eventTypes.includes(String(type))) errs.push(invalid('type', type ?? '', `has invalid value: ${String(type ?? '')}`));
  const controller = typeof ev['reportingController'] === 'string' ? ev['reportingController'] : '';
  if (controller === '') errs.push(required('reportingController', ''));
  else isQualifiedName(controller).forEach((m) => errs.push(invalid('reportingController', controller, m)));
  for (const f of ['reportingInstance', 'action', 'reason'] as const) {
    const v = typeof ev[f] === 'string' ? (ev[f] as string) : '';
    if (v === '') errs.push(required(f, ''));
    else if (v.length > reportingLengthLimit) errs.push(invalid(f, v, `can have at most ${reportingLengthLimit} characters`));
  }
  const note = typeof ev['note'] === 'string' ? ev['note'] : '';
  if (Buffer.byteLength(note) > noteLengthLimitBytes) errs.push(tooLong('note', noteLengthLimitBytes));
  return errs;
}

/** Lease: durations positive, transitions non-negative. */
export function validateLease(lease: KubeObject): FieldError[] {
  const spec = asRecord(lease['spec']) ?? {};
  const errs: FieldError[] = [];
  const d = spec['leaseDurationSeconds'];
  if (typeof d === 'number' && d <= 0) errs.push(invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
  const t = spec['leaseTransitions'];
  errs.push(...validateNonnegativeField(typeof t === 'number' ? t : undefined, 'spec.leaseTransitions'));
  return errs;
}

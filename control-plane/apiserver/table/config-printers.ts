// ConfigMaps, Secrets, ServiceAccounts, Leases, Events and the NAME/AGE default.
import type { KubeObject } from '../../../api/object.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { at, int, list, obj, str } from './fields.js';
import { ageSince } from './human-duration.js';
import type { Printer } from './table-types.js';

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'Data contains the configuration data.', { type: 'integer' }), ageColumn],
  cells(cm, now) {
    const count = Object.keys(obj(at(cm, 'data'))).length + Object.keys(obj(at(cm, 'binaryData'))).length;
    return [cm.metadata.name ?? '', count, ageSince(cm.metadata.creationTimestamp, now)];
  },
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'The type of the secret'),
    column('Data', 'The number of entries in the secret', { type: 'integer' }),
    ageColumn,
  ],
  cells(secret, now) {
    return [
      secret.metadata.name ?? '',
      str(at(secret, 'type')) || 'Opaque',
      Object.keys(obj(at(secret, 'data'))).length,
      ageSince(secret.metadata.creationTimestamp, now),
    ];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', { type: 'integer' }), ageColumn],
  cells(sa, now) {
    return [sa.metadata.name ?? '', list(at(sa, 'secrets')).length, ageSince(sa.metadata.creationTimestamp, now)];
  },
};

export const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'The holder of the lease'), ageColumn],
  cells(lease, now) {
    return [lease.metadata.name ?? '', str(at(lease, 'spec', 'holderIdentity')), ageSince(lease.metadata.creationTimestamp, now)];
  },
};

/** The fields both Event APIs share, read from whichever names the object uses. */
interface EventView {
  type: string;
  reason: string;
  regarding: unknown;
  source: string;
  message: string;
  first: unknown;
  last: unknown;
  eventTime: unknown;
  count: number;
  seriesCount: number | undefined;
  seriesLast: unknown;
}

function eventView(ev: KubeObject): EventView {
  const isNew = String(ev.apiVersion ?? '').startsWith('events.k8s.io/');
  const series = at(ev, 'series');
  const component = str(at(ev, isNew ? 'deprecatedSource' : 'source', 'component'));
  const host = str(at(ev, isNew ? 'deprecatedSource' : 'source', 'host'));
  const controller = str(at(ev, isNew ? 'reportingController' : 'reportingComponent'));
  const instance = str(at(ev, 'reportingInstance'));
  const source = component
    ? (host ? `${component}, ${host}` : component)
    : (instance ? `${controller}, ${instance}` : controller);
  return {
    type: str(at(ev, 'type')),
    reason: str(at(ev, 'reason')),
    regarding: at(ev, isNew ? 'regarding' : 'involvedObject'),
    source,
    message: str(at(ev, isNew ? 'note' : 'message')).trim(),
    first: at(ev, isNew ? 'deprecatedFirstTimestamp' : 'firstTimestamp'),
    last: at(ev, isNew ? 'deprecatedLastTimestamp' : 'lastTimestamp'),
    eventTime: at(ev, 'eventTime'),
    count: int(at(ev, isNew ? 'deprecatedCount' : 'count')),
    seriesCount: series === undefined ? undefined : int(at(series, 'count')),
    seriesLast: at(series, 'lastObservedTime'),
  };
}

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'Time when this Event was last seen'),
    column('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    column('Reason', 'Reason is why the action was taken. It is human-readable.'),
    column('Object', 'The object that this event is about.'),
    column('Subobject', 'The subobject (a container, by field path) that this event is about.', { wide: true }),
    column('Source', 'The component reporting this event.', { wide: true }),
    column('Message', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'The time at which the event was first recorded.', { wide: true }),
    column('Count', 'The number of times this event has occurred.', { type: 'integer', wide: true }),
    column('Name', 'Name must be unique within a namespace.', { format: 'name', wide: true }),
  ],
  cells(ev, now) {
    const v = eventView(ev);
    const first = typeof v.first === 'string' && v.first !== '' ? ageSince(v.first, now) : ageSince(v.eventTime, now);
    let last = typeof v.last === 'string' && v.last !== '' ? ageSince(v.last, now) : first;
    let count = v.count;
    if (v.seriesCount !== undefined) {
      last = ageSince(v.seriesLast, now);
      count = v.seriesCount;
    } else if (count === 0) {
      count = 1;
    }
    const kind = str(at(v.regarding, 'kind')).toLowerCase();
    const name = str(at(v.regarding, 'name'));
    return [
      last,
      v.type,
      v.reason,
      name ? `${kind}/${name}` : kind,
      str(at(v.regarding, 'fieldPath')),
      v.source,
      v.message,
      first,
      count,
      ev.metadata.name ?? '',
    ];
  },
};

export const defaultPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  cells(o, now) {
    return [o.metadata.name ?? '', ageSince(o.metadata.creationTimestamp, now)];
  },
};

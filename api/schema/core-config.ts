// core/v1 ConfigMap, Secret, ServiceAccount and Event: the small kinds of the core group.
import type { Definition } from './field-schema.js';
import {
  bool, bytes, core, dateTime, def, int32, kind, list, listKind, map, mergeList, ref, str, stringMap,
} from './build.js';

const gvk = (k: string) => ({ group: '', version: 'v1', kind: k });

export const configDefinitions: Definition[] = [
  kind(`${core}ConfigMap`, gvk('ConfigMap'), { immutable: bool, data: stringMap, binaryData: map(bytes) }),
  listKind(`${core}ConfigMap`, gvk('ConfigMap')),
  kind(`${core}Secret`, gvk('Secret'), { immutable: bool, data: map(bytes), stringData: stringMap, type: str }),
  listKind(`${core}Secret`, gvk('Secret')),
  kind(`${core}ServiceAccount`, gvk('ServiceAccount'), {
    secrets: mergeList(ref(`${core}ObjectReference`), 'name'),
    imagePullSecrets: list(ref(`${core}LocalObjectReference`)),
    automountServiceAccountToken: bool,
  }),
  listKind(`${core}ServiceAccount`, gvk('ServiceAccount')),
  kind(
    `${core}Event`,
    gvk('Event'),
    {
      involvedObject: ref(`${core}ObjectReference`),
      reason: str,
      message: str,
      source: ref(`${core}EventSource`),
      firstTimestamp: dateTime,
      lastTimestamp: dateTime,
      count: int32,
      type: str,
      eventTime: { type: 'string', format: 'date-time' },
      series: ref(`${core}EventSeries`),
      action: str,
      related: ref(`${core}ObjectReference`),
      reportingComponent: str,
      reportingInstance: str,
    },
    { required: ['metadata', 'involvedObject'] },
  ),
  listKind(`${core}Event`, gvk('Event')),
  def(`${core}EventSource`, { component: str, host: str }),
  def(`${core}EventSeries`, { count: int32, lastObservedTime: dateTime }),
];


// The single-kind groups: discovery.k8s.io EndpointSlice, coordination.k8s.io Lease, events.k8s.io Event,
// autoscaling/v1 Scale and policy/v1 Eviction (served only as subresources).
import type { Definition } from './field-schema.js';
import { bool, core, dateTime, def, int32, kind, list, listKind, meta, ref, str, stringMap } from './build.js';

const discovery = 'io.k8s.api.discovery.v1.';
const coordination = 'io.k8s.api.coordination.v1.';
const events = 'io.k8s.api.events.v1.';
const autoscaling = 'io.k8s.api.autoscaling.v1.';
const policy = 'io.k8s.api.policy.v1.';

const sliceGvk = { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' };
const leaseGvk = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' };
const eventGvk = { group: 'events.k8s.io', version: 'v1', kind: 'Event' };

export const otherGroupDefinitions: Definition[] = [
  kind(
    `${discovery}EndpointSlice`,
    sliceGvk,
    { addressType: str, endpoints: list(ref(`${discovery}Endpoint`)), ports: list(ref(`${discovery}EndpointPort`)) },
    { required: ['addressType', 'endpoints'] },
  ),
  listKind(`${discovery}EndpointSlice`, sliceGvk),
  def(
    `${discovery}Endpoint`,
    {
      addresses: list(str, 'set'),
      conditions: ref(`${discovery}EndpointConditions`),
      hostname: str,
      targetRef: ref(`${core}ObjectReference`),
      deprecatedTopology: stringMap,
      nodeName: str,
      zone: str,
      hints: ref(`${discovery}EndpointHints`),
    },
    { required: ['addresses'] },
  ),
  def(`${discovery}EndpointConditions`, { ready: bool, serving: bool, terminating: bool }),
  def(`${discovery}EndpointHints`, { forZones: list(ref(`${discovery}ForZone`)), forNodes: list(ref(`${discovery}ForNode`)) }),
  def(`${discovery}ForZone`, { name: str }, { required: ['name'] }),
  def(`${discovery}ForNode`, { name: str }, { required: ['name'] }),
  def(`${discovery}EndpointPort`, { name: str, protocol: str, port: int32, appProtocol: str }),
  kind(`${coordination}Lease`, leaseGvk, { spec: ref(`${coordination}LeaseSpec`) }),
  listKind(`${coordination}Lease`, leaseGvk),
  def(`${coordination}LeaseSpec`, {
    holderIdentity: str,
    leaseDurationSeconds: int32,
    acquireTime: dateTime,
    renewTime: dateTime,
    leaseTransitions: int32,
    strategy: str,
    preferredHolder: str,
  }),
  kind(
    `${events}Event`,
    eventGvk,
    {
      eventTime: dateTime,
      series: ref(`${events}EventSeries`),
      reportingController: str,
      reportingInstance: str,
      action: str,
      reason: str,
      regarding: ref(`${core}ObjectReference`),
      related: ref(`${core}ObjectReference`),
      note: str,
      type: str,
      deprecatedSource: ref(`${core}EventSource`),
      deprecatedFirstTimestamp: dateTime,
      deprecatedLastTimestamp: dateTime,
      deprecatedCount: int32,
    },
    { required: ['eventTime'] },
  ),
  listKind(`${events}Event`, eventGvk),
  def(`${events}EventSeries`, { count: int32, lastObservedTime: dateTime }, { required: ['count', 'lastObservedTime'] }),
  kind(`${autoscaling}Scale`, { group: 'autoscaling', version: 'v1', kind: 'Scale' }, {
    spec: ref(`${autoscaling}ScaleSpec`),
    status: ref(`${autoscaling}ScaleStatus`),
  }),
  def(`${autoscaling}ScaleSpec`, { replicas: int32 }),
  def(`${autoscaling}ScaleStatus`, { replicas: int32, selector: str }, { required: ['replicas'] }),
  // Served only as the pods/eviction subresource (what `kubectl drain` posts).
  kind(`${policy}Eviction`, { group: 'policy', version: 'v1', kind: 'Eviction' }, { deleteOptions: ref(`${meta}DeleteOptions`) }),
];


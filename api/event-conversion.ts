// Upstream stores one Event kind and serves it as core/v1 and as events.k8s.io/v1; these map one
// shape onto the other with upstream's field correspondences (regarding <-> involvedObject,
// note <-> message, reportingController <-> reportingComponent, deprecated* <-> the legacy fields).
import type { CoreEvent, EventsV1Event } from './types/event.js';

function copyDefined<T extends object>(target: T, entries: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  return target;
}

/** A core/v1 Event as events.k8s.io/v1 serves it. */
export function coreEventToEventsV1(ev: CoreEvent): EventsV1Event {
  const out = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: ev.metadata } as EventsV1Event;
  return copyDefined(out, {
    eventTime: ev.eventTime ?? undefined,
    series: ev.series,
    reportingController: ev.reportingComponent,
    reportingInstance: ev.reportingInstance,
    action: ev.action,
    reason: ev.reason,
    regarding: ev.involvedObject,
    related: ev.related,
    note: ev.message,
    type: ev.type,
    deprecatedSource: ev.source,
    deprecatedFirstTimestamp: ev.firstTimestamp ?? undefined,
    deprecatedLastTimestamp: ev.lastTimestamp ?? undefined,
    deprecatedCount: ev.count,
  });
}

/** An events.k8s.io/v1 Event as core/v1 serves it. */
export function eventsV1ToCoreEvent(ev: EventsV1Event): CoreEvent {
  const out = { apiVersion: 'v1', kind: 'Event', metadata: ev.metadata, involvedObject: ev.regarding ?? {} } as CoreEvent;
  return copyDefined(out, {
    reason: ev.reason,
    message: ev.note,
    source: ev.deprecatedSource,
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    count: ev.deprecatedCount,
    type: ev.type,
    eventTime: ev.eventTime,
    series: ev.series,
    action: ev.action,
    related: ev.related,
    reportingComponent: ev.reportingController,
    reportingInstance: ev.reportingInstance,
  });
}

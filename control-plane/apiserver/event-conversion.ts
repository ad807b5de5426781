// events.k8s.io/v1 Event and core v1 Event are one stored object in two shapes (upstream stores both
// in /registry/events). We store the core shape and convert the events.k8s.io shape on the way in and
// out, with api/'s field correspondences.
import { coreEventToEventsV1, eventsV1ToCoreEvent } from '../../api/index.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { CoreEvent, EventsV1Event } from '../../api/types/event.js';

function isEventsGroup(r: ResourceInfo): boolean {
  return r.group === 'events.k8s.io';
}

/** The shape stored for `r`'s objects (identity except for events.k8s.io Events). */
export function toStorageShape(r: ResourceInfo, obj: KubeObject): KubeObject {
  if (!isEventsGroup(r)) return obj;
  return eventsV1ToCoreEvent(obj as unknown as EventsV1Event) as unknown as KubeObject;
}

/** The shape `r` serves; a shared key space may hold objects written through either group. */
export function fromStorageShape(r: ResourceInfo, obj: KubeObject): KubeObject {
  if (!isEventsGroup(r)) return obj;
  return coreEventToEventsV1(obj as unknown as CoreEvent) as unknown as KubeObject;
}

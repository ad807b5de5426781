import { describe, expect, it } from 'vitest';
import { coreEventToEventsV1, eventsV1ToCoreEvent, scaledValueFromIntOrPercent } from '../../api/index.js';
import type { CoreEvent } from '../../api/index.js';

describe('event conversion', () => {
  const core: CoreEvent = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u' },
    reason: 'Pulled',
    message: 'Container image "nginx" already present',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2024-01-01T00:00:00Z',
    lastTimestamp: '2024-01-01T00:01:00Z',
    count: 2,
    type: 'Normal',
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  };

  it('maps core fields to their events.k8s.io names', () => {
    const v1 = coreEventToEventsV1(core);
    expect(v1).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: core.metadata,
      reportingController: 'kubelet',
      reportingInstance: 'node-1',
      reason: 'Pulled',
      regarding: core.involvedObject,
      note: core.message,
      type: 'Normal',
      deprecatedSource: core.source,
      deprecatedFirstTimestamp: core.firstTimestamp,
      deprecatedLastTimestamp: core.lastTimestamp,
      deprecatedCount: 2,
    });
  });

  it('round-trips a core event', () => {
    expect(eventsV1ToCoreEvent(coreEventToEventsV1(core))).toEqual(core);
  });
});

describe('scaledValueFromIntOrPercent', () => {
  it.each([
    [3, 10, true, 3],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['100%', 7, false, 7],
    [undefined, 10, true, 0],
  ] as const)('%j of %d (round up %s) is %d', (value, total, up, want) => {
    expect(scaledValueFromIntOrPercent(value, total, up)).toBe(want);
  });

  it('rejects text that is not a percentage', () => {
    expect(() => scaledValueFromIntOrPercent('ten', 10, true)).toThrow(/not a percentage/);
  });
});

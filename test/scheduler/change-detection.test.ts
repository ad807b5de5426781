import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/types/node.js';
import type { Pod } from '../../api/types/pod.js';
import { nodeSchedulingPropertiesChanged } from '../../control-plane/scheduler/node-changes.js';
import { podSchedulingPropertiesChanged } from '../../control-plane/scheduler/pod-changes.js';
import { makeNode, makePod } from './fixtures.js';

describe('nodeSchedulingPropertiesChanged', () => {
  const base = makeNode('n');
  const cases: Array<{ name: string; next: Node; changed: boolean }> = [
    { name: 'a heartbeat (condition message/time only) is no change', next: { ...base, status: { ...base.status, conditions: [{ type: 'Ready', status: 'True', message: 'beat', lastHeartbeatTime: '2026-01-01T00:00:00Z' }] } }, changed: false },
    { name: 'Ready turning False is a change', next: makeNode('n', { ready: false }), changed: true },
    { name: 'new allocatable is a change', next: makeNode('n', { cpu: '8' }), changed: true },
    { name: 'a label is a change', next: makeNode('n', { labels: { zone: 'a' } }), changed: true },
    { name: 'a taint is a change', next: makeNode('n', { taints: [{ key: 'k', effect: 'NoSchedule' }] }), changed: true },
    { name: 'uncordoning is a change', next: makeNode('n', { unschedulable: true }), changed: true },
  ];
  for (const c of cases) {
    it(c.name, () => expect(nodeSchedulingPropertiesChanged(base, c.next)).toBe(c.changed));
  }
});

describe('podSchedulingPropertiesChanged', () => {
  const base = makePod('p', {}, { resourceVersion: '1' });
  const cases: Array<{ name: string; next: Pod; changed: boolean }> = [
    { name: 'a status write is no change', next: { ...base, metadata: { ...base.metadata, resourceVersion: '2' }, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } }, changed: false },
    { name: 'a new toleration is a change', next: makePod('p', { tolerations: [{ operator: 'Exists' }] }, { resourceVersion: '2' }), changed: true },
    { name: 'a new label is a change', next: makePod('p', {}, { resourceVersion: '2', labels: { a: 'b' } }), changed: true },
  ];
  for (const c of cases) {
    it(c.name, () => expect(podSchedulingPropertiesChanged(base, c.next)).toBe(c.changed));
  }
});

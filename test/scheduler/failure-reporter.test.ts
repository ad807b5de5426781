import { describe, expect, it } from 'vitest';
import type { PodCondition } from '../../api/types/pod.js';
import { unschedulableConditions } from '../../control-plane/scheduler/failure-reporter.js';
import { makePod } from './fixtures.js';

const now = '2026-01-01T00:00:10Z';
const earlier = '2026-01-01T00:00:00Z';

describe('unschedulableConditions', () => {
  const cases: Array<{ name: string; existing: PodCondition[]; want: PodCondition[] | undefined }> = [
    {
      name: 'adds PodScheduled=False to a pod without conditions',
      existing: [],
      want: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm', lastProbeTime: null, lastTransitionTime: now }],
    },
    {
      name: 'writes nothing when the condition already says the same',
      existing: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm', lastTransitionTime: earlier }],
      want: undefined,
    },
    {
      name: 'keeps the transition time when only the message changes',
      existing: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'old', lastTransitionTime: earlier }],
      want: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm', lastProbeTime: null, lastTransitionTime: earlier }],
    },
    {
      name: 'keeps other conditions',
      existing: [{ type: 'Ready', status: 'False' }],
      want: [
        { type: 'Ready', status: 'False' },
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm', lastProbeTime: null, lastTransitionTime: now },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = { ...makePod('p'), status: { conditions: c.existing } };
      expect(unschedulableConditions(pod, 'm', now)).toEqual(c.want);
    });
  }
});

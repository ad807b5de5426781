import { describe, expect, it } from 'vitest';
import type { Toleration } from '../../../api/types/scheduling.js';
import { nodeUnschedulable } from '../../../control-plane/scheduler/plugins/node-unschedulable.js';
import { cycle, makeNode, makePod, nodeInfo } from '../fixtures.js';

describe('NodeUnschedulable filter', () => {
  const cases: Array<{ name: string; cordoned: boolean; tolerations?: Toleration[]; fails: boolean }> = [
    { name: 'passes a schedulable node', cordoned: false, fails: false },
    { name: 'rejects a cordoned node', cordoned: true, fails: true },
    { name: 'passes a cordoned node for a pod tolerating the unschedulable taint', cordoned: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }], fails: false },
    { name: 'passes a cordoned node for a pod tolerating everything', cordoned: true, tolerations: [{ operator: 'Exists' }], fails: false },
    { name: 'a NoExecute-only toleration does not help', cordoned: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }], fails: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod('p', { tolerations: c.tolerations });
      const got = nodeUnschedulable.filter(cycle(pod), pod, nodeInfo(makeNode('n', { unschedulable: c.cordoned })));
      expect(got === undefined ? undefined : got.reasons).toEqual(c.fails ? ['node(s) were unschedulable'] : undefined);
      if (got) expect(got.code).toBe('UnschedulableAndUnresolvable');
    });
  }
});

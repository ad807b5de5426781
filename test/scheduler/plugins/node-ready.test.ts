import { describe, expect, it } from 'vitest';
import type { Toleration } from '../../../api/types/scheduling.js';
import { nodeReady } from '../../../control-plane/scheduler/plugins/node-ready.js';
import { cycle, makeNode, makePod, nodeInfo } from '../fixtures.js';

describe('NodeReady filter', () => {
  const cases: Array<{ name: string; ready: boolean | 'missing'; tolerations?: Toleration[]; fails: boolean }> = [
    { name: 'passes a Ready node', ready: true, fails: false },
    { name: 'rejects a node with Ready=False', ready: false, fails: true },
    { name: 'rejects a node that never reported Ready', ready: 'missing', fails: true },
    { name: 'passes a not-ready node for a pod tolerating not-ready', ready: false, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }], fails: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod('p', { tolerations: c.tolerations });
      const got = nodeReady.filter(cycle(pod), pod, nodeInfo(makeNode('n', { ready: c.ready })));
      expect(got?.reasons).toEqual(c.fails ? ['node(s) were not ready'] : undefined);
    });
  }
});

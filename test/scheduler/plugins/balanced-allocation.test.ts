import { describe, expect, it } from 'vitest';
import { nodeResourcesBalancedAllocation } from '../../../control-plane/scheduler/plugins/balanced-allocation.js';
import { container, cycle, makeNode, makePod, nodeInfo } from '../fixtures.js';

describe('NodeResourcesBalancedAllocation score', () => {
  const cases = [
    { name: 'equal shares score 100', node: { cpu: '1', memory: '1Gi' }, req: { cpu: '500m', memory: '512Mi' }, want: 100 },
    { name: 'cpu half, memory none-ish scores lower', node: { cpu: '1', memory: '1Gi' }, req: { cpu: '500m', memory: '1Mi' }, want: 75 },
    { name: 'shares are capped at 1', node: { cpu: '1', memory: '1Gi' }, req: { cpu: '4', memory: '1Mi' }, want: 50 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod('p', { containers: [container('c', c.req)] });
      expect(nodeResourcesBalancedAllocation.score(cycle(pod), pod, nodeInfo(makeNode('n', c.node)))).toBe(c.want);
    });
  }
});

import { describe, expect, it } from 'vitest';
import type { Taint } from '../../../api/types/node.js';
import type { Toleration } from '../../../api/types/scheduling.js';
import { taintTolerationFilter, taintTolerationScore } from '../../../control-plane/scheduler/plugins/taint-toleration.js';
import { cycle, makeNode, makePod, nodeInfo } from '../fixtures.js';

const controlPlane: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('TaintToleration filter', () => {
  const cases: Array<{ name: string; taints: Taint[]; tolerations?: Toleration[]; want?: string }> = [
    { name: 'passes an untainted node', taints: [] },
    { name: 'rejects an untolerated NoSchedule taint, named with an empty value', taints: [controlPlane], want: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
    { name: 'rejects an untolerated NoExecute taint with its value', taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }], want: 'node(s) had untolerated taint {dedicated: db}' },
    { name: 'ignores PreferNoSchedule taints', taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] },
    { name: 'passes a tolerated taint (Exists)', taints: [controlPlane], tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
    { name: 'passes a tolerated taint (Equal)', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }], tolerations: [{ key: 'dedicated', value: 'db' }] },
    { name: 'rejects when the value differs', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }], tolerations: [{ key: 'dedicated', value: 'web' }], want: 'node(s) had untolerated taint {dedicated: db}' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod('p', { tolerations: c.tolerations });
      const got = taintTolerationFilter.filter(cycle(pod), pod, nodeInfo(makeNode('n', { taints: c.taints })));
      expect(got?.reasons).toEqual(c.want ? [c.want] : undefined);
    });
  }
});

describe('TaintToleration score', () => {
  it('prefers nodes with fewer untolerated PreferNoSchedule taints', () => {
    const pod = makePod('p', { tolerations: [{ key: 'ok', operator: 'Exists', effect: 'PreferNoSchedule' }] });
    const nodes = [
      makeNode('none'),
      makeNode('one', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }),
      makeNode('two', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] }),
      makeNode('tolerated', { taints: [{ key: 'ok', effect: 'PreferNoSchedule' }] }),
    ];
    const state = cycle(pod);
    const scores = nodes.map((n) => taintTolerationScore.score(state, pod, nodeInfo(n)));
    expect(scores).toEqual([0, 1, 2, 0]);
    taintTolerationScore.normalize?.(state, pod, scores);
    expect(scores).toEqual([100, 50, 0, 100]);
  });

  it('gives every node 100 when none has such a taint', () => {
    const scores = [0, 0];
    taintTolerationScore.normalize?.(cycle(makePod('p')), makePod('p'), scores);
    expect(scores).toEqual([100, 100]);
  });
});

import { describe, expect, it } from 'vitest';
import { leastRequestedScore, nodeResourcesFitFilter, nodeResourcesLeastAllocated } from '../../../control-plane/scheduler/plugins/node-resources-fit.js';
import { container, cycle, makeNode, makePod, nodeInfo, type NodeSpecOptions } from '../fixtures.js';
import type { Pod } from '../../../api/types/pod.js';

describe('NodeResourcesFit filter', () => {
  const cases: Array<{ name: string; node: NodeSpecOptions; bound?: Pod[]; pod: Pod; want: string[] | undefined }> = [
    { name: 'fits an empty node', node: {}, pod: makePod('p', { containers: [container('c', { cpu: '1', memory: '1Gi' })] }), want: undefined },
    { name: 'rejects more cpu than allocatable', node: { cpu: '1' }, pod: makePod('p', { containers: [container('c', { cpu: '1500m' })] }), want: ['Insufficient cpu'] },
    {
      name: 'counts pods already bound',
      node: { cpu: '2' },
      bound: [makePod('a', { containers: [container('c', { cpu: '1500m' })] })],
      pod: makePod('p', { containers: [container('c', { cpu: '600m' })] }),
      want: ['Insufficient cpu'],
    },
    {
      name: 'reports every short resource',
      node: { cpu: '1', memory: '1Gi' },
      pod: makePod('p', { containers: [container('c', { cpu: '2', memory: '2Gi' })] }),
      want: ['Insufficient cpu', 'Insufficient memory'],
    },
    {
      name: 'rejects a node at its pod limit',
      node: { pods: '1' },
      bound: [makePod('a')],
      pod: makePod('p'),
      want: ['Too many pods'],
    },
    {
      name: 'checks ephemeral-storage',
      node: { ephemeralStorage: '1Gi' },
      pod: makePod('p', { containers: [container('c', { 'ephemeral-storage': '2Gi' })] }),
      want: ['Insufficient ephemeral-storage'],
    },
    {
      name: 'checks extended resources the node lacks',
      node: {},
      pod: makePod('p', { containers: [container('c', { 'example.com/gpu': '1' })] }),
      want: ['Insufficient example.com/gpu'],
    },
    {
      name: 'takes the largest init container, not the sum (fits)',
      node: { cpu: '2' },
      pod: makePod('p', { initContainers: [container('i1', { cpu: '2' }), container('i2', { cpu: '2' })], containers: [container('c', { cpu: '1' })] }),
      want: undefined,
    },
    {
      name: 'takes the largest init container when it exceeds the app containers',
      node: { cpu: '2' },
      pod: makePod('p', { initContainers: [container('i1', { cpu: '3' })], containers: [container('c', { cpu: '1' })] }),
      want: ['Insufficient cpu'],
    },
    {
      name: 'a pod without requests fits a full node that still has pod room',
      node: { cpu: '1' },
      bound: [makePod('a', { containers: [container('c', { cpu: '1' })] })],
      pod: makePod('p'),
      want: undefined,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = nodeResourcesFitFilter.filter(cycle(c.pod), c.pod, nodeInfo(makeNode('n', c.node), c.bound));
      expect(got?.reasons).toEqual(c.want);
      if (got) expect(got.code).toBe('Unschedulable');
    });
  }
});

describe('NodeResourcesFit LeastAllocated score', () => {
  it.each([
    { requested: 0, capacity: 4000, want: 100 },
    { requested: 1000, capacity: 4000, want: 75 },
    { requested: 4000, capacity: 4000, want: 0 },
    { requested: 5000, capacity: 4000, want: 0 },
    { requested: 10, capacity: 0, want: 0 },
  ])('leastRequestedScore($requested, $capacity) = $want', ({ requested, capacity, want }) => {
    expect(leastRequestedScore(requested, capacity)).toBe(want);
  });

  it('scores the emptier node higher, using default requests for pods that set none', () => {
    const pod = makePod('p');
    const empty = nodeInfo(makeNode('a', { cpu: '1', memory: '1Gi' }));
    const busy = nodeInfo(makeNode('b', { cpu: '1', memory: '1Gi' }), [makePod('x'), makePod('y')]);
    // 100m of 1000m and 200Mi of 1Gi on the empty node: cpu 90, memory 80 → 85.
    expect(nodeResourcesLeastAllocated.score(cycle(pod), pod, empty)).toBe(85);
    // 300m and 600Mi: cpu 70, memory 41 → 55.
    expect(nodeResourcesLeastAllocated.score(cycle(pod), pod, busy)).toBe(55);
  });
});

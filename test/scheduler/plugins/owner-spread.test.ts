import { describe, expect, it } from 'vitest';
import { ownerSpread } from '../../../control-plane/scheduler/plugins/owner-spread.js';
import { cycle, makeNode, makePod, nodeInfo, ownedBy } from '../fixtures.js';

describe('OwnerSpread score', () => {
  it('scores nodes with fewer pods of the same owner higher', () => {
    const pod = makePod('p', {}, ownedBy('rs1'));
    const nodes = [
      nodeInfo(makeNode('a')),
      nodeInfo(makeNode('b'), [makePod('x', {}, ownedBy('rs1'))]),
      nodeInfo(makeNode('c'), [makePod('y', {}, ownedBy('rs1')), makePod('z', {}, ownedBy('rs1'))]),
      nodeInfo(makeNode('d'), [makePod('o', {}, ownedBy('other'))]),
    ];
    const state = cycle(pod);
    const scores = nodes.map((n) => ownerSpread.score(state, pod, n));
    expect(scores).toEqual([0, 1, 2, 0]);
    ownerSpread.normalize?.(state, pod, scores);
    expect(scores).toEqual([100, 50, 0, 100]);
  });

  it('gives all nodes 100 for a pod without a controller owner', () => {
    const pod = makePod('p');
    const state = cycle(pod);
    const scores = [nodeInfo(makeNode('a'), [makePod('x', {}, ownedBy('rs1'))])].map((n) => ownerSpread.score(state, pod, n));
    ownerSpread.normalize?.(state, pod, scores);
    expect(scores).toEqual([100]);
  });
});

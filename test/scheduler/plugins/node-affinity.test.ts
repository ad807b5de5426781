import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../api/types/pod.js';
import type { NodeSelectorRequirement } from '../../../api/types/scheduling.js';
import { nodeAffinityFilter, nodeAffinityScore } from '../../../control-plane/scheduler/plugins/node-affinity.js';
import { cycle, makeNode, makePod, nodeInfo } from '../fixtures.js';

function required(exprs: NodeSelectorRequirement[], fields: NodeSelectorRequirement[] = []): Partial<Pod['spec']> {
  return {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ ...(exprs.length ? { matchExpressions: exprs } : {}), ...(fields.length ? { matchFields: fields } : {}) }],
        },
      },
    },
  };
}

const labels = { zone: 'a', disk: 'ssd', cores: '8' };

describe('NodeAffinity filter', () => {
  const cases: Array<{ name: string; spec: Partial<Pod['spec']>; fits: boolean }> = [
    { name: 'no constraints fit', spec: {}, fits: true },
    { name: 'nodeSelector match fits', spec: { nodeSelector: { zone: 'a' } }, fits: true },
    { name: 'nodeSelector mismatch is rejected', spec: { nodeSelector: { zone: 'b' } }, fits: false },
    { name: 'nodeSelector on a missing label is rejected', spec: { nodeSelector: { gpu: 'yes' } }, fits: false },
    { name: 'In matches', spec: required([{ key: 'zone', operator: 'In', values: ['a', 'b'] }]), fits: true },
    { name: 'In mismatch', spec: required([{ key: 'zone', operator: 'In', values: ['c'] }]), fits: false },
    { name: 'NotIn matches', spec: required([{ key: 'zone', operator: 'NotIn', values: ['c'] }]), fits: true },
    { name: 'NotIn mismatch', spec: required([{ key: 'zone', operator: 'NotIn', values: ['a'] }]), fits: false },
    { name: 'Exists matches', spec: required([{ key: 'disk', operator: 'Exists' }]), fits: true },
    { name: 'DoesNotExist mismatch', spec: required([{ key: 'disk', operator: 'DoesNotExist' }]), fits: false },
    { name: 'Gt matches', spec: required([{ key: 'cores', operator: 'Gt', values: ['4'] }]), fits: true },
    { name: 'Lt mismatch', spec: required([{ key: 'cores', operator: 'Lt', values: ['4'] }]), fits: false },
    { name: 'matchFields metadata.name matches', spec: required([], [{ key: 'metadata.name', operator: 'In', values: ['n1'] }]), fits: true },
    { name: 'matchFields metadata.name mismatch', spec: required([], [{ key: 'metadata.name', operator: 'In', values: ['n2'] }]), fits: false },
    {
      name: 'terms are ORed',
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z'] }] }, { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }],
            },
          },
        },
      },
      fits: true,
    },
    { name: 'nodeSelector and affinity must both hold', spec: { nodeSelector: { zone: 'b' }, ...required([{ key: 'disk', operator: 'Exists' }]) }, fits: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod('p', c.spec);
      const got = nodeAffinityFilter.filter(cycle(pod), pod, nodeInfo(makeNode('n1', { labels })));
      expect(got?.reasons).toEqual(c.fits ? undefined : ["node(s) didn't match Pod's node affinity/selector"]);
    });
  }
});

describe('NodeAffinity score', () => {
  it('sums the weights of matching preferred terms and normalises to the best node', () => {
    const pod = makePod('p', {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
            { weight: 30, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          ],
        },
      },
    });
    const nodes = [makeNode('both', { labels }), makeNode('zone', { labels: { zone: 'a' } }), makeNode('none')];
    const state = cycle(pod);
    const scores = nodes.map((n) => nodeAffinityScore.score(state, pod, nodeInfo(n)));
    expect(scores).toEqual([40, 10, 0]);
    nodeAffinityScore.normalize?.(state, pod, scores);
    expect(scores).toEqual([100, 25, 0]);
  });
});

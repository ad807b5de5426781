import { describe, expect, it } from 'vitest';
import type { FilterPlugin, ScorePlugin } from '../../control-plane/scheduler/framework.js';
import { defaultFilterPlugins, defaultScorePlugins } from '../../control-plane/scheduler/plugins/index.js';
import { numFeasibleNodesToFind, ScheduleAlgorithm } from '../../control-plane/scheduler/schedule-algorithm.js';
import { container, makeNode, makePod, nodeInfo, ownedBy } from './fixtures.js';
import { NodeInfo, newPodInfo } from '../../control-plane/scheduler/node-info.js';

describe('numFeasibleNodesToFind', () => {
  it.each([
    { nodes: 50, pct: 0, want: 50 },
    { nodes: 100, pct: 0, want: 100 },
    { nodes: 1000, pct: 0, want: 420 },
    { nodes: 5000, pct: 0, want: 500 },
    { nodes: 6000, pct: 0, want: 300 },
    { nodes: 10000, pct: 0, want: 500 },
    { nodes: 200, pct: 10, want: 100 },
    { nodes: 5000, pct: 100, want: 5000 },
  ])('$nodes nodes at $pct% → $want', ({ nodes, pct, want }) => {
    expect(numFeasibleNodesToFind(nodes, pct)).toBe(want);
  });
});

function countingFilter(counter: { calls: number }): FilterPlugin {
  return { name: 'Count', filter: () => void counter.calls++ };
}

describe('ScheduleAlgorithm', () => {
  it('breaks ties round-robin over successive decisions', () => {
    const algo = new ScheduleAlgorithm({ filters: defaultFilterPlugins, scores: [] });
    const nodes = ['a', 'b', 'c'].map((n) => nodeInfo(makeNode(n)));
    const picks = [1, 2, 3, 4, 5, 6].map((i) => {
      const r = algo.schedule(makePod(`p${i}`), nodes);
      return r.kind === 'scheduled' ? r.nodeName : r.message;
    });
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('picks the best-scoring node', () => {
    const score: ScorePlugin = { name: 'PreferB', weight: 1, score: (_s, _p, n) => (n.name === 'b' ? 100 : 10) };
    const algo = new ScheduleAlgorithm({ filters: [], scores: [score] });
    const nodes = ['a', 'b', 'c'].map((n) => nodeInfo(makeNode(n)));
    const r = algo.schedule(makePod('p'), nodes);
    expect(r.kind === 'scheduled' && r.nodeName).toBe('b');
  });

  it('stops filtering after enough feasible nodes and resumes where it stopped', () => {
    const counter = { calls: 0 };
    const algo = new ScheduleAlgorithm({ filters: [countingFilter(counter)], scores: [] });
    const nodes = Array.from({ length: 5000 }, (_, i) => nodeInfo(makeNode(`n${i}`)));
    const first = algo.schedule(makePod('p1'), nodes);
    expect(counter.calls).toBe(500);
    expect(first.kind === 'scheduled' && first.evaluatedNodes).toBe(500);
    counter.calls = 0;
    const second = algo.schedule(makePod('p2'), nodes);
    expect(counter.calls).toBe(500);
    // Ties go round-robin inside the window; the second window starts at node 500.
    expect(second.kind === 'scheduled' && Number(second.nodeName.slice(1))).toBeGreaterThanOrEqual(500);
  });

  it('filters every node when few fit, and explains each failure', () => {
    const algo = new ScheduleAlgorithm({ filters: defaultFilterPlugins, scores: defaultScorePlugins });
    const nodes = [
      nodeInfo(makeNode('small1', { cpu: '1' })),
      nodeInfo(makeNode('small2', { cpu: '1' })),
      nodeInfo(makeNode('cp', { cpu: '8', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })),
    ];
    const r = algo.schedule(makePod('p', { containers: [container('c', { cpu: '2' })] }), nodes);
    expect(r.kind).toBe('unschedulable');
    expect(r.kind === 'unschedulable' && r.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('reports a not-ready node by its taint when it has one, by its condition otherwise', () => {
    const algo = new ScheduleAlgorithm({ filters: defaultFilterPlugins, scores: defaultScorePlugins });
    const nodes = [
      nodeInfo(makeNode('tainted', { ready: false, taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] })),
      nodeInfo(makeNode('plain', { ready: false })),
    ];
    const r = algo.schedule(makePod('p'), nodes);
    expect(r.kind === 'unschedulable' && r.message).toBe(
      '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were not ready. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
  });

  it('spreads the pods of one owner over equal nodes with the default plugins', () => {
    const algo = new ScheduleAlgorithm({ filters: defaultFilterPlugins, scores: defaultScorePlugins });
    const nodes = ['a', 'b', 'c'].map((n) => new NodeInfo(makeNode(n)));
    const placed: string[] = [];
    for (let i = 0; i < 6; i++) {
      const pod = makePod(`web-${i}`, { containers: [container('c', { cpu: '100m', memory: '100Mi' })] }, ownedBy('rs1'));
      const r = algo.schedule(pod, nodes);
      if (r.kind !== 'scheduled') throw new Error(r.message);
      placed.push(r.nodeName);
      nodes.find((n) => n.name === r.nodeName)?.addPod(newPodInfo(`default/web-${i}`, pod));
    }
    expect(placed.filter((n) => n === 'a').length).toBe(2);
    expect(placed.filter((n) => n === 'b').length).toBe(2);
    expect(placed.filter((n) => n === 'c').length).toBe(2);
  });

  it('prefers the node without an untolerated PreferNoSchedule taint', () => {
    const algo = new ScheduleAlgorithm({ filters: defaultFilterPlugins, scores: defaultScorePlugins });
    const nodes = [nodeInfo(makeNode('soft', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] })), nodeInfo(makeNode('clean'))];
    for (let i = 0; i < 3; i++) {
      const r = algo.schedule(makePod(`p${i}`), nodes);
      expect(r.kind === 'scheduled' && r.nodeName).toBe('clean');
    }
  });
});

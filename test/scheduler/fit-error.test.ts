import { describe, expect, it } from 'vitest';
import type { FilterFailure } from '../../control-plane/scheduler/framework.js';
import { fitErrorMessage } from '../../control-plane/scheduler/fit-error.js';
import { makePod } from './fixtures.js';

const cpu: FilterFailure = { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] };
const cpuMem: FilterFailure = { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu', 'Insufficient memory'] };
const taint: FilterFailure = {
  plugin: 'TaintToleration',
  code: 'UnschedulableAndUnresolvable',
  reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
};
const cordoned: FilterFailure = { plugin: 'NodeUnschedulable', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] };
const pods: FilterFailure = { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Too many pods'] };

describe('fitErrorMessage', () => {
  const cases = [
    {
      name: 'counts reasons per node and sorts the entries as strings, as upstream',
      nodes: 3,
      failures: [cpu, cpu, taint],
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    },
    {
      name: 'matches upstream text for cordoned and full nodes',
      nodes: 3,
      failures: [cordoned, pods, pods],
      want: '0/3 nodes are available: 1 node(s) were unschedulable, 2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    },
    {
      name: 'counts each reason of a node that lacks several resources',
      nodes: 2,
      failures: [cpuMem, cpu],
      want: '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    },
    {
      name: 'all unresolvable: preemption is not helpful anywhere',
      nodes: 1,
      failures: [taint],
      want: '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    },
    { name: 'no nodes at all', nodes: 0, failures: [], want: 'no nodes available to schedule pods' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(fitErrorMessage(makePod('p'), c.nodes, c.failures)).toBe(c.want);
    });
  }

  it('says a pod with preemptionPolicy Never is not eligible', () => {
    expect(fitErrorMessage(makePod('p', { preemptionPolicy: 'Never' }), 1, [cpu])).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });
});

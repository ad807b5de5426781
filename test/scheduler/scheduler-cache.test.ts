import { describe, expect, it } from 'vitest';
import { SchedulerCache } from '../../control-plane/scheduler/scheduler-cache.js';
import { container, makeNode, makePod } from './fixtures.js';

const pod = (name: string, nodeName?: string) => makePod(name, { nodeName, containers: [container('c', { cpu: '500m' })] });

describe('SchedulerCache', () => {
  it('counts an assumed pod at once and drops it on forget', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode('n1'));
    cache.assume('default/a', pod('a'), 'n1');
    expect(cache.getNode('n1')?.requested.milliCpu).toBe(500);
    expect(cache.isAssumed('default/a')).toBe(true);
    cache.forget('default/a');
    expect(cache.getNode('n1')?.requested.milliCpu).toBe(0);
  });

  it('confirms an assumed pod when the watch reports it bound, and then forget is a no-op', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode('n1'));
    cache.assume('default/a', pod('a'), 'n1');
    cache.addOrUpdateBoundPod('default/a', pod('a', 'n1'));
    expect(cache.isAssumed('default/a')).toBe(false);
    cache.forget('default/a');
    expect(cache.getNode('n1')?.requested.milliCpu).toBe(500);
    expect(cache.getNode('n1')?.pods.size).toBe(1);
  });

  it('moves a pod bound elsewhere than assumed', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode('n1'));
    cache.addOrUpdateNode(makeNode('n2'));
    cache.assume('default/a', pod('a'), 'n1');
    cache.addOrUpdateBoundPod('default/a', pod('a', 'n2'));
    expect(cache.getNode('n1')?.pods.size).toBe(0);
    expect(cache.getNode('n2')?.pods.size).toBe(1);
  });

  it('keeps pods bound to a node that arrives later', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateBoundPod('default/a', pod('a', 'late'));
    expect(cache.nodeCount()).toBe(0);
    cache.addOrUpdateNode(makeNode('late'));
    expect(cache.getNode('late')?.requested.milliCpu).toBe(500);
    expect(cache.nodeList().map((n) => n.name)).toEqual(['late']);
  });

  it('removes nodes from the iteration list and frees pods on delete', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode('n1'));
    cache.addOrUpdateNode(makeNode('n2'));
    cache.addOrUpdateBoundPod('default/a', pod('a', 'n2'));
    cache.removeNode('n1');
    expect(cache.nodeList().map((n) => n.name)).toEqual(['n2']);
    cache.removePod('default/a');
    expect(cache.getNode('n2')?.requested.milliCpu).toBe(0);
  });

  it('updates allocatable on node update and keeps the pod sums', () => {
    const cache = new SchedulerCache();
    cache.addOrUpdateNode(makeNode('n1', { cpu: '1' }));
    cache.addOrUpdateBoundPod('default/a', pod('a', 'n1'));
    cache.addOrUpdateNode(makeNode('n1', { cpu: '2' }));
    expect(cache.getNode('n1')?.allocatable.milliCpu).toBe(2000);
    expect(cache.getNode('n1')?.requested.milliCpu).toBe(500);
  });
});

import { describe, expect, it } from 'vitest';
import { nodeName } from '../../../control-plane/scheduler/plugins/node-name.js';
import { cycle, makeNode, makePod, nodeInfo } from '../fixtures.js';

describe('NodeName filter', () => {
  it.each([
    { name: 'passes a pod without nodeName', want: undefined, podNode: undefined },
    { name: 'passes the named node', want: undefined, podNode: 'n1' },
    { name: 'rejects another node', want: ["node(s) didn't match the requested node name"], podNode: 'n2' },
  ])('$name', ({ want, podNode }) => {
    const pod = makePod('p', podNode ? { nodeName: podNode } : {});
    const got = nodeName.filter(cycle(pod), pod, nodeInfo(makeNode('n1')));
    expect(got?.reasons).toEqual(want);
  });
});

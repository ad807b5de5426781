import { describe, expect, it } from 'vitest';
import type { ContainerPort } from '../../../api/types/container.js';
import { nodePorts } from '../../../control-plane/scheduler/plugins/node-ports.js';
import { container, cycle, makeNode, makePod, nodeInfo } from '../fixtures.js';

function withPorts(name: string, ports: ContainerPort[]) {
  return makePod(name, { containers: [container('c', undefined, { ports })] });
}

describe('NodePorts filter', () => {
  const cases: Array<{ name: string; used: ContainerPort[]; want: ContainerPort[]; fails: boolean }> = [
    { name: 'passes when no host port is asked', used: [{ containerPort: 80, hostPort: 80 }], want: [{ containerPort: 80 }], fails: false },
    { name: 'rejects the same TCP host port', used: [{ containerPort: 80, hostPort: 8080 }], want: [{ containerPort: 81, hostPort: 8080 }], fails: true },
    { name: 'passes the same port over another protocol', used: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }], want: [{ containerPort: 53, hostPort: 53 }], fails: false },
    { name: 'passes the same port on different host IPs', used: [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.1' }], want: [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.2' }], fails: false },
    { name: 'rejects a specific IP when all addresses are bound', used: [{ containerPort: 80, hostPort: 80 }], want: [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.2' }], fails: true },
    { name: 'rejects all addresses when a specific IP is bound', used: [{ containerPort: 80, hostPort: 80, hostIP: '10.0.0.1' }], want: [{ containerPort: 80, hostPort: 80 }], fails: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = withPorts('p', c.want);
      const got = nodePorts.filter(cycle(pod), pod, nodeInfo(makeNode('n'), [withPorts('old', c.used)]));
      expect(got?.reasons).toEqual(c.fails ? ["node(s) didn't have free ports for the requested pod ports"] : undefined);
      if (got) expect(got.code).toBe('Unschedulable');
    });
  }

  it('frees the port when the holder leaves the node', () => {
    const holder = withPorts('old', [{ containerPort: 80, hostPort: 80 }]);
    const info = nodeInfo(makeNode('n'), [holder]);
    info.removePod('default/old');
    const pod = withPorts('p', [{ containerPort: 80, hostPort: 80 }]);
    expect(nodePorts.filter(cycle(pod), pod, info)).toBeUndefined();
  });
});

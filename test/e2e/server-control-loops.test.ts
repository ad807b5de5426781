// `skiff server` runs the scheduler and the controllers in-process by default: a Deployment created with
// kubectl becomes a ReplicaSet and pods bound to a node, and a pod that fits nowhere gets upstream's
// FailedScheduling text. No agent runs here: the Node is an API object the test writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, type Kubectl } from '../support/kubectl.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';
import { eventually } from '../support/eventually.js';

const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1' } },
  status: {
    capacity: { cpu: '2', memory: '4Gi', pods: '110' },
    allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test node', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
  },
};

describe('skiff server with its in-process control loops', () => {
  let server: SkiffServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    server = await startSkiffServer({ controlLoops: true });
    kubectl = kubectlFor(server.kubeconfigPath);
    await kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(node) });
    // Nodes report status through the status subresource, as a kubelet would.
    await kubectl.ok(['patch', 'node', 'worker-1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: node.status })]);
  });

  afterAll(async () => {
    await kubectl?.cleanup();
    await server?.stop();
  });

  it('turns a deployment into a replica set and pods bound to the node', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=skiff/busybox:v1', '--replicas=3']);
    const bound = await eventually('3 pods bound to worker-1', async () => {
      const out = await kubectl.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}']);
      const nodes = out.split('\n').filter((l) => l !== '');
      return nodes.length === 3 && nodes.every((n) => n === 'worker-1') ? nodes : undefined;
    });
    expect(bound).toHaveLength(3);
    expect(await kubectl.ok(['get', 'replicasets', '-l', 'app=web', '-o', 'name'])).toMatch(/^replicaset\.apps\/web-/);
  });

  it('cascades a deployment delete to its replica set', async () => {
    await kubectl.ok(['delete', 'deployment', 'web', '--wait=false']);
    await eventually('the replica set gone', async () => {
      const out = await kubectl.ok(['get', 'replicasets', '-l', 'app=web', '-o', 'name']);
      return out.trim() === '' ? true : undefined;
    });
    // With no kubelet, bound pods can only reach graceful termination: deletionTimestamp set, then wait.
    await eventually('every pod terminating or gone', async () => {
      const out = await kubectl.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.deletionTimestamp}{"\\n"}{end}']);
      const stamps = out.split('\n').filter((l) => l !== '');
      return stamps.every((s) => s.length > 0) ? true : undefined;
    });
  });

  it('leaves a pod that fits nowhere Pending with the FailedScheduling reason', async () => {
    await kubectl.ok(['run', 'huge', '--image=skiff/busybox:v1', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'huge', image: 'skiff/busybox:v1', resources: { requests: { cpu: '64' } } }] } })]);
    const message = await eventually('a FailedScheduling event', async () => {
      const out = await kubectl.ok(['get', 'events', '--field-selector', 'involvedObject.name=huge,reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}']);
      return out.trim() !== '' ? out.trim() : undefined;
    });
    expect(message).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu\./);
    expect(await kubectl.ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.phase}'])).toBe('Pending');
  });
});

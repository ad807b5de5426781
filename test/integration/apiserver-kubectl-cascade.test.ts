// kubectl delete --cascade against a real `skiff server` with its control loops: the API server turns
// the policy into the garbage collector's finalizer, the garbage collector does the rest. Needs dist/
// built (`npx tsc -p tsconfig.build.json`). No agent runs: the Node is an API object the test writes,
// so bound pods stay terminating until the test force-deletes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, type Kubectl } from '../support/kubectl.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';
import { eventually } from '../support/eventually.js';

const now = new Date().toISOString();
const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1' } },
  status: {
    capacity: { cpu: '2', memory: '4Gi', pods: '110' },
    allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test node', lastHeartbeatTime: now, lastTransitionTime: now }],
  },
};

describe('kubectl delete --cascade', () => {
  let server: SkiffServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    server = await startSkiffServer({ controlLoops: true });
    kubectl = kubectlFor(server.kubeconfigPath);
    await kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(node) });
    await kubectl.ok(['patch', 'node', 'worker-1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: node.status })]);
  }, 120_000);

  afterAll(async () => {
    await kubectl?.cleanup();
    await server?.stop();
  });

  async function replicaSetOf(deployment: string): Promise<string> {
    return eventually(`the replica set of ${deployment}`, async () => {
      const out = (await kubectl.ok(['get', 'replicasets', '-l', `app=${deployment}`, '-o', 'name'])).trim();
      return out !== '' ? out : undefined;
    });
  }

  it('orphans the replica set: the deployment goes, the replica set stays without its owner', async () => {
    await kubectl.ok(['create', 'deployment', 'orphaner', '--image=skiff/busybox:v1', '--replicas=0']);
    const rs = await replicaSetOf('orphaner');
    await kubectl.ok(['delete', 'deployment', 'orphaner', '--cascade=orphan']);
    await eventually('the deployment gone', async () => {
      const res = await kubectl.run(['get', 'deployment', 'orphaner']);
      return res.code !== 0 && res.stderr.includes('NotFound') ? true : undefined;
    });
    const owners = await eventually('the replica set without owner references', async () => {
      const out = await kubectl.ok(['get', rs, '-o', 'jsonpath={.metadata.ownerReferences}']);
      return out.trim() === '' ? out : undefined;
    });
    expect(owners.trim()).toBe('');
    expect((await kubectl.ok(['get', rs, '-o', 'name'])).trim()).toBe(rs);
  }, 120_000);

  it('deletes in the foreground: the deployment stays terminating until its dependents are gone', async () => {
    await kubectl.ok(['create', 'deployment', 'fg', '--image=skiff/busybox:v1', '--replicas=1']);
    await replicaSetOf('fg');
    const pod = await eventually('a pod bound to worker-1', async () => {
      const out = (await kubectl.ok(['get', 'pods', '-l', 'app=fg', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{"\\n"}{end}'])).trim();
      const [name, nodeName] = out.split(' ');
      return name && nodeName === 'worker-1' ? name : undefined;
    });
    await kubectl.ok(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false']);
    // The bound pod waits for a kubelet that never comes, so the deployment must stay, terminating.
    const meta = JSON.parse(await kubectl.ok(['get', 'deployment', 'fg', '-o', 'jsonpath={.metadata}'])) as { deletionTimestamp?: string; finalizers?: string[] };
    expect(meta.deletionTimestamp).toBeTruthy();
    expect(meta.finalizers).toContain('foregroundDeletion');
    await eventually('the pod terminating', async () => {
      const out = await kubectl.ok(['get', 'pod', pod, '-o', 'jsonpath={.metadata.deletionTimestamp}']);
      return out.trim() !== '' ? true : undefined;
    });
    expect((await kubectl.run(['get', 'deployment', 'fg'])).code).toBe(0);
    await kubectl.ok(['delete', 'pod', pod, '--grace-period=0', '--force']);
    await eventually('the deployment gone', async () => {
      const res = await kubectl.run(['get', 'deployment', 'fg']);
      return res.code !== 0 && res.stderr.includes('NotFound') ? true : undefined;
    });
    expect((await kubectl.ok(['get', 'replicasets', '-l', 'app=fg', '-o', 'name'])).trim()).toBe('');
  }, 180_000);

  it('prints upstream’s strict decoding error for an unknown field', async () => {
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, data: { a: 'b' }, spec: { foo: 1 } });
    const res = await kubectl.run(['create', '-f', '-'], { input: manifest });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"');
  }, 60_000);
});

// The control loops on a real node: `skiff server` (scheduler and controllers in-process) and `skiff agent`
// running pods on Docker, driven by the real kubectl. Deployments roll out with real readiness, Jobs
// complete, DaemonSets land a pod on the node, and deletes cascade until the containers are gone.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, type Kubectl } from '../support/kubectl.js';
import { eventually, runtimeContainersOf, startAgentEnv, type AgentEnv } from '../kubelet/support/agent-e2e.js';

// A second tag of the test image, so `set image` is a real template change without a registry.
const rolloutImage = 'skiff/busybox:v1-rollout';

function deployment(ns: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: 'web',
            image: 'skiff/busybox:v1',
            imagePullPolicy: 'IfNotPresent',
            command: ['httpd', '-f', '-p', '8080', '-h', '/var/www'],
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
          }],
        },
      },
    },
  });
}

describe('workloads on a real node', () => {
  let env: AgentEnv;
  let kubectl: Kubectl;
  const ns = 'workloads';

  beforeAll(async () => {
    execFileSync('docker', ['tag', 'skiff/busybox:v1', rolloutImage]);
    env = await startAgentEnv('workloads', { controlLoops: true });
    await env.startAgent();
    kubectl = kubectlFor(env.server.kubeconfigPath);
    await kubectl.ok(['create', 'namespace', ns]);
    await kubectl.ok(['wait', '--for=condition=Ready', `node/${env.nodeName}`, '--timeout=60s']);
  });

  afterAll(async () => {
    await kubectl?.cleanup();
    await env?.cleanup();
    try {
      execFileSync('docker', ['rmi', rolloutImage], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  });

  const available = async (): Promise<number> =>
    Number((await kubectl.ok(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.status.availableReplicas}'])) || '0');

  it('runs a deployment of 3, scales it, and rolls out a new image never below replicas - maxUnavailable', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: deployment(ns) });
    await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=120s']);
    expect(await available()).toBe(3);

    await kubectl.ok(['scale', 'deployment/web', '-n', ns, '--replicas=4']);
    await eventually('4 available replicas', async () => (await available()) === 4, 120_000);

    await kubectl.ok(['set', 'image', 'deployment/web', '-n', ns, `web=${rolloutImage}`]);
    // Watch availability through the rollout: with 4 replicas and maxUnavailable 1, never fewer than 3.
    let lowest = Number.POSITIVE_INFINITY;
    let done = false;
    const sampling = (async () => {
      while (!done) {
        lowest = Math.min(lowest, await available());
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=180s'], { timeoutMs: 200_000 });
    done = true;
    await sampling;
    expect(lowest).toBeGreaterThanOrEqual(3);
    // Old pods may still be terminating (phase Running, deletionTimestamp set) after the rollout completes.
    const rows = await kubectl.ok(['get', 'pods', '-n', ns, '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.deletionTimestamp}|{.spec.containers[0].image}{"\\n"}{end}']);
    const live = rows.split('\n').filter((r) => r.startsWith('|')).map((r) => r.slice(1));
    expect(live).toEqual([rolloutImage, rolloutImage, rolloutImage, rolloutImage]);
  });

  it('undoes the rollout back to the first image', async () => {
    await kubectl.ok(['rollout', 'undo', 'deployment/web', '-n', ns]);
    await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=180s'], { timeoutMs: 200_000 });
    expect(await kubectl.ok(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('skiff/busybox:v1');
  });

  it('deletes the deployment down to its last container', async () => {
    const uids = (await kubectl.ok(['get', 'pods', '-n', ns, '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.uid}'])).split(' ').filter((u) => u !== '');
    expect(uids.length).toBeGreaterThan(0);
    await kubectl.ok(['delete', 'deployment', 'web', '-n', ns]);
    await eventually('no pods and no replica sets left', async () => {
      const left = await kubectl.ok(['get', 'pods,replicasets', '-n', ns, '-l', 'app=web', '-o', 'name']);
      return left.trim() === '';
    }, 120_000);
    for (const uid of uids) expect(await runtimeContainersOf(env.cri(), uid)).toEqual([]);
  });

  it('runs a job to completion', async () => {
    await kubectl.ok(['create', 'job', 'once', '-n', ns, '--image=skiff/busybox:v1', '--', 'sh', '-c', 'echo finished']);
    await kubectl.ok(['wait', '--for=condition=Complete', 'job/once', '-n', ns, '--timeout=120s'], { timeoutMs: 130_000 });
    expect(await kubectl.ok(['get', 'job', 'once', '-n', ns, '-o', 'jsonpath={.status.succeeded}'])).toBe('1');
  });

  it('puts a daemon set pod on the node', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: ns },
        spec: {
          selector: { matchLabels: { app: 'daemon' } },
          template: {
            metadata: { labels: { app: 'daemon' } },
            spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'sleep', image: 'skiff/busybox:v1', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
          },
        },
      }),
    });
    await eventually('the daemon pod Running on the node', async () => {
      const out = await kubectl.ok(['get', 'pods', '-n', ns, '-l', 'app=daemon', '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{"\\n"}{end}']);
      return out.trim() === `${env.nodeName} Running`;
    }, 120_000);
    expect(await kubectl.ok(['get', 'daemonset', 'agent', '-n', ns, '-o', 'jsonpath={.status.numberReady}'])).toBe('1');
  });
});

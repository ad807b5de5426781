// The agent on real Docker: probes (liveness restarts with back-off, readiness flipping Ready), a container
// killed outside Skiff noticed by the PLEG, graceful deletion with a preStop hook, and recovery after the
// agent is killed with SIGKILL (adoption without duplicates, same pod IP, orphans removed).
import fs from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../api/index.js';
import { NotFoundError } from '../../api/errors.js';
import {
  createNamespace, eventually, getPod, podsResource, runtimeContainersOf, startAgentEnv, waitReady, type AgentEnv,
} from '../kubelet/support/agent-e2e.js';

const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
let env: AgentEnv;
const ns = `agent-life-${Date.now().toString(36)}`;

beforeAll(async () => {
  env = await startAgentEnv('agent-life');
  await createNamespace(env.client, ns);
  await env.startAgent();
}, 180_000);

afterAll(async () => {
  await env?.cleanup();
}, 120_000);

function sleeper(name: string, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { nodeName: env.nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'skiff/busybox:v1', command: ['sleep', '3600'] }], ...extra },
  };
}

function idOf(pod: Pod, container: string): string {
  const id = pod.status?.containerStatuses?.find((c) => c.name === container)?.containerID ?? '';
  return id.replace(/^docker:\/\//, '');
}

describe('skiff agent lifecycle', () => {
  it('restarts a container failing its liveness probe, with CrashLoopBackOff between restarts', async () => {
    await env.client.create(podsResource, sleeper('liveness', {
      containers: [{ name: 'app', image: 'skiff/busybox:v1', command: ['sleep', '3600'], livenessProbe: { exec: { command: ['test', '-f', '/nonexistent'] }, periodSeconds: 1, failureThreshold: 1 } }],
    }));
    const seen = new Set<string>();
    const pod = await eventually('restartCount >= 2 and CrashLoopBackOff seen', async () => {
      const p = await getPod(env.client, ns, 'liveness');
      const cs = p.status?.containerStatuses?.[0];
      if (cs?.state?.waiting?.reason) seen.add(cs.state.waiting.reason);
      return (cs?.restartCount ?? 0) >= 2 && seen.has('CrashLoopBackOff') ? p : undefined;
    }, 120_000, 200);
    const cs = pod.status!.containerStatuses![0]!;
    expect([137, 143]).toContain(cs.lastState?.terminated?.exitCode); // SIGKILL or SIGTERM, as the process takes it
    expect(pod.status?.phase).toBe('Running');
  }, 180_000);

  it('flips Ready with an httpGet readiness probe as the served file comes and goes', async () => {
    await env.client.create(podsResource, sleeper('readiness', {
      containers: [{
        name: 'web', image: 'skiff/busybox:v1',
        command: ['sh', '-c', 'mkdir -p /www && touch /www/ready.html && exec httpd -f -p 8080 -h /www'],
        readinessProbe: { httpGet: { path: '/ready.html', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
      }],
    }));
    const pod = await waitReady(env.client, ns, 'readiness');
    const id = idOf(pod, 'web');
    await env.cri().execSync({ container_id: id, cmd: ['rm', '/www/ready.html'], timeout: 10 });
    await eventually('Ready=False', async () => {
      const p = await getPod(env.client, ns, 'readiness');
      return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False' && p.status.containerStatuses?.[0]?.ready === false;
    });
    await env.cri().execSync({ container_id: id, cmd: ['touch', '/www/ready.html'], timeout: 10 });
    await waitReady(env.client, ns, 'readiness');
  }, 180_000);

  it('notices a container killed outside Skiff and restarts it', async () => {
    await env.client.create(podsResource, sleeper('killed'));
    const pod = await waitReady(env.client, ns, 'killed');
    await docker.getContainer(idOf(pod, 'app')).kill();
    const after = await eventually('restarted after docker kill', async () => {
      const p = await getPod(env.client, ns, 'killed');
      const cs = p.status?.containerStatuses?.[0];
      return cs?.restartCount === 1 && cs.state?.running ? p : undefined;
    }, 60_000);
    expect(after.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(137);
  }, 120_000);

  it('deletes gracefully: runs the preStop hook, removes the containers, then the pod object', async () => {
    const hostDir = path.join(env.dir, 'hostpath');
    await env.client.create(podsResource, sleeper('graceful', {
      terminationGracePeriodSeconds: 10,
      volumes: [{ name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } }],
      containers: [{
        name: 'app', image: 'skiff/busybox:v1', command: ['sleep', '3600'],
        volumeMounts: [{ name: 'host', mountPath: '/host' }],
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop-ran > /host/prestop'] } } },
      }],
    }));
    const pod = await waitReady(env.client, ns, 'graceful');
    await env.client.delete(podsResource, 'graceful', { namespace: ns });
    await eventually('pod object gone', async () => {
      try {
        await getPod(env.client, ns, 'graceful');
        return false;
      } catch (err) {
        return err instanceof NotFoundError;
      }
    }, 60_000);
    expect(fs.readFileSync(path.join(hostDir, 'prestop'), 'utf8').trim()).toBe('prestop-ran');
    expect(await runtimeContainersOf(env.cri(), pod.metadata.uid!)).toEqual([]);
    const sandboxes = await env.cri().listPodSandbox({ filter: { label_selector: { 'io.kubernetes.pod.uid': pod.metadata.uid! } } });
    expect(sandboxes.items).toEqual([]);
    expect(fs.existsSync(path.join(env.dataDir, 'pods', pod.metadata.uid!))).toBe(false);
  }, 120_000);

  it('adopts running pods after kill -9 without duplicates and with the same pod IP, and removes orphans', async () => {
    await env.client.create(podsResource, sleeper('survivor', {
      containers: [{ name: 'a', image: 'skiff/busybox:v1', command: ['sleep', '3600'] }, { name: 'b', image: 'skiff/busybox:v1', command: ['sleep', '3600'] }],
    }));
    await env.client.create(podsResource, sleeper('doomed'));
    const survivor = await waitReady(env.client, ns, 'survivor');
    const doomed = await waitReady(env.client, ns, 'doomed');
    const before = (await runtimeContainersOf(env.cri(), survivor.metadata.uid!)).sort();
    expect(before).toHaveLength(2);

    await env.kill9();
    // Gone from the API while the agent is down: only housekeeping can clean it up.
    await env.client.delete(podsResource, 'doomed', { namespace: ns, gracePeriodSeconds: 0 });
    await env.startAgent();

    await eventually('orphan removed', async () => (await runtimeContainersOf(env.cri(), doomed.metadata.uid!)).length === 0, 60_000);
    // Give the restarted agent several sync periods to (wrongly) create anything.
    await new Promise((r) => setTimeout(r, 4000));
    const after = (await runtimeContainersOf(env.cri(), survivor.metadata.uid!)).sort();
    expect(after).toEqual(before);
    const sandboxes = await env.cri().listPodSandbox({ filter: { label_selector: { 'io.kubernetes.pod.uid': survivor.metadata.uid! } } });
    expect(sandboxes.items).toHaveLength(1);
    const now = await waitReady(env.client, ns, 'survivor');
    expect(now.status?.podIP).toBe(survivor.status?.podIP);
    expect(now.status?.containerStatuses?.map((c) => c.restartCount)).toEqual([0, 0]);
  }, 240_000);
});

// The real kubectl's rollout commands against a skiff server with the controllers running in this process:
// they only work if the Deployment controller keeps revisions, ReplicaSets and status the way upstream does.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Deployment, Pod, ReplicaSet } from '../../api/index.js';
import { InformerFactory, RealClock, RestClient } from '../../client/index.js';
import { startControllers, type RunningControllers } from '../../control-plane/controllers/index.js';
import { deploymentsResource, podsResource, replicaSetsResource } from '../../control-plane/controllers/resources.js';
import { kubectlFor, type Kubectl } from '../support/kubectl.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';
import { FakeKubelet } from '../controllers/fake-kubelet.js';
import { createNamespace, eventually, listIn, ns } from '../controllers/harness.js';

describe('kubectl rollout against the controllers', () => {
  let server: SkiffServer | undefined;
  let client: RestClient;
  let informers: InformerFactory;
  let running: RunningControllers | undefined;
  let kubectl: Kubectl | undefined;
  const kubelets: FakeKubelet[] = [];

  beforeAll(async () => {
    server = await startSkiffServer();
    client = RestClient.fromKubeconfig(server.kubeconfigPath, { rateLimit: false });
    const logger = pino({ level: process.env['SKIFF_TEST_LOG'] ?? 'silent' });
    informers = new InformerFactory(client, { logger });
    running = await startControllers({ client, informers, clock: new RealClock(), logger });
    kubectl = kubectlFor(server.kubeconfigPath);
  }, 90_000);

  afterEach(async () => {
    await Promise.all(kubelets.splice(0).map((k) => k.stop()));
  });

  afterAll(async () => {
    await kubectl?.cleanup();
    await running?.stop();
    await informers?.stop();
    client?.close();
    await server?.stop();
  });

  it('create, rollout status, set image, history, undo, pause/resume, restart, scale and delete', async () => {
    const k = kubectl as Kubectl;
    const namespace = ns('kubectl');
    await createNamespace(client, namespace);
    const kubelet = new FakeKubelet(client, namespace);
    kubelets.push(kubelet);
    await kubelet.start();
    const n = ['-n', namespace];

    await k.ok([...n, 'create', 'deployment', 'web', '--image=web:1', '--replicas=3']);
    expect(await k.ok([...n, 'rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');

    await k.ok([...n, 'set', 'image', 'deployment/web', 'web=web:2']);
    expect(await k.ok([...n, 'rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    const history = await k.ok([...n, 'rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);

    await k.ok([...n, 'rollout', 'undo', 'deployment/web']);
    expect(await k.ok([...n, 'rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    const afterUndo = await client.get<Deployment>(deploymentsResource, 'web', { namespace });
    expect(afterUndo.spec?.template.spec?.containers[0]?.image).toBe('web:1');
    expect(afterUndo.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(await listIn<ReplicaSet>(client, replicaSetsResource, namespace)).toHaveLength(2);

    await k.ok([...n, 'rollout', 'pause', 'deployment/web']);
    await k.ok([...n, 'set', 'image', 'deployment/web', 'web=web:3']);
    await eventually(async () => {
      const d = await client.get<Deployment>(deploymentsResource, 'web', { namespace });
      return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
    });
    expect(await listIn<ReplicaSet>(client, replicaSetsResource, namespace)).toHaveLength(2);
    await k.ok([...n, 'rollout', 'resume', 'deployment/web']);
    expect(await k.ok([...n, 'rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    expect(await listIn<ReplicaSet>(client, replicaSetsResource, namespace)).toHaveLength(3);

    await k.ok([...n, 'rollout', 'restart', 'deployment/web']);
    expect(await k.ok([...n, 'rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    const restarted = await client.get<Deployment>(deploymentsResource, 'web', { namespace });
    expect(restarted.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('5');

    await k.ok([...n, 'scale', 'deployment/web', '--replicas=5']);
    expect(await k.ok([...n, 'rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain('successfully rolled out');
    await eventually(async () => (await listIn<Pod>(client, podsResource, namespace)).length === 5);

    await k.ok([...n, 'delete', 'deployment', 'web']);
    await eventually(async () => (await listIn(client, replicaSetsResource, namespace)).length === 0, 60_000, 'replica sets collected');
    await eventually(async () => (await listIn(client, podsResource, namespace)).length === 0, 60_000, 'pods collected');
  });
});

// The controllers against a real `skiff server` child process (the built dist/), running in this test
// process as `skiff controller-manager` would: deployments with simulated kubelet readiness, scaling,
// a rolling update watched for availability, rollback, cascading deletion, endpoints, namespace deletion.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Deployment, EndpointSlice, Endpoints, Namespace, Pod, ReplicaSet } from '../../api/index.js';
import { builtinResources } from '../../api/resources.js';
import { Informer, InformerFactory, RealClock, RestClient } from '../../client/index.js';
import { startControllers, type RunningControllers } from '../../control-plane/controllers/index.js';
import {
  deploymentsResource,
  endpointSlicesResource,
  endpointsResource,
  namespacesResource,
  podsResource,
  replicaSetsResource,
  servicesResource,
} from '../../control-plane/controllers/resources.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';
import { FakeKubelet } from '../controllers/fake-kubelet.js';
import { createNamespace, eventually, listIn, ns } from '../controllers/harness.js';

const revision = 'deployment.kubernetes.io/revision';
const isReady = (p: Pod): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

function deployment(name: string, replicas: number, image: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, ports: [{ name: 'http', containerPort: 8080 }] }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
    },
  };
}

describe('controllers against a skiff server process', () => {
  let server: SkiffServer | undefined;
  let client: RestClient;
  let informers: InformerFactory;
  let running: RunningControllers | undefined;
  const kubelets: FakeKubelet[] = [];

  beforeAll(async () => {
    server = await startSkiffServer();
    client = RestClient.fromKubeconfig(server.kubeconfigPath, { rateLimit: false });
    const logger = pino({ level: process.env['SKIFF_TEST_LOG'] ?? 'silent' });
    informers = new InformerFactory(client, { logger });
    running = await startControllers({ client, informers, clock: new RealClock(), logger });
  }, 90_000);

  afterEach(async () => {
    await Promise.all(kubelets.splice(0).map((k) => k.stop()));
  });

  afterAll(async () => {
    await running?.stop();
    await informers?.stop();
    client?.close();
    await server?.stop();
  });

  async function kubeletFor(namespace: string): Promise<FakeKubelet> {
    const k = new FakeKubelet(client, namespace);
    kubelets.push(k);
    await k.start();
    return k;
  }

  async function rolledOut(namespace: string, name: string): Promise<Deployment | undefined> {
    const d = await client.get<Deployment>(deploymentsResource, name, { namespace });
    const s = d.status ?? {};
    const r = d.spec?.replicas ?? 1;
    const done = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r;
    return done ? d : undefined;
  }

  it('runs a deployment through create, scale, rolling update, undo and cascading delete', async () => {
    const namespace = ns('it-deploy');
    await createNamespace(client, namespace);
    await kubeletFor(namespace);

    await client.create(deploymentsResource, deployment('web', 3, 'web:1'), { namespace });
    await eventually(() => rolledOut(namespace, 'web'), 60_000, 'initial rollout');
    expect((await listIn<Pod>(client, podsResource, namespace)).filter(isReady)).toHaveLength(3);
    const [firstRS] = await listIn<ReplicaSet>(client, replicaSetsResource, namespace);

    await client.patch(deploymentsResource, 'web', { spec: { replicas: 5 } }, { namespace, subresource: 'scale' });
    await eventually(async () => (await rolledOut(namespace, 'web'))?.status?.readyReplicas === 5, 60_000, 'scale to 5');
    await client.patch(deploymentsResource, 'web', { spec: { replicas: 1 } }, { namespace, subresource: 'scale' });
    await eventually(async () => (await listIn<Pod>(client, podsResource, namespace)).length === 1 && (await rolledOut(namespace, 'web')), 60_000, 'scale to 1');
    await client.patch(deploymentsResource, 'web', { spec: { replicas: 4 } }, { namespace, subresource: 'scale' });
    await eventually(async () => (await rolledOut(namespace, 'web'))?.status?.readyReplicas === 4, 60_000, 'scale to 4');

    // A rolling update to a new image, watched pod by pod: with maxUnavailable 1 never fewer than 3 ready.
    const watcher = new Informer<Pod>(client, podsResource, { namespace, logger: pino({ level: 'silent' }) });
    let minReady = Infinity;
    let maxActive = 0;
    let synced = false;
    const observe = (): void => {
      if (!synced) return;
      const active = watcher.list().filter((p) => !p.metadata.deletionTimestamp);
      minReady = Math.min(minReady, active.filter(isReady).length);
      maxActive = Math.max(maxActive, active.length);
    };
    watcher.addEventHandler({ onAdd: observe, onUpdate: observe, onDelete: observe });
    watcher.start();
    await watcher.waitForSync(20_000);
    synced = true;
    observe();
    try {
      await client.patch(deploymentsResource, 'web', { spec: { template: { spec: { containers: [{ name: 'main', image: 'web:2', ports: [{ name: 'http', containerPort: 8080 }] }] } } } }, { namespace });
      await eventually(async () => (await rolledOut(namespace, 'web'))?.metadata.annotations?.[revision] === '2', 60_000, 'rollout to web:2');
      await eventually(async () => (await listIn<Pod>(client, podsResource, namespace)).every((p) => p.spec?.containers[0]?.image === 'web:2'), 30_000);
    } finally {
      await watcher.stop();
    }
    expect(minReady).toBeGreaterThanOrEqual(3);
    expect(maxActive).toBeLessThanOrEqual(5);

    // Undo, as kubectl rollout undo does it: the old ReplicaSet's template goes back into the deployment.
    const old = await client.get<ReplicaSet>(replicaSetsResource, firstRS?.metadata.name ?? '', { namespace });
    const template = structuredClone(old.spec?.template ?? {});
    delete template.metadata?.labels?.['pod-template-hash'];
    await client.patch(deploymentsResource, 'web', [{ op: 'replace', path: '/spec/template', value: template }], { namespace, type: 'json' });
    await eventually(async () => (await rolledOut(namespace, 'web'))?.metadata.annotations?.[revision] === '3', 60_000, 'undo rollout');
    const reused = await client.get<ReplicaSet>(replicaSetsResource, firstRS?.metadata.name ?? '', { namespace });
    expect(reused.metadata.uid).toBe(firstRS?.metadata.uid);
    expect(reused.metadata.annotations?.[revision]).toBe('3');
    expect(reused.spec?.replicas).toBe(4);

    await client.delete(deploymentsResource, 'web', { namespace });
    await eventually(async () => (await listIn(client, replicaSetsResource, namespace)).length === 0, 60_000, 'replica sets collected');
    await eventually(async () => (await listIn(client, podsResource, namespace)).length === 0, 60_000, 'pods collected');
  });

  it('gives a service an EndpointSlice and Endpoints with only ready pods as ready addresses', async () => {
    const namespace = ns('it-svc');
    await createNamespace(client, namespace);
    const kubelet = await kubeletFor(namespace);
    await client.create(deploymentsResource, deployment('api', 2, 'api:1'), { namespace });
    await eventually(() => rolledOut(namespace, 'api'), 60_000);
    // A third pod that matches the service but never becomes ready.
    kubelet.hold();
    const pending: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unready', labels: { app: 'api' } }, spec: { containers: [{ name: 'main', image: 'api:1', ports: [{ name: 'http', containerPort: 8080 }] }] } };
    await client.create(podsResource, pending, { namespace });
    const p = await client.get<Pod>(podsResource, 'unready', { namespace });
    await client.updateStatus(podsResource, { ...p, status: { phase: 'Running', podIP: '10.244.9.9', podIPs: [{ ip: '10.244.9.9' }], conditions: [{ type: 'Ready', status: 'False' }] } });
    await client.create(servicesResource, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } }, { namespace });

    const readyIps = (await listIn<Pod>(client, podsResource, namespace, 'app=api'))
      .filter((x) => isReady(x))
      .map((x) => x.status?.podIP)
      .sort();
    expect(readyIps).toHaveLength(2);
    const slice = await eventually(async () => {
      const s = await listIn<EndpointSlice>(client, endpointSlicesResource, namespace, 'kubernetes.io/service-name=api');
      return s.length === 1 && s[0]?.endpoints.length === 3 ? s[0] : undefined;
    }, 30_000, 'endpoint slice');
    expect(slice.endpoints.filter((e) => e.conditions?.ready).map((e) => e.addresses[0]).sort()).toEqual(readyIps);
    expect(slice.ports).toEqual([{ name: 'web', protocol: 'TCP', port: 8080 }]);
    const ep = await eventually(async () => {
      const e = await client.get<Endpoints>(endpointsResource, 'api', { namespace }).catch(() => undefined);
      return e?.subsets?.[0]?.notReadyAddresses?.length === 1 ? e : undefined;
    }, 30_000, 'endpoints');
    expect(ep.subsets?.[0]?.addresses?.map((a) => a.ip).sort()).toEqual(readyIps);
  });

  it('empties a deleted namespace and then removes it', async () => {
    const namespace = ns('it-ns');
    await createNamespace(client, namespace);
    await kubeletFor(namespace);
    await client.create(deploymentsResource, deployment('web', 2, 'web:1'), { namespace });
    await client.create(servicesResource, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, { namespace });
    const configMaps = builtinResources.find((r) => r.plural === 'configmaps')!;
    await client.create(configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' } }, { namespace });
    await eventually(() => rolledOut(namespace, 'web'), 60_000);
    await eventually(async () => (await listIn(client, endpointSlicesResource, namespace)).length === 1, 30_000);

    await client.delete(namespacesResource, namespace);
    await eventually(async () => client.get<Namespace>(namespacesResource, namespace).then(() => false, () => true), 60_000, 'namespace removed');
    for (const r of [podsResource, replicaSetsResource, deploymentsResource, servicesResource, endpointSlicesResource, endpointsResource, configMaps]) {
      expect(await listIn(client, r, namespace), r.plural).toEqual([]);
    }
  });
});

// The agent on real Docker: node registration and lease, a two-container pod sharing localhost and an
// emptyDir serving HTTP on its pod IP, init containers in order, env from a ConfigMap and a Secret.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lease, Node, Pod } from '../../api/index.js';
import {
  configMapsResource, createNamespace, eventually, getPod, leasesResource, nodesResource, podsResource, secretsResource,
  startAgentEnv, waitReady, type AgentEnv,
} from '../kubelet/support/agent-e2e.js';

let env: AgentEnv;
const ns = `agent-pods-${Date.now().toString(36)}`;

beforeAll(async () => {
  env = await startAgentEnv('agent-pods');
  await createNamespace(env.client, ns);
  await env.startAgent();
}, 180_000);

afterAll(async () => {
  await env?.cleanup();
}, 120_000);

function podLog(pod: Pod, container: string): string {
  const file = path.join(env.logsDir, `${ns}_${pod.metadata.name}_${pod.metadata.uid}`, container, '0.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

describe('skiff agent', () => {
  it('registers its Node as Ready with capacity, nodeInfo and a lease', async () => {
    const node = await eventually('node Ready', async () => {
      const n = await env.client.get<Node>(nodesResource, env.nodeName);
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? n : undefined;
    });
    expect(node.status?.capacity?.pods).toBe('110');
    expect(Number(node.status?.capacity?.cpu)).toBeGreaterThan(0);
    expect(node.status?.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
    expect(node.status?.nodeInfo?.kubeletVersion).toBe('v1.33.0-skiff');
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^docker:\/\//);
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    const lease = await env.client.get<Lease>(leasesResource, env.nodeName, { namespace: 'kube-node-lease' });
    expect(lease.spec).toMatchObject({ holderIdentity: env.nodeName, leaseDurationSeconds: 40 });
    expect(lease.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: env.nodeName, uid: node.metadata.uid });
  });

  it('runs a two-container pod that shares localhost and an emptyDir, Ready, serving HTTP on its pod IP', async () => {
    await env.client.create<Pod>(podsResource, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'web', namespace: ns },
      spec: {
        nodeName: env.nodeName,
        volumes: [{ name: 'shared', emptyDir: {} }],
        containers: [
          { name: 'server', image: 'skiff/busybox:v1', command: ['sh', '-c', 'mkdir -p /www && echo hello-skiff > /www/index.html && exec httpd -f -p 8080 -h /www'],
            readinessProbe: { httpGet: { path: '/index.html', port: 8080 }, periodSeconds: 1 } },
          { name: 'writer', image: 'skiff/busybox:v1', volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
            command: ['sh', '-c', 'echo from-writer > /shared/note; while true; do printf "GET /index.html HTTP/1.0\\r\\n\\r\\n" | nc 127.0.0.1 8080 > /shared/fetched 2>/dev/null; sleep 1; done'] },
          { name: 'reader', image: 'skiff/busybox:v1', volumeMounts: [{ name: 'shared', mountPath: '/data', readOnly: true }],
            command: ['sh', '-c', 'while true; do cat /data/note /data/fetched 2>/dev/null; sleep 1; done'] },
        ],
      },
    });
    const pod = await waitReady(env.client, ns, 'web');
    expect(pod.status?.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(pod.status?.hostIP).toBe('127.0.0.1');
    expect(pod.status?.qosClass).toBe('BestEffort');
    expect(pod.status?.containerStatuses?.map((c) => c.name).sort()).toEqual(['reader', 'server', 'writer']);
    for (const cs of pod.status?.containerStatuses ?? []) {
      expect(cs.containerID).toMatch(/^docker:\/\//);
      expect(cs.state?.running?.startedAt).toBeDefined();
    }
    const body = await eventually('HTTP from the pod IP', async () => {
      const res = await fetch(`http://${pod.status!.podIP}:8080/index.html`, { signal: AbortSignal.timeout(3000) });
      return res.ok ? res.text() : undefined;
    });
    expect(body).toContain('hello-skiff');
    // The reader sees what the writer wrote in the shared emptyDir, including what it fetched over localhost.
    const log = await eventually('reader log', async () => {
      const text = podLog(pod, 'reader');
      return text.includes('from-writer') && text.includes('hello-skiff') ? text : undefined;
    });
    expect(log).toContain('from-writer');
  }, 180_000);

  it('runs init containers in order before the app container', async () => {
    await env.client.create<Pod>(podsResource, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'inits', namespace: ns },
      spec: {
        nodeName: env.nodeName,
        volumes: [{ name: 'work', emptyDir: {} }],
        initContainers: [
          { name: 'first', image: 'skiff/busybox:v1', command: ['sh', '-c', 'echo one > /work/out'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
          { name: 'second', image: 'skiff/busybox:v1', command: ['sh', '-c', 'echo two >> /work/out'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        ],
        containers: [{ name: 'app', image: 'skiff/busybox:v1', command: ['sh', '-c', 'cat /work/out; exec sleep 3600'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      },
    });
    const pod = await waitReady(env.client, ns, 'inits');
    expect(pod.status?.initContainerStatuses?.map((s) => [s.name, s.state?.terminated?.exitCode, s.state?.terminated?.reason])).toEqual([
      ['first', 0, 'Completed'],
      ['second', 0, 'Completed'],
    ]);
    const log = await eventually('app log', async () => (podLog(pod, 'app').includes('two') ? podLog(pod, 'app') : undefined));
    expect(log.indexOf('one')).toBeLessThan(log.indexOf('two'));
  }, 180_000);

  it('sets env from a ConfigMap and a Secret (keys, envFrom with prefix) with $(VAR) expansion', async () => {
    await env.client.create(configMapsResource, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: ns }, data: { color: 'blue', size: 'xl' } });
    await env.client.create(secretsResource, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: ns }, data: { password: Buffer.from('s3cret').toString('base64') } });
    await env.client.create<Pod>(podsResource, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'envs', namespace: ns, labels: { app: 'envs' } },
      spec: {
        nodeName: env.nodeName,
        containers: [{
          name: 'app', image: 'skiff/busybox:v1',
          command: ['sh', '-c', 'echo "COLOR=$COLOR PASS=$PASS CFG_size=$CFG_size GREETING=$GREETING POD=$POD_NAME"; exec sleep 3600'],
          envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg' } }],
          env: [
            { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
            { name: 'PASS', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
            { name: 'MISSING', valueFrom: { secretKeyRef: { name: 'nope', key: 'x', optional: true } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'GREETING', value: 'hi-$(COLOR)' },
          ],
        }],
      },
    });
    const pod = await waitReady(env.client, ns, 'envs');
    const log = await eventually('env echoed', async () => (podLog(pod, 'app').includes('COLOR=') ? podLog(pod, 'app') : undefined));
    expect(log).toContain('COLOR=blue PASS=s3cret CFG_size=xl GREETING=hi-blue POD=envs');
  }, 180_000);

  it('mounts configMap, secret and downwardAPI volumes read-only and refreshes the configMap on change', async () => {
    await env.client.create(configMapsResource, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files', namespace: ns }, data: { 'app.conf': 'v=1' } });
    await env.client.create(secretsResource, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'files', namespace: ns }, data: { token: Buffer.from('tok').toString('base64') } });
    await env.client.create<Pod>(podsResource, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'vols', namespace: ns, labels: { tier: 'web' } },
      spec: {
        nodeName: env.nodeName,
        terminationGracePeriodSeconds: 1,
        volumes: [
          { name: 'conf', configMap: { name: 'files' } },
          { name: 'sec', secret: { secretName: 'files' } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        ],
        containers: [{
          name: 'app', image: 'skiff/busybox:v1', command: ['sleep', '3600'],
          volumeMounts: [{ name: 'conf', mountPath: '/etc/app' }, { name: 'sec', mountPath: '/etc/sec' }, { name: 'info', mountPath: '/etc/info' }],
        }],
      },
    });
    const pod = await waitReady(env.client, ns, 'vols');
    const id = (pod.status?.containerStatuses?.[0]?.containerID ?? '').replace('docker://', '');
    const exec = async (cmd: string): Promise<{ out: string; code: number }> => {
      const r = await env.cri().execSync({ container_id: id, cmd: ['sh', '-c', cmd], timeout: 10 });
      return { out: Buffer.from(r.stdout).toString() + Buffer.from(r.stderr).toString(), code: r.exit_code };
    };
    expect((await exec('cat /etc/app/app.conf; echo; cat /etc/sec/token; echo; cat /etc/info/labels')).out).toBe('v=1\ntok\ntier="web"');
    expect((await exec('touch /etc/app/new')).code).not.toBe(0);
    await env.client.patch(configMapsResource, 'files', { data: { 'app.conf': 'v=2' } }, { namespace: ns });
    await eventually('configMap refreshed in the container', async () => (await exec('cat /etc/app/app.conf')).out === 'v=2', 60_000, 500);
  }, 180_000);

  it.each([
    { name: 'job-ok', code: 0, phase: 'Succeeded', exit: 'zero' },
    { name: 'job-fail', code: 3, phase: 'Failed', exit: 'non-zero' },
  ])('ends a restartPolicy Never pod exiting $exit as $phase without restarting it', async ({ name, code, phase }) => {
    await env.client.create<Pod>(podsResource, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
      spec: { nodeName: env.nodeName, restartPolicy: 'Never', containers: [{ name: 'app', image: 'skiff/busybox:v1', command: ['sh', '-c', `exit ${code}`] }] },
    });
    const pod = await eventually(`${name} ${phase}`, async () => {
      const p = await getPod(env.client, ns, name);
      return p.status?.phase === phase ? p : undefined;
    });
    const cs = pod.status?.containerStatuses?.[0];
    expect(cs?.state?.terminated?.exitCode).toBe(code);
    expect(cs?.restartCount).toBe(0);
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
  }, 120_000);

  it('keeps pod status stable: a Running pod is not rewritten without changes', async () => {
    const before = await getPod(env.client, ns, 'envs');
    await new Promise((r) => setTimeout(r, 3000));
    const after = await getPod(env.client, ns, 'envs');
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  }, 60_000);
});

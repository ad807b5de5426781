// The kubelet's pod sync against the real CRI server over Docker (no API server): CriClient satisfies the
// kubelet's RuntimeService seam, and a pod spec's resources, security context, host ports and volume mounts
// arrive in Docker as upstream's kubelet would set them.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../client/index.js';
import { CriClient, startCriServer, type CriServer } from '../../agent/cri/index.js';
import { Backoff } from '../../agent/kubelet/backoff.js';
import { ImagePuller } from '../../agent/kubelet/image-puller.js';
import { ProbeManager, RuntimeProber } from '../../agent/kubelet/probes/index.js';
import { syncPod } from '../../agent/kubelet/pod-sync.js';
import { killPod, removePod } from '../../agent/kubelet/pod-killer.js';
import type { SyncContext } from '../../agent/kubelet/sync-context.js';
import type { Pod } from '../../api/index.js';
import { MapObjects } from '../kubelet/support/harness.js';
import { removeNodeContainers } from '../kubelet/support/agent-e2e.js';

const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const nodeName = `kubelet-cri-${randomBytes(3).toString('hex')}`;
let dir: string;
let cri: CriServer;
let client: CriClient;
let ctx: SyncContext;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-kubelet-cri-'));
  const log = pino({ level: process.env.SKIFF_TEST_LOG ?? 'silent' });
  cri = await startCriServer({ socketPath: path.join(dir, 'cri.sock'), adoptSelector: { 'io.skiff.node': nodeName }, logger: log });
  client = new CriClient(cri.socketPath);
  const clock = new RealClock();
  ctx = {
    runtime: client,
    clock,
    backoff: new Backoff(clock),
    images: new ImagePuller(client, new Backoff(clock)),
    probes: new ProbeManager(clock, new RuntimeProber(client), () => undefined),
    objects: new MapObjects(),
    dataDir: path.join(dir, 'data'),
    logsRoot: path.join(dir, 'logs'),
    hostIP: '127.0.0.1',
    allocatable: { cpu: '2', memory: '4Gi' },
    log,
  };
}, 60_000);

afterAll(async () => {
  client?.close();
  try {
    await cri?.close();
  } finally {
    await removeNodeContainers(nodeName);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

describe('kubelet pod sync over the real CRI', () => {
  it('creates the pod with resources, security context and mounts as Docker settings, then removes it', async () => {
    const pod: Pod = {
      metadata: { name: 'tuned', namespace: 'kubelet-cri', uid: `uid-${randomBytes(4).toString('hex')}` },
      spec: {
        nodeName,
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 'scratch', emptyDir: {} }],
        containers: [{
          name: 'app', image: 'skiff/busybox:v1', command: ['sleep', '3600'],
          resources: { requests: { cpu: '250m' }, limits: { cpu: '500m', memory: '64Mi' } },
          securityContext: { runAsUser: 1000, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN'] } },
          volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
        }],
      },
    };
    const out = await syncPod(ctx, pod);
    const c = out.state.containers.find((x) => x.name === 'app');
    expect(c?.state).toBe('CONTAINER_RUNNING');
    const info = await docker.getContainer(c!.id).inspect();
    expect(info.HostConfig.CpuShares).toBe(256);
    expect(info.HostConfig.CpuQuota).toBe(50_000);
    expect(info.HostConfig.CpuPeriod).toBe(100_000);
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.CapAdd).toContain('NET_ADMIN');
    expect(info.Config.User).toMatch(/^1000/);
    expect(info.Mounts.find((m) => m.Destination === '/scratch')?.Source).toBe(path.join(ctx.dataDir, 'pods', pod.metadata.uid!, 'volumes', 'empty-dir', 'scratch'));
    expect(out.state.sandboxes[0]?.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    await killPod(ctx, pod.metadata.uid!, pod, 1);
    await removePod(ctx, pod.metadata.uid!);
    const left = await client.listContainers({ filter: { label_selector: { 'io.kubernetes.pod.uid': pod.metadata.uid! } } });
    expect(left.containers).toEqual([]);
    expect(fs.existsSync(path.join(ctx.dataDir, 'pods', pod.metadata.uid!))).toBe(false);
  }, 120_000);

  it('maps container hostPorts to the node', async () => {
    const pod: Pod = {
      metadata: { name: 'ported', namespace: 'kubelet-cri', uid: `uid-${randomBytes(4).toString('hex')}` },
      spec: {
        nodeName,
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'web', image: 'skiff/busybox:v1',
          command: ['sh', '-c', 'mkdir -p /w && echo via-hostport > /w/index.html && exec httpd -f -p 8080 -h /w'],
          ports: [{ containerPort: 8080, hostPort: 0 }],
        }],
      },
    };
    // A free host port on loopback.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    pod.spec!.containers[0]!.ports = [{ containerPort: 8080, hostPort: port, hostIP: '127.0.0.1' }];
    await syncPod(ctx, pod);
    let body = '';
    for (let i = 0; i < 60 && !body.includes('via-hostport'); i++) {
      body = await fetch(`http://127.0.0.1:${port}/index.html`, { signal: AbortSignal.timeout(2000) }).then((r) => r.text(), () => '');
      if (!body) await new Promise((r) => setTimeout(r, 250));
    }
    expect(body).toContain('via-hostport');
    await killPod(ctx, pod.metadata.uid!, pod, 1);
    await removePod(ctx, pod.metadata.uid!);
  }, 120_000);
});

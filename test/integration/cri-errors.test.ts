// Bad requests get the right gRPC codes and leave nothing behind in Docker; the wire is upstream's
// runtime.v1 (a plain grpc-js client loaded from proto/api.proto with no Skiff code talks to it).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startCriHarness, containersLabelled, freePortForTest, runPod, type CriHarness } from '../support/docker.js';

const { status } = grpc;
let h: CriHarness;

beforeAll(async () => {
  h = await startCriHarness('cri-errors');
});

afterAll(async () => {
  await h?.cleanup();
});

async function leftovers(): Promise<number> {
  return (await containersLabelled(h.runId)).length;
}

describe('bad CRI requests', () => {
  it('RunPodSandbox without config or metadata is INVALID_ARGUMENT and creates nothing', async () => {
    await expect(h.client.runPodSandbox({})).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(h.client.runPodSandbox({ config: { hostname: 'x', labels: { 'skiff-test': h.runId } } })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await leftovers()).toBe(0);
  });

  it('unknown sandbox and container ids are NOT_FOUND where the object is needed', async () => {
    const unknown = 'f'.repeat(64);
    await expect(h.client.podSandboxStatus({ pod_sandbox_id: unknown })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(h.client.containerStatus({ container_id: unknown })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(h.client.startContainer({ container_id: unknown })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(h.client.stopContainer({ container_id: unknown, timeout: 1 })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(h.client.execSync({ container_id: unknown, cmd: ['true'] })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(
      h.client.createContainer({ pod_sandbox_id: unknown, config: h.containerConfig('c', ['true']) }),
    ).rejects.toMatchObject({ code: status.NOT_FOUND, details: expect.stringContaining('not found') });
  });

  it('removing and stopping what does not exist succeeds, as CRI requires', async () => {
    const unknown = 'e'.repeat(64);
    await h.client.stopPodSandbox({ pod_sandbox_id: unknown });
    await h.client.removePodSandbox({ pod_sandbox_id: unknown });
    await h.client.removeContainer({ container_id: unknown });
  });

  it('CreateContainer with missing metadata or image is INVALID_ARGUMENT', async () => {
    await expect(h.client.createContainer({ pod_sandbox_id: 'x', config: { image: { image: 'skiff/busybox:v1' } } })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(h.client.createContainer({ pod_sandbox_id: 'x', config: { metadata: { name: 'a' } } })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('a container in a stopped sandbox is FAILED_PRECONDITION and leaves only the sandbox', async () => {
    const config = h.sandboxConfig('stopped');
    const { pod_sandbox_id } = await h.client.runPodSandbox({ config });
    await h.client.stopPodSandbox({ pod_sandbox_id });
    await expect(
      h.client.createContainer({ pod_sandbox_id, sandbox_config: config, config: h.containerConfig('late', ['sleep', '5']) }),
    ).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
    expect(await containersLabelled(h.runId)).toEqual([pod_sandbox_id]);
    await h.client.removePodSandbox({ pod_sandbox_id });
    expect(await leftovers()).toBe(0);
  });

  it('starting a container whose sandbox was stopped is FAILED_PRECONDITION', async () => {
    const config = h.sandboxConfig('stopped-later');
    const { pod_sandbox_id } = await h.client.runPodSandbox({ config });
    const { container_id } = await h.client.createContainer({ pod_sandbox_id, sandbox_config: config, config: h.containerConfig('c', ['sleep', '5']) });
    await h.client.stopPodSandbox({ pod_sandbox_id });
    await expect(h.client.startContainer({ container_id })).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
    await h.client.removePodSandbox({ pod_sandbox_id });
    expect(await leftovers()).toBe(0);
  });

  it('an image that does not exist is NOT_FOUND "not found locally" and creates no container', async () => {
    const config = h.sandboxConfig('noimage');
    const { pod_sandbox_id } = await h.client.runPodSandbox({ config });
    const err = await h.client
      .createContainer({ pod_sandbox_id, sandbox_config: config, config: h.containerConfig('c', ['true'], { image: { image: 'skiff/does-not-exist:v0' } }) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: status.NOT_FOUND, details: 'image "skiff/does-not-exist:v0" not found locally' });
    expect(await containersLabelled(h.runId)).toEqual([pod_sandbox_id]);
    await h.client.removePodSandbox({ pod_sandbox_id });
  });

  it('a sandbox that cannot start (host port taken) is removed again', async () => {
    const hostPort = await freePortForTest();
    const ports = { port_mappings: [{ protocol: 'TCP' as const, container_port: 80, host_port: hostPort, host_ip: '127.0.0.1' }] };
    const first = await h.client.runPodSandbox({ config: h.sandboxConfig('port-a', ports) });
    await expect(h.client.runPodSandbox({ config: h.sandboxConfig('port-b', ports) })).rejects.toMatchObject({ message: expect.stringMatching(/port|allocated|bind/i) });
    expect(await containersLabelled(h.runId)).toEqual([first.pod_sandbox_id]);
    await h.client.removePodSandbox({ pod_sandbox_id: first.pod_sandbox_id });
  });

  it('ImageStatus of an absent image is an empty answer, not an error', async () => {
    const { image } = await h.client.imageStatus({ image: { image: 'skiff/absent-image:v9' } });
    expect(image).toBeNull();
  });

  it('speaks upstream runtime.v1 to a plain grpc-js client, and answers UNIMPLEMENTED for the RPCs Skiff lacks', async () => {
    const protoFile = fileURLToPath(new URL('../../proto/api.proto', import.meta.url));
    const def = protoLoader.loadSync(protoFile, { keepCase: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as { runtime: { v1: Record<string, grpc.ServiceClientConstructor> } };
    const Runtime = pkg.runtime.v1.RuntimeService!;
    const Images = pkg.runtime.v1.ImageService!;
    const rt = new Runtime(`unix://${h.socketPath}`, grpc.credentials.createInsecure()) as unknown as Record<string, Function> & grpc.Client;
    const im = new Images(`unix://${h.socketPath}`, grpc.credentials.createInsecure()) as unknown as Record<string, Function> & grpc.Client;
    const call = (c: Record<string, Function>, m: string, req: object): Promise<Record<string, unknown>> =>
      new Promise((resolve, reject) => c[m]!.call(c, req, (e: Error | null, v: Record<string, unknown>) => (e ? reject(e) : resolve(v))));
    try {
      expect(await call(rt, 'Version', { version: 'v1' })).toMatchObject({ runtime_name: 'docker', runtime_api_version: 'v1' });
      const st = (await call(rt, 'Status', {})) as { status: { conditions: { type: string; status: boolean }[] } };
      expect(st.status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'RuntimeReady', status: true }), expect.objectContaining({ type: 'NetworkReady', status: true })]));
      const fsInfo = (await call(im, 'ImageFsInfo', {})) as { image_filesystems: { used_bytes: { value: unknown } }[] };
      expect(Number(fsInfo.image_filesystems[0]?.used_bytes.value)).toBeGreaterThan(0);
      await expect(call(rt, 'CheckpointContainer', { container_id: 'x' })).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
      await expect(call(rt, 'ListMetricDescriptors', {})).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
      // Implemented: the engine's cgroup driver, from `docker info` (upstream's enum: SYSTEMD = 0, CGROUPFS = 1).
      const config = (await call(rt, 'RuntimeConfig', {})) as { linux: { cgroup_driver: number } };
      const engineDriver = execFileSync('docker', ['info', '--format', '{{.CgroupDriver}}'], { encoding: 'utf8' }).trim();
      expect(config.linux.cgroup_driver).toBe(engineDriver === 'systemd' ? 0 : 1);
      // Implemented (the node's pod CIDR); an empty config changes nothing.
      expect(await call(rt, 'UpdateRuntimeConfig', {})).toEqual({});
    } finally {
      rt.close();
      im.close();
    }
  });

  it('closing the server ends streaming sessions that clients keep open', async () => {
    const { sandboxId, containerIds: [id] = [] } = await runPod(h, 'linger', [{ name: 'main', command: ['sleep', '3600'] }]);
    const exec = await h.client.exec({ container_id: id!, cmd: ['sleep', '3600'], stdout: true });
    const pf = await h.client.portForward({ pod_sandbox_id: sandboxId, port: [9] });
    const sockets = [new WebSocket(exec.url.replace(/^http/, 'ws'), ['v5.channel.k8s.io']), new WebSocket(pf.url.replace(/^http/, 'ws'), ['v4.channel.k8s.io'])];
    const closed = sockets.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
    await Promise.all(sockets.map((ws) => new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); })));
    await h.server.close();
    await Promise.all(closed);
    await h.restart();
    await h.client.removePodSandbox({ pod_sandbox_id: sandboxId });
  });
});

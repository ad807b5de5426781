// A pod through the CRI against the real Docker engine: shared localhost, the pod IP, logs, exec (sync and
// WebSocket), attach, port-forward, stats, stop timeouts, list filters.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startCriHarness, runPod, waitFor, docker, type CriHarness } from '../support/docker.js';

let h: CriHarness;

beforeAll(async () => {
  h = await startCriHarness('cri-pod');
});

afterAll(async () => {
  await h?.cleanup();
});

const webServer = ['sh', '-c', 'mkdir -p /var/www && echo hello-from-pod > /var/www/index.html && exec httpd -f -p 8080 -h /var/www'];
const sleeper = ['sleep', '3600'];

interface Frames {
  byChannel: Map<number, Buffer[]>;
  text(channel: number): string;
  closed: Promise<void>;
}

function collect(ws: WebSocket): Frames {
  const byChannel = new Map<number, Buffer[]>();
  ws.on('message', (data: Buffer) => {
    const ch = data[0]!;
    if (!byChannel.has(ch)) byChannel.set(ch, []);
    byChannel.get(ch)!.push(data.subarray(1));
  });
  return {
    byChannel,
    text: (ch) => Buffer.concat(byChannel.get(ch) ?? []).toString('utf8'),
    closed: new Promise((resolve) => ws.on('close', () => resolve())),
  };
}

/** Opens a WebSocket with the collector attached before the handshake, so no early frame is missed. */
function open(url: string, protocol: string): Promise<{ ws: WebSocket; frames: Frames }> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), [protocol]);
  const frames = collect(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames }));
    ws.once('error', reject);
  });
}

describe('a pod through the CRI', () => {
  let sandboxId: string;
  let webId: string;
  let clientId: string;

  beforeAll(async () => {
    const pod = await runPod(h, 'web', [
      { name: 'web', command: webServer },
      { name: 'client', command: sleeper },
    ]);
    sandboxId = pod.sandboxId;
    [webId = '', clientId = ''] = pod.containerIds;
  });

  it('lets containers of one sandbox talk over 127.0.0.1', async () => {
    const out = await waitFor('httpd answering on localhost', async () => {
      const r = await h.client.execSync({ container_id: clientId, cmd: ['sh', '-c', 'printf "GET /index.html HTTP/1.0\\r\\n\\r\\n" | nc -w 3 127.0.0.1 8080'], timeout: 10 });
      const text = r.stdout.toString();
      return text.includes('hello-from-pod') ? text : undefined;
    }, 30_000, 250);
    expect(out).toContain('200 OK');
  });

  it('serves HTTP from the pod IP to the host', async () => {
    const { status } = await h.client.podSandboxStatus({ pod_sandbox_id: sandboxId });
    expect(status?.state).toBe('SANDBOX_READY');
    const ip = status?.network?.ip ?? '';
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    let attempts = 0;
    const body = await waitFor('the pod IP to serve', async () => {
      if (++attempts > 40) throw new Error('giving up after 40 requests');
      const res = await fetch(`http://${ip}:8080/index.html`, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? res.text() : undefined;
    }, 30_000, 250);
    expect(body.trim()).toBe('hello-from-pod');
  });

  it('reports sandbox metadata, labels and annotations back unchanged', async () => {
    const { items } = await h.client.listPodSandbox({ filter: { id: sandboxId } });
    expect(items).toHaveLength(1);
    expect(items[0]!.metadata).toEqual({ name: 'web', namespace: 'cri-test', uid: `${h.runId}-web`, attempt: 0 });
    expect(items[0]!.labels).toEqual({ 'skiff-test': h.runId });
    expect(items[0]!.state).toBe('SANDBOX_READY');
  });

  it('filters containers by sandbox, state, id prefix and label', async () => {
    const bySandbox = await h.client.listContainers({ filter: { pod_sandbox_id: sandboxId } });
    expect(bySandbox.containers.map((c) => c.id).sort()).toEqual([webId, clientId].sort());
    const running = await h.client.listContainers({ filter: { pod_sandbox_id: sandboxId, state: { state: 'CONTAINER_RUNNING' } } });
    expect(running.containers).toHaveLength(2);
    const exited = await h.client.listContainers({ filter: { pod_sandbox_id: sandboxId, state: { state: 'CONTAINER_EXITED' } } });
    expect(exited.containers).toHaveLength(0);
    const byPrefix = await h.client.listContainers({ filter: { id: webId.slice(0, 12) } });
    expect(byPrefix.containers.map((c) => c.id)).toEqual([webId]);
    const byLabel = await h.client.listContainers({ filter: { label_selector: { 'skiff-test': h.runId } } });
    expect(byLabel.containers.map((c) => c.id)).toEqual(expect.arrayContaining([webId, clientId]));
    const none = await h.client.listContainers({ filter: { label_selector: { 'skiff-test': 'no-such-run' } } });
    expect(none.containers).toHaveLength(0);
  });

  it('ExecSync separates stdout from stderr and returns the exit code', async () => {
    const r = await h.client.execSync({ container_id: clientId, cmd: ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3'], timeout: 10 });
    expect(r.stdout.toString()).toBe('to-out\n');
    expect(r.stderr.toString()).toBe('to-err\n');
    expect(r.exit_code).toBe(3);
  });

  it('ExecSync gives up with DEADLINE_EXCEEDED after its timeout', async () => {
    const started = Date.now();
    await expect(h.client.execSync({ container_id: clientId, cmd: ['sleep', '30'], timeout: 1 })).rejects.toMatchObject({ code: 4 });
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('Exec streams stdin, stdout and the exit code over WebSocket v5', async () => {
    const { url } = await h.client.exec({ container_id: clientId, cmd: ['sh', '-c', 'read line; echo "got $line"; echo oops >&2; exit 7'], stdin: true, stdout: true, stderr: true });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exec\//);
    const { ws, frames } = await open(url, 'v5.channel.k8s.io');
    expect(ws.protocol).toBe('v5.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('ping\n')]));
    ws.send(Buffer.from([255, 0])); // v5 close signal: stdin is done
    await frames.closed;
    expect(frames.text(1)).toBe('got ping\n');
    expect(frames.text(2)).toBe('oops\n');
    const status = JSON.parse(frames.text(3)) as { status: string; reason: string; details: { causes: { reason: string; message: string }[] } };
    expect(status.status).toBe('Failure');
    expect(status.reason).toBe('NonZeroExitCode');
    expect(status.details.causes).toContainEqual({ reason: 'ExitCode', message: '7' });
  });

  it('Exec over v4.channel.k8s.io reports success as a Status', async () => {
    const { url } = await h.client.exec({ container_id: clientId, cmd: ['echo', 'v4-ok'], stdout: true, stderr: true });
    const { frames } = await open(url, 'v4.channel.k8s.io');
    await frames.closed;
    expect(frames.text(1)).toBe('v4-ok\n');
    expect(JSON.parse(frames.text(3))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('Exec with a TTY runs the command on a terminal and accepts resize messages', async () => {
    const { url } = await h.client.exec({ container_id: clientId, cmd: ['sh', '-c', 'for i in $(seq 1 100); do [ "$(stty size)" = "33 91" ] && break; sleep 0.1; done; tty; stty size'], tty: true, stdout: true });
    const { ws, frames } = await open(url, 'v5.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: 91, Height: 33 }))]));
    await frames.closed;
    expect(frames.text(1)).toMatch(/\/dev\/pts\/\d+/);
    expect(frames.text(1)).toContain('33 91');
    expect(JSON.parse(frames.text(3))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('a streaming URL works once only', async () => {
    const { url } = await h.client.exec({ container_id: clientId, cmd: ['true'], stdout: true });
    const { frames } = await open(url, 'v5.channel.k8s.io');
    await frames.closed;
    await expect(open(url, 'v5.channel.k8s.io')).rejects.toThrow(/404/);
  });

  it('PortForward reaches the pod port over the WebSocket port-forward protocol', async () => {
    const { url } = await h.client.portForward({ pod_sandbox_id: sandboxId, port: [8080] });
    const { ws, frames } = await open(url, 'v4.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /index.html HTTP/1.0\r\n\r\n')]));
    const text = await waitFor('forwarded response', () => {
      const data = Buffer.concat(frames.byChannel.get(0) ?? []);
      // The first two bytes on the data channel are the port (little-endian), then the TCP bytes.
      return data.length > 2 && data.subarray(2).toString().includes('hello-from-pod') ? data : undefined;
    }, 20_000);
    expect(text.readUInt16LE(0)).toBe(8080);
    ws.close();
  });

  it('writes container output to LogDirectory/LogPath in the CRI log format', async () => {
    const { containerIds: [id] = [] } = await runPod(h, 'logger', [{ name: 'talk', command: ['sh', '-c', 'echo line-one; echo line-two >&2; echo line-three; sleep 3600'] }]);
    const file = h.logPath('logger', 'talk');
    const text = await waitFor('log lines', () => {
      const t = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      return t.includes('line-three') ? t : undefined;
    }, 20_000);
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [FP] /);
    expect(lines.some((l) => l.endsWith(' stdout F line-one'))).toBe(true);
    expect(lines.some((l) => l.endsWith(' stderr F line-two'))).toBe(true);
    const { status } = await h.client.containerStatus({ container_id: id! });
    expect(status?.log_path).toBe(file);
  });

  it('Attach streams a running container\'s output', async () => {
    const { containerIds: [id] = [] } = await runPod(h, 'ticker', [{ name: 'tick', command: ['sh', '-c', 'while true; do echo tick; sleep 0.5; done'] }]);
    const { url } = await h.client.attach({ container_id: id!, stdout: true, stderr: true });
    const { ws, frames } = await open(url, 'v5.channel.k8s.io');
    await waitFor('attached output', () => frames.text(1).includes('tick'), 20_000);
    ws.close();
  });

  it('ReopenContainerLog starts a fresh file after the kubelet rotated the old one away', async () => {
    const { containerIds: [id] = [] } = await runPod(h, 'rotate', [{ name: 'tick', command: ['sh', '-c', 'i=0; while true; do echo r-$i; i=$((i+1)); sleep 0.2; done'] }]);
    const file = h.logPath('rotate', 'tick');
    await waitFor('first lines', () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('r-2'));
    fs.renameSync(file, `${file}.1`);
    await h.client.reopenContainerLog({ container_id: id! });
    const fresh = await waitFor('lines in the new file', () => fs.existsSync(file) && /r-\d+/.test(fs.readFileSync(file, 'utf8')) && fs.readFileSync(file, 'utf8'));
    const firstNew = Number(/r-(\d+)/.exec(fresh)![1]);
    const rotated = fs.readFileSync(`${file}.1`, 'utf8').trimEnd().split('\n');
    const lastOld = Number(/r-(\d+)$/.exec(rotated[rotated.length - 1]!)![1]);
    expect(firstNew).toBe(lastOld + 1);
  });

  it('applies the sandbox hostname and DNS config to the pod', async () => {
    const { containerIds: [id] = [] } = await runPod(h, 'dns', [{ name: 'main', command: sleeper }], {
      dns_config: { servers: ['10.96.0.10'], searches: ['cri-test.svc.cluster.local'], options: ['ndots:5'] },
    });
    const r = await h.client.execSync({ container_id: id!, cmd: ['sh', '-c', 'cat /etc/resolv.conf; hostname'], timeout: 10 });
    const out = r.stdout.toString();
    expect(out).toContain('nameserver 10.96.0.10');
    expect(out).toContain('search cri-test.svc.cluster.local');
    expect(out).toContain('options ndots:5');
    expect(out.trimEnd().split('\n').pop()).toBe('dns');
  });

  it('applies env, working dir, user and a read-only host mount', async () => {
    const hostDir = fs.mkdtempSync(path.join(h.dir, 'mount-'));
    fs.writeFileSync(path.join(hostDir, 'f'), 'from-host\n');
    // mkdtemp makes 0700 dirs; the container's user 1000 must be able to reach the file.
    fs.chmodSync(h.dir, 0o755);
    fs.chmodSync(hostDir, 0o755);
    const { containerIds: [id] = [] } = await runPod(h, 'settings', [{
      name: 'main',
      command: sleeper,
      extra: {
        envs: [{ key: 'GREETING', value: 'hi there' }],
        working_dir: '/tmp',
        mounts: [{ host_path: hostDir, container_path: '/data', readonly: true }],
        linux: { security_context: { run_as_user: { value: 1000 } } },
      },
    }]);
    const r = await h.client.execSync({ container_id: id!, cmd: ['sh', '-c', 'echo "$GREETING"; pwd; id -u; cat /data/f; touch /data/x && echo writable || echo read-only'], timeout: 10 });
    expect(r.stdout.toString().split('\n'), r.stderr.toString()).toEqual(['hi there', '/tmp', '1000', 'from-host', 'read-only', '']);
  });

  it('UpdateContainerResources changes CPU and memory limits of a running container', async () => {
    const { containerIds: [id] = [] } = await runPod(h, 'resize', [{ name: 'main', command: sleeper, extra: { linux: { resources: { memory_limit_in_bytes: 64 * 1024 * 1024 } } } }]);
    expect((await docker.getContainer(id!).inspect()).HostConfig.Memory).toBe(64 * 1024 * 1024);
    await h.client.updateContainerResources({ container_id: id!, linux: { cpu_period: 100000, cpu_quota: 50000, memory_limit_in_bytes: 128 * 1024 * 1024 } });
    const hc = (await docker.getContainer(id!).inspect()).HostConfig;
    expect(hc.CpuQuota).toBe(50000);
    expect(hc.CpuPeriod).toBe(100000);
    expect(hc.Memory).toBe(128 * 1024 * 1024);
  });

  it('reports non-zero CPU and memory for a busy container', async () => {
    const { sandboxId: sb, containerIds: [id] = [] } = await runPod(h, 'busy', [
      { name: 'spin', command: ['sh', '-c', 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; sleep 3600'] },
    ]);
    const stats = await waitFor('cpu usage', async () => {
      const { stats: s } = await h.client.containerStats({ container_id: id! });
      return Number(s?.cpu?.usage_core_nano_seconds?.value ?? 0) > 10_000_000 ? s : undefined;
    }, 30_000, 500);
    expect(Number(stats?.memory?.working_set_bytes?.value)).toBeGreaterThan(0);
    expect(stats?.attributes?.metadata).toEqual({ name: 'spin', attempt: 0 });
    const listed = await h.client.listContainerStats({ filter: { pod_sandbox_id: sb } });
    expect(listed.stats.map((s) => s.attributes?.id)).toEqual([id]);
    const pod = await h.client.podSandboxStats({ pod_sandbox_id: sb });
    expect(Number(pod.stats?.linux?.cpu?.usage_core_nano_seconds?.value)).toBeGreaterThan(0);
  });

  it('StopContainer lets a TERM-handling container exit and kills one that ignores TERM after the timeout', async () => {
    const { containerIds: [trapper, ignorer] = [] } = await runPod(h, 'stopper', [
      { name: 'trapper', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
      // Ignores TERM outright: only SIGKILL ends it.
      { name: 'ignorer', command: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'] },
    ]);
    const timeoutSeconds = 4;
    const t0 = Date.now();
    await h.client.stopContainer({ container_id: trapper!, timeout: timeoutSeconds });
    const trapped = (await h.client.containerStatus({ container_id: trapper! })).status!;
    expect(trapped.state).toBe('CONTAINER_EXITED');
    expect(trapped.exit_code).toBe(0);
    expect(trapped.reason).toBe('Completed');

    const t1 = Date.now();
    await h.client.stopContainer({ container_id: ignorer!, timeout: timeoutSeconds });
    const elapsedMs = Date.now() - t1;
    const killed = (await h.client.containerStatus({ container_id: ignorer! })).status!;
    expect(killed.state).toBe('CONTAINER_EXITED');
    expect(killed.exit_code).toBe(137);
    expect(killed.reason).toBe('Error');
    expect(elapsedMs).toBeGreaterThanOrEqual(timeoutSeconds * 1000 - 500);
    expect(Number(killed.finished_at)).toBeGreaterThan(Number(killed.started_at));
    expect(t1).toBeGreaterThanOrEqual(t0);
  });

  it('a host-network sandbox shares the node network and reports NODE', async () => {
    const { sandboxId: sb } = await runPod(h, 'hostnet', [], { linux: { security_context: { namespace_options: { network: 'NODE' } } } });
    const { status } = await h.client.podSandboxStatus({ pod_sandbox_id: sb });
    expect(status?.linux?.namespaces?.options?.network).toBe('NODE');
    expect(status?.network?.ip).toBe('');
  });

  it('StopPodSandbox stops its containers and RemovePodSandbox removes them', async () => {
    const { sandboxId: sb, containerIds: [id] = [] } = await runPod(h, 'doomed', [{ name: 'main', command: sleeper }]);
    await h.client.stopPodSandbox({ pod_sandbox_id: sb });
    expect((await h.client.podSandboxStatus({ pod_sandbox_id: sb })).status?.state).toBe('SANDBOX_NOTREADY');
    expect((await h.client.containerStatus({ container_id: id! })).status?.state).toBe('CONTAINER_EXITED');
    await h.client.removePodSandbox({ pod_sandbox_id: sb });
    await expect(h.client.containerStatus({ container_id: id! })).rejects.toMatchObject({ code: 5 });
    await expect(h.client.podSandboxStatus({ pod_sandbox_id: sb })).rejects.toMatchObject({ code: 5 });
    await h.client.removePodSandbox({ pod_sandbox_id: sb }); // idempotent
  });
});

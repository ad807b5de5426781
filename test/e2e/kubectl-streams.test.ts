// The real kubectl's streaming commands against a real `skiff server` and agent: logs (through the API
// server's pods/log proxy to the kubelet), exec and attach (HTTP upgrades passed through the API server
// and the kubelet to the CRI streaming server), and port-forward (SPDY passed through the same way).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Pod } from '../../api/index.js';
import { tlsOptionsOf } from '../support/api-request.js';
import { kubectlFor, kubectlPath, type Kubectl } from '../support/kubectl.js';
import { createNamespace, eventually, getPod, podsResource, startAgentEnv, waitReady, type AgentEnv } from '../kubelet/support/agent-e2e.js';

let env: AgentEnv;
let kubectl: Kubectl;
const ns = `kstreams-${Date.now().toString(36)}`;

function pod(name: string, containers: { name: string; command: string[]; stdin?: boolean }[]): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      nodeName: env.nodeName,
      terminationGracePeriodSeconds: 1,
      containers: containers.map((c) => ({ name: c.name, image: 'skiff/busybox:v1', command: c.command, ...(c.stdin ? { stdin: true } : {}) })),
    },
  };
}

const sleeper = ['sh', '-c', 'for i in 1 2 3; do echo line-$i; done; exec sleep 3600'];

describe('kubectl logs, exec and attach', () => {
  beforeAll(async () => {
    env = await startAgentEnv('kstreams');
    kubectl = kubectlFor(env.server.kubeconfigPath);
    await createNamespace(env.client, ns);
    await env.startAgent();
    await env.client.create(podsResource, pod('one', [{ name: 'app', command: sleeper }]));
    await env.client.create(podsResource, pod('two', [
      { name: 'a', command: ['sh', '-c', 'echo from-a; exec sleep 3600'] },
      { name: 'b', command: ['sh', '-c', 'echo from-b; exec sleep 3600'] },
    ]));
    await env.client.create(podsResource, pod('ticker', [{ name: 'app', command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 1; done'] }]));
    await waitReady(env.client, ns, 'one');
    await waitReady(env.client, ns, 'two');
    await waitReady(env.client, ns, 'ticker');
  }, 300_000);

  afterAll(async () => {
    await kubectl?.cleanup();
    await env?.cleanup();
  }, 120_000);

  it('kubectl logs prints the only container\'s log, with --tail and --timestamps', async () => {
    const all = await eventually('all lines', async () => {
      const out = await kubectl.ok(['logs', '-n', ns, 'one']);
      return out.includes('line-3') ? out : undefined;
    });
    expect(all).toBe('line-1\nline-2\nline-3\n');
    expect(await kubectl.ok(['logs', '-n', ns, 'one', '--tail=1'])).toBe('line-3\n');
    expect(await kubectl.ok(['logs', '-n', ns, 'one', '--tail=1', '--timestamps'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line-3\n$/);
  }, 120_000);

  it('kubectl logs -c picks a container of a multi-container pod', async () => {
    expect(await eventually('b log', async () => {
      const out = await kubectl.ok(['logs', '-n', ns, 'two', '-c', 'b']);
      return out || undefined;
    })).toBe('from-b\n');
  }, 120_000);

  it('answers unknown containers and pods with kubectl\'s usual errors', async () => {
    const badContainer = await kubectl.run(['logs', '-n', ns, 'one', '-c', 'nope']);
    expect(badContainer.code).not.toBe(0);
    expect(badContainer.stderr).toContain('container nope is not valid for pod one');
    const badPod = await kubectl.run(['logs', '-n', ns, 'missing']);
    expect(badPod.code).not.toBe(0);
    expect(badPod.stderr).toContain('pods "missing" not found');
    const execBadPod = await kubectl.run(['exec', '-n', ns, 'missing', '--', 'true']);
    expect(execBadPod.code).not.toBe(0);
    expect(execBadPod.stderr).toContain('pods "missing" not found');
    const execBadContainer = await kubectl.run(['exec', '-n', ns, 'one', '-c', 'nope', '--', 'true']);
    expect(execBadContainer.code).not.toBe(0);
    expect(execBadContainer.stderr).toContain('Error from server (BadRequest): container nope is not valid for pod one');
  }, 120_000);

  it('the API server itself refuses an unnamed container of a multi-container pod, as upstream', async () => {
    const res = await env.server.request(`/api/v1/namespaces/${ns}/pods/two/log`);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ reason: 'BadRequest', message: 'a container name must be specified for pod two, choose one of: [a b]' });
    const plain = await env.server.request(`/api/v1/namespaces/${ns}/pods/one/exec?command=true&stdout=true`);
    expect(plain.status).toBe(400);
    expect(plain.json<{ message: string }>().message).toBe('Upgrade request required');
  }, 60_000);

  it('kubectl logs -f streams lines printed later, until kubectl is killed', async () => {
    const first = Number(/tick-(\d+)/.exec(await eventually('a tick', async () => {
      const out = await kubectl.ok(['logs', '-n', ns, 'ticker', '--tail=1']);
      return out.trim() || undefined;
    }))?.[1]);
    const stream = kubectl.stream(['logs', '-n', ns, 'ticker', '-f', '--tail=1']);
    try {
      await stream.waitForLine(new RegExp(`^tick-${first + 3}$`), 60_000);
    } finally {
      await stream.stop();
    }
  }, 120_000);

  it('kubectl logs --previous shows the attempt before a restart', async () => {
    await env.client.create(podsResource, pod('crasher', [{ name: 'app', command: ['sh', '-c', 'echo attempt-output; sleep 1; exit 1'] }]));
    await eventually('a restart', async () => ((await getPod(env.client, ns, 'crasher')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 150_000);
    const prev = await eventually('previous log', async () => {
      const r = await kubectl.run(['logs', '-n', ns, 'crasher', '--previous']);
      return r.code === 0 && r.stdout ? r.stdout : undefined;
    });
    expect(prev).toBe('attempt-output\n');
  }, 200_000);

  it('kubectl exec relays stdout, stderr and the exit code', async () => {
    const r = await kubectl.run(['exec', '-n', ns, 'one', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toContain('err\n');
    expect(r.stderr).toContain('command terminated with exit code 3');
    expect(r.code).toBe(3);
    expect(await kubectl.ok(['exec', '-n', ns, 'two', '-c', 'b', '--', 'echo', 'in-b'])).toBe('in-b\n');
  }, 120_000);

  it('kubectl exec -i pipes stdin to the command', async () => {
    const r = await kubectl.run(['exec', '-i', '-n', ns, 'one', '--', 'cat'], { input: 'hello\nworld\n' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello\nworld\n');
    expect(r.code).toBe(0);
  }, 120_000);

  it('exec with a tty over v5.channel.k8s.io through the API server', async () => {
    const q = new URLSearchParams();
    for (const c of ['sh', '-c', 'tty; read x; echo got-$x; exit 4']) q.append('command', c);
    q.set('stdin', 'true');
    q.set('stdout', 'true');
    q.set('tty', 'true');
    const url = `${env.server.url.replace(/^http/, 'ws')}/api/v1/namespaces/${ns}/pods/one/exec?${q.toString()}`;
    // As the admin: the CA and client certificate of the admin kubeconfig (nothing for an http:// server).
    const ws = new WebSocket(url, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], tlsOptionsOf(env.server.connection()));
    let stdout = '';
    let status = '';
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
        ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      });
      expect(ws.protocol).toBe('v5.channel.k8s.io');
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.on('message', (data: Buffer) => {
        if (data[0] === 1) stdout += data.subarray(1).toString();
        if (data[0] === 3) status += data.subarray(1).toString();
      });
      // A resize first, as kubectl sends one, then a line of input.
      ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: 80, Height: 24 }))]));
      await eventually('the tty name', async () => /\/dev\/pts\/\d+/.test(stdout), 30_000, 100);
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('xyz\r')]));
      await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error(`no close; stdout ${stdout}`)), 30_000))]);
    } finally {
      ws.terminate();
    }
    expect(stdout).toContain('got-xyz');
    const parsed = JSON.parse(status) as { status: string; reason: string; details?: { causes?: { reason: string; message: string }[] } };
    expect(parsed.reason).toBe('NonZeroExitCode');
    expect(parsed.details?.causes).toContainEqual({ reason: 'ExitCode', message: '4' });
  }, 120_000);

  it('kubectl exec -it runs the command on a tty (kubectl given a pseudo-terminal by script(1))', async () => {
    // kubectl only asks for a tty when its stdin is a terminal: script(1) gives it one.
    const cmd = `${kubectlPath} --kubeconfig ${env.server.kubeconfigPath} --cache-dir ${path.join(env.dir, 'kubectl-cache')} exec -it -n ${ns} one -- sh -c 'tty; sleep 1; exit 5'`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
    clearTimeout(timer);
    expect(out).toMatch(/\/dev\/pts\/\d+/);
    expect(out).toContain('command terminated with exit code 5');
    expect(code).toBe(5);
  }, 120_000);

  it('kubectl attach streams a running container\'s output', async () => {
    const stream = kubectl.stream(['attach', '-n', ns, 'ticker']);
    try {
      await stream.waitForLine(/^tick-\d+$/, 60_000);
    } finally {
      await stream.stop();
    }
  }, 120_000);

  it('kubectl attach -i feeds stdin to a container started with stdin open', async () => {
    await env.client.create(podsResource, {
      ...pod('reader', [{ name: 'app', command: ['sh', '-c', 'read l; echo got-$l; exec sleep 3600'], stdin: true }]),
    });
    await waitReady(env.client, ns, 'reader');
    // stdin stays open until the answer is seen: the runtime ends an attach session when stdin closes,
    // which could race the container's output.
    const child = spawn(kubectlPath, ['--kubeconfig', env.server.kubeconfigPath, '--cache-dir', path.join(env.dir, 'kubectl-cache'), 'attach', '-i', '-n', ns, 'reader'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    try {
      child.stdin.write('hello\n');
      await eventually('the container\'s answer through attach', async () => out.includes('got-hello'), 60_000, 100);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(await kubectl.ok(['logs', '-n', ns, 'reader'])).toBe('got-hello\n');
  }, 180_000);

  it('kubectl port-forward reaches a pod\'s port (SPDY, after the WebSocket tunnel is refused)', async () => {
    await env.client.create(podsResource, pod('web', [{ name: 'httpd', command: ['sh', '-c', 'mkdir -p /www && echo hello-pf > /www/index.html && exec httpd -f -p 8080 -h /www'] }]));
    await waitReady(env.client, ns, 'web');
    const stream = kubectl.stream(['port-forward', '-n', ns, 'pod/web', ':8080']);
    try {
      const line = await stream.waitForLine(/^Forwarding from 127\.0\.0\.1:\d+ -> 8080$/, 60_000);
      const port = Number(/:(\d+) ->/.exec(line)?.[1]);
      const body = await eventually('an answer through the forward', async () => {
        const res = await fetch(`http://127.0.0.1:${port}/index.html`, { signal: AbortSignal.timeout(10_000) });
        return res.ok ? await res.text() : undefined;
      }, 60_000, 500);
      expect(body).toBe('hello-pf\n');
    } finally {
      await stream.stop();
    }
  }, 180_000);
});

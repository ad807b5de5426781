// The agent's container log endpoint on real Docker: tailLines, timestamps, previous and follow, served from
// the CRI log files, at the port the Node advertises in daemonEndpoints.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/index.js';
import { createNamespace, eventually, getPod, nodesResource, podsResource, startAgentEnv, waitReady, type AgentEnv } from '../kubelet/support/agent-e2e.js';

let env: AgentEnv;
let base = '';
const ns = `agent-logs-${Date.now().toString(36)}`;

beforeAll(async () => {
  env = await startAgentEnv('agent-logs');
  await createNamespace(env.client, ns);
  await env.startAgent();
  const node = await env.client.get<Node>(nodesResource, env.nodeName);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  base = `http://127.0.0.1:${port}`;
}, 180_000);

afterAll(async () => {
  await env?.cleanup();
}, 120_000);

async function text(path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(base + path, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.text() };
}

function pod(name: string, command: string[]): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { nodeName: env.nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'skiff/busybox:v1', command }] },
  };
}

describe('kubelet container logs', () => {
  it('serves the log with tailLines and timestamps', async () => {
    await env.client.create(podsResource, pod('counter', ['sh', '-c', 'for i in 1 2 3 4 5; do echo line-$i; done; exec sleep 3600']));
    await waitReady(env.client, ns, 'counter');
    const all = await eventually('all lines', async () => {
      const r = await text(`/containerLogs/${ns}/counter/app`);
      return r.body.includes('line-5') ? r.body : undefined;
    });
    expect(all).toBe('line-1\nline-2\nline-3\nline-4\nline-5\n');
    expect((await text(`/containerLogs/${ns}/counter/app?tailLines=2`)).body).toBe('line-4\nline-5\n');
    expect((await text(`/containerLogs/${ns}/counter/app?tailLines=1&timestamps=true`)).body).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line-5\n$/);
    expect((await text(`/containerLogs/${ns}/counter/nope`)).status).toBe(400);
    expect((await text(`/containerLogs/${ns}/missing/app`)).status).toBe(404);
  }, 180_000);

  it('serves the previous attempt of a restarted container', async () => {
    await env.client.create(podsResource, pod('crasher', ['sh', '-c', 'echo attempt-output; exit 1']));
    await eventually('a restart', async () => ((await getPod(env.client, ns, 'crasher')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 120_000);
    const prev = await eventually('previous log', async () => {
      const r = await text(`/containerLogs/${ns}/crasher/app?previous=true`);
      return r.status === 200 && r.body ? r.body : undefined;
    });
    expect(prev).toBe('attempt-output\n');
  }, 180_000);

  it('follows a running container until the client goes away', async () => {
    await env.client.create(podsResource, pod('ticker', ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 1; done']));
    await waitReady(env.client, ns, 'ticker');
    await eventually('a first tick', async () => (await text(`/containerLogs/${ns}/ticker/app`)).body.includes('tick-1'));
    let received = '';
    const req = http.get(`${base}/containerLogs/${ns}/ticker/app?follow=true&tailLines=1`);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
    });
    res.on('data', (d: Buffer) => (received += d.toString()));
    try {
      await eventually('three streamed lines', async () => received.split('\n').filter(Boolean).length >= 3, 60_000);
    } finally {
      req.destroy();
    }
    const ticks = received.split('\n').filter(Boolean).map((l) => Number(/^tick-(\d+)$/.exec(l)?.[1]));
    expect(ticks.every((n) => Number.isInteger(n))).toBe(true);
    // Consecutive: the tail line first, then each new line as it is written.
    expect(ticks.slice(1).every((n, i) => n === ticks[i]! + 1)).toBe(true);
  }, 120_000);
});

// The agent's container log endpoint on real Docker: tailLines, timestamps, previous and follow, served from
// the CRI log files, at the port the Node advertises in daemonEndpoints, over HTTPS with a client
// certificate signed by the cluster CA (and refused without one).
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/index.js';
import type { ConnectionConfig } from '../../client/index.js';
import { agentFor, openStream, sendRequest } from '../support/api-request.js';
import { createNamespace, eventually, getPod, kubeletConnection, nodesResource, podsResource, startAgentEnv, waitReady, type AgentEnv } from '../kubelet/support/agent-e2e.js';

let env: AgentEnv;
let kubelet: ConnectionConfig;
let agent: http.Agent | undefined;
const ns = `agent-logs-${Date.now().toString(36)}`;

beforeAll(async () => {
  env = await startAgentEnv('agent-logs');
  await createNamespace(env.client, ns);
  await env.startAgent();
  const node = await env.client.get<Node>(nodesResource, env.nodeName);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  kubelet = kubeletConnection(env.server, port);
  agent = agentFor(kubelet);
}, 180_000);

afterAll(async () => {
  agent?.destroy();
  await env?.cleanup();
}, 120_000);

async function text(path: string): Promise<{ status: number; body: string }> {
  const res = await sendRequest(kubelet, agent!, path, { timeoutMs: 10_000 });
  return { status: res.status, body: res.body };
}

function pod(name: string, command: string[]): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { nodeName: env.nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'skiff/busybox:v1', command }] },
  };
}

describe('kubelet container logs', () => {
  it('is served over HTTPS and refuses a client without a certificate from the cluster CA', async () => {
    expect(kubelet.server).toMatch(/^https:/);
    const anonymous = agentFor({ server: kubelet.server, insecureSkipTLSVerify: true }, { keepAlive: false });
    try {
      // Refused in the TLS handshake or with 401, depending on where the endpoint checks; never served.
      const answer = await sendRequest({ server: kubelet.server }, anonymous, `/containerLogs/${ns}/any/app`, { timeoutMs: 10_000 }).then(
        (r) => r.status,
        () => 'refused',
      );
      expect([401, 'refused']).toContain(answer);
    } finally {
      anonymous.destroy();
    }
  }, 60_000);

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
    const res = await openStream(kubelet, agent!, `/containerLogs/${ns}/ticker/app?follow=true&tailLines=1`);
    res.on('data', (d: Buffer) => (received += d.toString()));
    try {
      await eventually('three streamed lines', async () => received.split('\n').filter(Boolean).length >= 3, 60_000);
    } finally {
      res.destroy();
    }
    const ticks = received.split('\n').filter(Boolean).map((l) => Number(/^tick-(\d+)$/.exec(l)?.[1]));
    expect(ticks.every((n) => Number.isInteger(n))).toBe(true);
    // Consecutive: the tail line first, then each new line as it is written.
    expect(ticks.slice(1).every((n, i) => n === ticks[i]! + 1)).toBe(true);
  }, 120_000);
});

// A few thousand malformed or hostile requests against a real `skiff server`: every answer must be a 4xx
// Status (never a 5xx, never a hang), the server must stay up, and the objects created before must be intact.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentFor } from '../support/api-request.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';
import { hostileRequests, type HostileRequest } from './hostile-requests.js';

const ns = 'fuzz';
const keptObjects = 20;
const requestCount = 3000;

interface Answer {
  status: number;
  body: string;
}

// As the admin, so authentication and authorization pass and the hostile part reaches the API machinery.
async function send(server: SkiffServer, agent: http.Agent, r: HostileRequest): Promise<Answer> {
  const answer = await server.request(r.path, {
    method: r.method,
    agent,
    timeoutMs: 10_000,
    headers: { accept: 'application/json', ...(r.contentType ? { 'content-type': r.contentType } : {}) },
    ...(r.body !== undefined ? { body: r.body } : {}),
  }).catch((err: Error) => {
    throw new Error(`${r.method} ${r.path} (${r.label}): ${err.message}`);
  });
  return { status: answer.status, body: answer.body };
}

async function json(server: SkiffServer, agent: http.Agent, method: string, path: string, body?: unknown): Promise<Answer> {
  return send(server, agent, {
    method,
    path,
    label: 'setup',
    ...(body !== undefined ? { contentType: 'application/json', body: JSON.stringify(body) } : {}),
  });
}

describe('API server under hostile input', () => {
  let server: SkiffServer;
  let agent: http.Agent;
  const kept = new Map<string, string>();

  beforeAll(async () => {
    server = await startSkiffServer();
    agent = agentFor(server.connection(), { maxSockets: 8 });
    expect((await json(server, agent, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status).toBe(201);
    for (let i = 0; i < keptObjects; i++) {
      const res = await json(server, agent, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `keep-${i}`, namespace: ns, labels: { keep: 'yes' } },
        data: { k: `value-${i}` },
      });
      expect(res.status).toBe(201);
      kept.set(`keep-${i}`, JSON.parse(res.body).metadata.resourceVersion as string);
    }
  });

  afterAll(async () => {
    agent?.destroy();
    await server?.stop();
  });

  it('answers every malformed or hostile request with a 4xx Status and loses nothing', async () => {
    const requests = hostileRequests(ns, requestCount);
    const wrong: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const r = requests[next++];
        if (!r) break;
        const answer = await send(server, agent, r);
        const isStatus = answer.body.includes('"kind":"Status"') || answer.body.includes('"kind": "Status"');
        if (answer.status < 400 || answer.status >= 500 || !isStatus) {
          wrong.push(`${answer.status} for ${r.label}: ${r.method} ${r.path.slice(0, 120)} -> ${answer.body.slice(0, 160)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(wrong.slice(0, 20)).toEqual([]);

    // Alive, and every object from before is exactly as it was.
    expect((await json(server, agent, 'GET', '/healthz')).status).toBe(200);
    const list = await json(server, agent, 'GET', `/api/v1/namespaces/${ns}/configmaps`);
    expect(list.status).toBe(200);
    const items = (JSON.parse(list.body) as { items: Array<{ metadata: { name: string; resourceVersion: string }; data: Record<string, string> }> }).items;
    // Nothing hostile was accepted: only the kept objects exist.
    expect(items.map((i) => i.metadata.name).sort()).toEqual([...kept.keys()].sort());
    for (const item of items) {
      expect(item.metadata.resourceVersion).toBe(kept.get(item.metadata.name));
      expect(item.data.k).toBe(`value-${item.metadata.name.slice('keep-'.length)}`);
    }
    const pods = await json(server, agent, 'GET', `/api/v1/namespaces/${ns}/pods`);
    expect(JSON.parse(pods.body).items).toEqual([]);
    const services = await json(server, agent, 'GET', `/api/v1/namespaces/${ns}/services`);
    expect(JSON.parse(services.body).items).toEqual([]);
  });
});

// A few thousand malformed or hostile requests against a real `skiff server`: every answer must be a 4xx
// Status (never a 5xx, never a hang), the server must stay up, and the objects created before must be intact.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';
import { hostileRequests, type HostileRequest } from './hostile-requests.js';

const ns = 'fuzz';
const keptObjects = 20;
const requestCount = 3000;

interface Answer {
  status: number;
  body: string;
}

function send(baseUrl: string, agent: http.Agent, r: HostileRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(r.path, baseUrl);
    const req = http.request(
      url,
      {
        method: r.method,
        agent,
        timeout: 10_000,
        headers: {
          accept: 'application/json',
          ...(r.contentType ? { 'content-type': r.contentType } : {}),
          ...(r.body !== undefined ? { 'content-length': Buffer.byteLength(r.body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in 10s to ${r.method} ${r.path} (${r.label})`)));
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

async function json(baseUrl: string, agent: http.Agent, method: string, path: string, body?: unknown): Promise<Answer> {
  return send(baseUrl, agent, {
    method,
    path,
    label: 'setup',
    ...(body !== undefined ? { contentType: 'application/json', body: JSON.stringify(body) } : {}),
  });
}

describe('API server under hostile input', () => {
  let server: SkiffServer;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const kept = new Map<string, string>();

  beforeAll(async () => {
    server = await startSkiffServer();
    expect((await json(server.url, agent, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status).toBe(201);
    for (let i = 0; i < keptObjects; i++) {
      const res = await json(server.url, agent, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
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
    agent.destroy();
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
        const answer = await send(server.url, agent, r);
        const isStatus = answer.body.includes('"kind":"Status"') || answer.body.includes('"kind": "Status"');
        if (answer.status < 400 || answer.status >= 500 || !isStatus) {
          wrong.push(`${answer.status} for ${r.label}: ${r.method} ${r.path.slice(0, 120)} -> ${answer.body.slice(0, 160)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(wrong.slice(0, 20)).toEqual([]);

    // Alive, and every object from before is exactly as it was.
    expect((await json(server.url, agent, 'GET', '/healthz')).status).toBe(200);
    const list = await json(server.url, agent, 'GET', `/api/v1/namespaces/${ns}/configmaps`);
    expect(list.status).toBe(200);
    const items = (JSON.parse(list.body) as { items: Array<{ metadata: { name: string; resourceVersion: string }; data: Record<string, string> }> }).items;
    // Nothing hostile was accepted: only the kept objects exist.
    expect(items.map((i) => i.metadata.name).sort()).toEqual([...kept.keys()].sort());
    for (const item of items) {
      expect(item.metadata.resourceVersion).toBe(kept.get(item.metadata.name));
      expect(item.data.k).toBe(`value-${item.metadata.name.slice('keep-'.length)}`);
    }
    const pods = await json(server.url, agent, 'GET', `/api/v1/namespaces/${ns}/pods`);
    expect(JSON.parse(pods.body).items).toEqual([]);
    const services = await json(server.url, agent, 'GET', `/api/v1/namespaces/${ns}/services`);
    expect(JSON.parse(services.body).items).toEqual([]);
  });
});

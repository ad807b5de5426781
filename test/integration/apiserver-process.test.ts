// The real `skiff server` process (built dist/): starts on a free port, writes an admin kubeconfig with the
// real HTTPS URL and its credentials, serves /healthz, keeps its objects across SIGTERM and SIGKILL restarts.
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentFor, sendRequest } from '../support/api-request.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

let server: SkiffServer;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await server.request(path, { method, ...(body !== undefined ? { jsonBody: body } : {}) });
  try {
    return { status: res.status, body: res.json() };
  } catch {
    return { status: res.status, body: res.body };
  }
}

beforeAll(async () => {
  server = await startSkiffServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('skiff server process', () => {
  it('writes an admin kubeconfig (mode 0600) with the real HTTPS port, the CA and a client certificate', () => {
    const text = readFileSync(server.kubeconfigPath, 'utf8');
    expect(text).toContain(`server: ${server.url}`);
    expect(text).toMatch(/^current-context: \S+/m);
    expect(statSync(server.kubeconfigPath).mode & 0o777).toBe(0o600);
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    const connection = server.connection();
    expect(connection.ca?.toString('utf8')).toContain('BEGIN CERTIFICATE');
    expect(connection.cert?.toString('utf8')).toContain('BEGIN CERTIFICATE');
    expect(connection.key?.toString('utf8')).toMatch(/BEGIN (RSA |EC )?PRIVATE KEY/);
  });

  it('answers ok on /healthz, /livez and /readyz', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) expect(await call('GET', path)).toEqual({ status: 200, body: 'ok' });
  });

  it('answers a request without credentials with 401 Unauthorized', async () => {
    const { ca, server: url } = server.connection();
    const anonymous = { server: url, ...(ca ? { ca } : {}) };
    const agent = agentFor(anonymous, { keepAlive: false });
    try {
      const res = await sendRequest(anonymous, agent, '/api/v1/namespaces/default/configmaps');
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    } finally {
      agent.destroy();
    }
  });

  it('keeps objects across a graceful restart and a SIGKILL', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'survivor' }, data: { a: 'b' } };
    expect((await call('POST', '/api/v1/namespaces/default/configmaps', cm)).status).toBe(201);
    await server.restart();
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/survivor')).body.data).toEqual({ a: 'b' });
    await server.kill9();
    await server.restart();
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/survivor')).body.data).toEqual({ a: 'b' });
    expect((await call('GET', '/api/v1/namespaces/default/services/kubernetes')).body.spec.clusterIP).toBe('10.96.0.1');
  });
});

// The real `skiff server` process (built dist/): starts on a free port, writes a kubeconfig with the
// real URL, serves /healthz, keeps its objects across SIGTERM and SIGKILL restarts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

let server: SkiffServer;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

beforeAll(async () => {
  server = await startSkiffServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('skiff server process', () => {
  it('writes an admin kubeconfig with the real port and current context skiff', () => {
    const text = readFileSync(server.kubeconfigPath, 'utf8');
    expect(text).toContain(`server: ${server.url}`);
    expect(text).toContain('current-context: skiff');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
  });

  it('answers ok on /healthz, /livez and /readyz', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) expect(await call('GET', path)).toEqual({ status: 200, body: 'ok' });
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

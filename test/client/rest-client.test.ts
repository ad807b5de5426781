import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  ApiError,
  BadRequestError,
  ConflictError,
  ExpiredError,
  ForbiddenError,
  InternalError,
  InvalidError,
  NotFoundError,
  UnauthorizedError,
} from '../../api/errors.js';
import type { KubeObject, Status } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { FakeClock, flushMicrotasks } from '../../client/clock.js';
import { RequestTimeoutError, RestClient, type PatchType } from '../../client/rest-client.js';
import { sendJson, startStubServer, type StubServer } from './support/stub-server.js';

const pods = findResource('', 'v1', 'pods')!;
const nodes = findResource('', 'v1', 'nodes')!;
const deployments = findResource('apps', 'v1', 'deployments')!;

function status(code: number, reason: string, message: string, details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message, ...(details ? { details } : {}) };
}

async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'prod', resourceVersion: '7' } };

describe('RestClient', () => {
  let stub: StubServer;
  let client: RestClient;
  let tmp: string | undefined;

  beforeEach(async () => {
    stub = await startStubServer((_req, res) => sendJson(res, 200, pod));
    client = new RestClient({ server: stub.url }, { rateLimit: false, timeoutMs: 5000 });
  });

  afterEach(async () => {
    client.close();
    await stub.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  });

  describe('maps error answers to typed errors', () => {
    it.each([
      [404, status(404, 'NotFound', 'pods "web" not found', { name: 'web', kind: 'pods' }), NotFoundError],
      [409, status(409, 'AlreadyExists', 'pods "web" already exists', { name: 'web', kind: 'pods' }), AlreadyExistsError],
      [409, status(409, 'Conflict', 'Operation cannot be fulfilled on pods "web": the object has been modified'), ConflictError],
      [410, status(410, 'Expired', 'too old resource version: 1 (5)'), ExpiredError],
      [410, status(410, 'Gone', 'continue token expired'), ExpiredError],
      [403, status(403, 'Forbidden', 'pods is forbidden: User "x" cannot list'), ForbiddenError],
      [401, status(401, 'Unauthorized', 'Unauthorized'), UnauthorizedError],
      [400, status(400, 'BadRequest', 'bad selector'), BadRequestError],
      [500, status(500, 'InternalError', 'Internal error occurred: disk'), InternalError],
      [429, status(429, 'TooManyRequests', 'slow down'), ApiError],
    ])('HTTP %i %o', async (code, body, type) => {
      stub.handle((_req, res) => sendJson(res, code, body));
      const err = await client.get(pods, 'web', { namespace: 'prod' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(type);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(code);
      // Every 410 means "start again from a fresh list", so it surfaces as ExpiredError whatever its reason.
      expect((err as ApiError).reason).toBe(code === 410 ? 'Expired' : body.reason);
      // The server's message is kept word for word.
      expect((err as ApiError).message).toBe(body.message);
    });

    it('turns 422 into InvalidError with its field causes', async () => {
      const body = status(422, 'Invalid', 'Pod "web" is invalid: [spec.containers[0].image: Required value, metadata.name: Invalid value]', {
        name: 'web',
        kind: 'Pod',
        causes: [
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' },
          { reason: 'FieldValueInvalid', message: 'Invalid value: "Web"', field: 'metadata.name' },
        ],
      });
      stub.handle((_req, res) => sendJson(res, 422, body));
      const err = await client.create(pods, pod).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidError);
      const invalid = err as InvalidError;
      expect(invalid.fieldErrors).toEqual([
        { type: 'FieldValueRequired', detail: 'Required value', field: 'spec.containers[0].image' },
        { type: 'FieldValueInvalid', detail: 'Invalid value: "Web"', field: 'metadata.name' },
      ]);
      expect(invalid.details.causes).toHaveLength(2);
      expect(invalid.details.name).toBe('web');
      expect(invalid.message).toBe(body.message);
    });

    it('makes an ApiError from a non-Status error body', async () => {
      stub.handle((_req, res) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('bad gateway\n');
      });
      const err = await client.get(pods, 'web', { namespace: 'prod' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(502);
      expect((err as ApiError).message).toBe('bad gateway');
    });
  });

  describe('builds requests', () => {
    it('gets namespaced and cluster-scoped objects', async () => {
      await client.get(pods, 'web', { namespace: 'prod' });
      await client.get(nodes, 'n1');
      expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/namespaces/prod/pods/web', 'GET /api/v1/nodes/n1']);
      expect(stub.requests[0]?.headers.accept).toBe('application/json');
    });

    it('lists across namespaces with selectors, limit, continue and resourceVersion', async () => {
      stub.handle((_req, res) => sendJson(res, 200, { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion: '9' }, items: [] }));
      const list = await client.list(deployments, {
        labelSelector: 'app=web',
        fieldSelector: 'metadata.name=x',
        limit: 10,
        continue: 'abc',
        resourceVersion: '0',
      });
      expect(list.metadata.resourceVersion).toBe('9');
      const req = stub.requests[0];
      expect(req?.path).toBe('/apis/apps/v1/deployments');
      expect(Object.fromEntries(req?.query ?? [])).toEqual({
        labelSelector: 'app=web',
        fieldSelector: 'metadata.name=x',
        limit: '10',
        continue: 'abc',
        resourceVersion: '0',
      });
    });

    it('creates in the object namespace, updates by name, and updates status through /status', async () => {
      await client.create(pods, pod, { fieldManager: 'test' });
      await client.update(pods, pod);
      await client.updateStatus(pods, pod);
      expect(stub.requests.map((r) => `${r.method} ${r.path}${r.query.size ? `?${r.query}` : ''}`)).toEqual([
        'POST /api/v1/namespaces/prod/pods?fieldManager=test',
        'PUT /api/v1/namespaces/prod/pods/web',
        'PUT /api/v1/namespaces/prod/pods/web/status',
      ]);
      expect(JSON.parse(stub.requests[1]?.body ?? '')).toEqual(pod);
      expect(stub.requests[1]?.headers['content-type']).toBe('application/json');
    });

    it.each<[PatchType, string]>([
      ['merge', 'application/merge-patch+json'],
      ['strategic', 'application/strategic-merge-patch+json'],
      ['json', 'application/json-patch+json'],
      ['apply', 'application/apply-patch+yaml'],
    ])('sends a %s patch as %s', async (type, contentType) => {
      await client.patch(deployments, 'web', { spec: { replicas: 3 } }, { namespace: 'prod', type });
      expect(stub.requests[0]?.method).toBe('PATCH');
      expect(stub.requests[0]?.path).toBe('/apis/apps/v1/namespaces/prod/deployments/web');
      expect(stub.requests[0]?.headers['content-type']).toBe(contentType);
    });

    it('patches a subresource', async () => {
      await client.patch(pods, 'web', { status: { phase: 'Running' } }, { namespace: 'prod', subresource: 'status' });
      expect(stub.requests[0]?.path).toBe('/api/v1/namespaces/prod/pods/web/status');
    });

    it('sends DeleteOptions with grace period, propagation policy and preconditions', async () => {
      stub.handle((_req, res) => sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 }));
      const answer = await client.delete(deployments, 'web', {
        namespace: 'prod',
        gracePeriodSeconds: 0,
        propagationPolicy: 'Foreground',
        preconditions: { uid: 'u1', resourceVersion: '7' },
      });
      expect(answer.kind).toBe('Status');
      expect(stub.requests[0]?.method).toBe('DELETE');
      expect(JSON.parse(stub.requests[0]?.body ?? '')).toEqual({
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        gracePeriodSeconds: 0,
        propagationPolicy: 'Foreground',
        preconditions: { uid: 'u1', resourceVersion: '7' },
      });
    });

    it('posts to a subresource such as a pod binding', async () => {
      await client.createSubresource(pods, 'web', 'binding', { kind: 'Binding', target: { kind: 'Node', name: 'n1' } }, { namespace: 'prod' });
      expect(`${stub.requests[0]?.method} ${stub.requests[0]?.path}`).toBe('POST /api/v1/namespaces/prod/pods/web/binding');
    });

    it('sends generic requests with extra headers and keeps a server path prefix', async () => {
      const prefixed = new RestClient({ server: `${stub.url}/k8s/` }, { rateLimit: false });
      try {
        await prefixed.request('GET', '/version', undefined, { 'X-Test': 'yes' });
      } finally {
        prefixed.close();
      }
      expect(stub.requests[0]?.path).toBe('/k8s/version');
      expect(stub.requests[0]?.headers['x-test']).toBe('yes');
    });

    it('refuses a namespaced object path without a namespace', async () => {
      await expect(client.get(pods, 'web')).rejects.toThrow(/namespace/);
    });

    it('reuses one keep-alive connection for sequential requests', async () => {
      await client.get(nodes, 'a');
      await client.get(nodes, 'b');
      expect(stub.requests[0]?.remotePort).toBe(stub.requests[1]?.remotePort);
    });
  });

  it('sends a bearer token, re-reading a token file', async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'skiff-client-'));
    const tokenFile = path.join(tmp, 'token');
    writeFileSync(tokenFile, 'first\n');
    const clock = new FakeClock(1_000_000);
    const withFile = new RestClient({ server: stub.url, tokenFile }, { rateLimit: false, clock });
    const withToken = new RestClient({ server: stub.url, token: 'static' }, { rateLimit: false });
    try {
      await withFile.get(nodes, 'a');
      writeFileSync(tokenFile, 'second\n');
      await withFile.get(nodes, 'a');
      clock.step(61_000);
      await withFile.get(nodes, 'a');
      await withToken.get(nodes, 'a');
    } finally {
      withFile.close();
      withToken.close();
    }
    expect(stub.requests.map((r) => r.headers.authorization)).toEqual(['Bearer first', 'Bearer first', 'Bearer second', 'Bearer static']);
  });

  it('fails a request the server does not answer within the timeout', async () => {
    stub.handle(() => undefined);
    const err = await client.get(nodes, 'slow', { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
  });

  it('resends a request refused with 429 after its Retry-After delay, a bounded number of times', async () => {
    const clock = new FakeClock();
    const retrying = new RestClient({ server: stub.url }, { rateLimit: false, clock, maxRetries: 2 });
    const busy = (_req: unknown, res: import('node:http').ServerResponse): void => {
      res.setHeader('retry-after', '1');
      sendJson(res, 429, status(429, 'TooManyRequests', 'too many requests'));
    };
    try {
      stub.handle((req, res) => (stub.requests.length === 1 ? busy(req, res) : sendJson(res, 200, pod)));
      const ok = retrying.get(pods, 'web', { namespace: 'prod' });
      await eventually(() => expect(stub.requests).toHaveLength(1));
      await eventually(() => expect(clock.pendingTimers()).toBe(1));
      await clock.advance(1000);
      await expect(ok).resolves.toMatchObject({ metadata: { name: 'web' } });
      expect(stub.requests).toHaveLength(2);

      stub.handle(busy);
      const failing = retrying.get(pods, 'web', { namespace: 'prod' }).catch((e: unknown) => e);
      for (let i = 0; i < 2; i++) {
        await eventually(() => expect(clock.pendingTimers()).toBe(1));
        await clock.advance(1000);
      }
      const err = await failing;
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(429);
      // One first try plus two retries.
      expect(stub.requests).toHaveLength(5);
    } finally {
      retrying.close();
    }
  });

  it('holds requests beyond the burst until the token bucket refills', async () => {
    const clock = new FakeClock();
    const limited = new RestClient({ server: stub.url }, { qps: 1, burst: 2, clock });
    try {
      await limited.get(nodes, 'a');
      await limited.get(nodes, 'b');
      let third = false;
      const pending = limited.get(nodes, 'c').then(() => (third = true));
      await flushMicrotasks();
      expect(stub.requests).toHaveLength(2);
      expect(third).toBe(false);
      await clock.advance(1000);
      await pending;
      expect(stub.requests).toHaveLength(3);
    } finally {
      limited.close();
    }
  });
});

import type * as http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExpiredError, NotFoundError } from '../../api/errors.js';
import type { KubeObject, WatchEvent } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { RestClient } from '../../client/rest-client.js';
import { watch } from '../../client/watch.js';
import { WatchDecoder } from '../../client/watch-decoder.js';
import { sendJson, startStubServer, type StubServer } from './support/stub-server.js';

const pods = findResource('', 'v1', 'pods')!;

function ev(type: WatchEvent['type'], name: string, rv: string, note = ''): WatchEvent {
  return { type, object: { kind: 'Pod', apiVersion: 'v1', metadata: { name, namespace: 'default', resourceVersion: rv, annotations: { note } } } };
}

const gone = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', message: 'too old resource version: 5 (10)', code: 410 };

describe('WatchDecoder', () => {
  const events = [ev('ADDED', 'a', '1', 'café ☕ 𝄞'), ev('MODIFIED', 'a', '2'), ev('BOOKMARK', '', '3')];
  const payload = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''));

  it('decodes the same events wherever one chunk boundary falls, even inside a multi-byte character', () => {
    for (let cut = 0; cut <= payload.length; cut++) {
      const d = new WatchDecoder<KubeObject>();
      const got = [...d.write(payload.subarray(0, cut)), ...d.write(payload.subarray(cut)), ...d.end()];
      expect(got, `cut at ${cut}`).toEqual(events);
    }
  });

  it('decodes events delivered one byte per chunk', () => {
    const d = new WatchDecoder<KubeObject>();
    const got: WatchEvent[] = [];
    for (const byte of payload) got.push(...d.write(Buffer.from([byte])));
    expect(got).toEqual(events);
  });

  it.each([
    ['skips blank lines', '\n\n{"type":"ADDED","object":{"metadata":{}}}\n\n', 1],
    ['parses a last line without a newline at end of stream', '{"type":"DELETED","object":{"metadata":{}}}', 1],
    ['accepts CRLF line ends', '{"type":"ADDED","object":{"metadata":{}}}\r\n', 1],
  ])('%s', (_name, text, count) => {
    const d = new WatchDecoder<KubeObject>();
    expect([...d.write(text), ...d.end()]).toHaveLength(count);
  });

  it.each([
    ['malformed JSON', '{"type":"ADDED",\n'],
    ['an unknown event type', '{"type":"CHANGED","object":{}}\n'],
    ['a missing object', '{"type":"ADDED"}\n'],
  ])('rejects %s', (_name, text) => {
    expect(() => new WatchDecoder().write(text)).toThrow(/watch/);
  });
});

describe('watch', () => {
  let stub: StubServer;
  let client: RestClient;
  const openResponses = new Set<http.ServerResponse>();

  beforeEach(async () => {
    stub = await startStubServer();
    client = new RestClient({ server: stub.url }, { rateLimit: false });
  });

  afterEach(async () => {
    for (const r of openResponses) r.destroy();
    openResponses.clear();
    client.close();
    await stub.close();
  });

  /** Streams `pieces` one per 5 ms, then ends the response unless `keepOpen`. */
  function streamPieces(pieces: string[], keepOpen = false): void {
    stub.handle((_req, res) => {
      openResponses.add(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      let i = 0;
      const next = (): void => {
        if (res.destroyed) return;
        const piece = pieces[i++];
        if (piece === undefined) {
          if (!keepOpen) res.end();
          return;
        }
        res.write(piece);
        setTimeout(next, 5);
      };
      next();
    });
  }

  it('yields events split across network chunks, in order, and ends when the server ends', async () => {
    const text = [ev('ADDED', 'a', '11'), ev('BOOKMARK', '', '12'), ev('DELETED', 'a', '13')].map((e) => `${JSON.stringify(e)}\n`).join('');
    // Cut mid-JSON and mid-line so the client must reassemble.
    streamPieces([text.slice(0, 7), text.slice(7, 150), text.slice(150, 151), text.slice(151)]);
    const stream = await watch(client, pods, {
      namespace: 'default',
      resourceVersion: '10',
      allowWatchBookmarks: true,
      timeoutSeconds: 30,
      labelSelector: 'app=web',
    });
    const got: string[] = [];
    for await (const e of stream) got.push(`${e.type}:${e.object.metadata.resourceVersion}`);
    expect(got).toEqual(['ADDED:11', 'BOOKMARK:12', 'DELETED:13']);
    const req = stub.requests[0];
    expect(req?.path).toBe('/api/v1/namespaces/default/pods');
    expect(Object.fromEntries(req?.query ?? [])).toEqual({
      watch: '1',
      resourceVersion: '10',
      allowWatchBookmarks: 'true',
      timeoutSeconds: '30',
      labelSelector: 'app=web',
    });
  });

  it('delivers events before an ERROR 410 event, then throws ExpiredError', async () => {
    streamPieces([`${JSON.stringify(ev('ADDED', 'a', '11'))}\n`, `${JSON.stringify({ type: 'ERROR', object: gone })}\n`], true);
    const stream = await watch(client, pods, { resourceVersion: '5' });
    const got: string[] = [];
    const consume = async (): Promise<void> => {
      for await (const e of stream) got.push(e.type);
    };
    const err = await consume().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(got).toEqual(['ADDED']);
    expect(err).toBeInstanceOf(ExpiredError);
    expect((err as ExpiredError).code).toBe(410);
    expect((err as ExpiredError).message).toBe('too old resource version: 5 (10)');
  });

  it('rejects with the typed error when the server refuses the watch', async () => {
    stub.handle((_req, res) => sendJson(res, 410, gone));
    await expect(watch(client, pods, { resourceVersion: '5' })).rejects.toBeInstanceOf(ExpiredError);
    stub.handle((_req, res) =>
      sendJson(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'namespaces "x" not found' }),
    );
    await expect(watch(client, pods, { namespace: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stop() ends iteration without an error and closes the connection', async () => {
    streamPieces([`${JSON.stringify(ev('ADDED', 'a', '11'))}\n`], true);
    const stream = await watch(client, pods);
    const got: WatchEvent<KubeObject>[] = [];
    const done = stream.forEach((e) => {
      got.push(e);
      stream.stop();
    });
    await expect(done).resolves.toBeUndefined();
    expect(got).toHaveLength(1);
    expect(stream.isStopped).toBe(true);
    const res = [...openResponses][0];
    const deadline = Date.now() + 5000;
    while (res && !res.destroyed && !res.writableEnded && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(res?.destroyed || res?.writableEnded).toBe(true);
  });

  it('ends iteration when the caller aborts its signal', async () => {
    streamPieces([], true);
    const controller = new AbortController();
    const stream = await watch(client, pods, { signal: controller.signal });
    const done = stream.forEach(() => undefined);
    controller.abort();
    await expect(done).resolves.toBeUndefined();
  });

  it('fails the iteration when the connection drops mid-stream', async () => {
    stub.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`${JSON.stringify(ev('ADDED', 'a', '11'))}\n{"type":"MOD`);
      setTimeout(() => res.destroy(), 20);
    });
    const stream = await watch(client, pods);
    const got: string[] = [];
    await expect(stream.forEach((e) => void got.push(e.type))).rejects.toThrow();
    expect(got).toEqual(['ADDED']);
  });
});

// The discovery routes on the API server's fastify instance. Every document is built once (the
// resource table is fixed for the life of the process) and served with an ETag, so clients that cache
// discovery (kubectl's disk cache) revalidate with If-None-Match and get 304.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../../api/errors.js';
import { aggregatedDiscovery, type DiscoveryVersion } from './aggregated-discovery.js';
import { apiGroupList, apiResourceList, apiVersions, servedGroups } from './legacy-discovery.js';
import { aggregatedContentType, preferredDiscovery } from './negotiation.js';
import { versionInfo } from './version-info.js';

interface Document {
  body: Buffer;
  etag: string;
  contentType: string;
}

function document(value: object, contentType = 'application/json'): Document {
  const body = Buffer.from(JSON.stringify(value));
  return { body, etag: `"${createHash('sha256').update(body).digest('hex')}"`, contentType };
}

const cache = new Map<string, Document>();

function cached(key: string, build: () => Document): Document {
  let doc = cache.get(key);
  if (!doc) {
    doc = build();
    cache.set(key, doc);
  }
  return doc;
}

function send(request: FastifyRequest, reply: FastifyReply, doc: Document): FastifyReply {
  // Sent as bytes: fastify would otherwise re-format the media type (quoting g="...", adding charset),
  // and the aggregated form's Content-Type should read exactly as the client asked for it.
  reply.header('vary', 'Accept').header('etag', doc.etag).header('content-type', doc.contentType);
  if (request.headers['if-none-match'] === doc.etag) return reply.code(304).send();
  return reply.send(doc.body);
}

function aggregatedDocument(root: 'api' | 'apis', version: DiscoveryVersion): Document {
  return cached(`${root}:${version}`, () => document(aggregatedDiscovery(root, version), aggregatedContentType(version)));
}

function notFound(reply: FastifyReply): FastifyReply {
  const status = new NotFoundError({}, 'the server could not find the requested resource').toStatus();
  return reply.code(404).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(status)));
}

export function registerDiscoveryRoutes(app: FastifyInstance): void {
  app.get('/version', async (request, reply) => send(request, reply, cached('version', () => document(versionInfo()))));

  app.get('/api', async (request, reply) => {
    const aggregated = preferredDiscovery(request.headers.accept);
    if (aggregated) return send(request, reply, aggregatedDocument('api', aggregated));
    // The server address depends on how the client reached us, so this one is not cached.
    return send(request, reply, document(apiVersions(request.host)));
  });

  app.get('/apis', async (request, reply) => {
    const aggregated = preferredDiscovery(request.headers.accept);
    if (aggregated) return send(request, reply, aggregatedDocument('apis', aggregated));
    return send(request, reply, cached('apis', () => document(apiGroupList())));
  });

  app.get('/api/v1', async (request, reply) =>
    send(request, reply, cached('api/v1', () => document(apiResourceList('', 'v1') ?? {}))),
  );

  app.get<{ Params: { group: string } }>('/apis/:group', async (request, reply) => {
    const found = servedGroups().find((g) => g.name === request.params.group);
    if (!found) return notFound(reply);
    return send(request, reply, cached(`apis/${found.name}`, () => document({ kind: 'APIGroup', apiVersion: 'v1', ...found })));
  });

  app.get<{ Params: { group: string; version: string } }>('/apis/:group/:version', async (request, reply) => {
    const { group, version } = request.params;
    const list = apiResourceList(group, version);
    if (!list) return notFound(reply);
    return send(request, reply, cached(`apis/${group}/${version}`, () => document(list)));
  });
}

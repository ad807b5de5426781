// The OpenAPI routes. Only JSON is served: a client that accepts only protobuf (kubectl's v2 request)
// gets 406, which client-go treats as "no OpenAPI v2" rather than as a broken server.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../../api/errors.js';
import { type CachedDocument, openApiV2Document, openApiV3Document, openApiV3Root } from './documents.js';

function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = (part.split(';')[0] ?? '').trim().toLowerCase();
    return type === 'application/json' || type === 'application/*' || type === '*/*';
  });
}

function notAcceptable(reply: FastifyReply, accept: string): FastifyReply {
  const status = new ApiError(406, 'NotAcceptable', `only the following media types are accepted: application/json (asked for ${accept})`).toStatus();
  return reply.code(406).type('application/json').send(JSON.stringify(status));
}

function notFound(reply: FastifyReply): FastifyReply {
  const status = new ApiError(404, 'NotFound', 'the server could not find the requested resource').toStatus();
  return reply.code(404).type('application/json').send(JSON.stringify(status));
}

function send(request: FastifyRequest, reply: FastifyReply, doc: CachedDocument, immutable: boolean): FastifyReply {
  const accept = request.headers.accept;
  if (!acceptsJson(accept)) return notAcceptable(reply, accept ?? '');
  // A request naming the current hash may be cached for ever: the URL changes when the document does.
  const hash = (request.query as Record<string, unknown> | undefined)?.hash;
  const cacheControl = immutable && hash === doc.hash ? 'public, immutable, max-age=31536000' : 'no-cache, private';
  const etag = `"${doc.hash}"`;
  reply.header('etag', etag).header('cache-control', cacheControl).header('vary', 'Accept').type('application/json');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.send(doc.body);
}

export function registerOpenApiRoutes(app: FastifyInstance): void {
  app.get('/openapi/v2', async (request, reply) => send(request, reply, openApiV2Document(), false));
  app.get('/openapi/v3', async (request, reply) => send(request, reply, openApiV3Root(), false));
  app.get('/openapi/v3/*', async (request, reply) => {
    const key = (request.params as { '*': string })['*'].replace(/\/+$/, '');
    const doc = openApiV3Document(key);
    if (!doc) return notFound(reply);
    return send(request, reply, doc, true);
  });
}

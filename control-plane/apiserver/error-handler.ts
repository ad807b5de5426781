// The one place errors become HTTP answers: typed ApiErrors → their Status; fastify's own request
// errors (body too large, bad content length, ...) → the matching 4xx Status; anything else is a bug
// → logged with the request and answered 500 InternalError.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiError,
  BadRequestError,
  InternalError,
  NotFoundError,
  RequestEntityTooLargeError,
  UnsupportedMediaTypeError,
  isApiError,
} from '../../api/errors.js';
import { parseResourcePath } from './request-info.js';

function fromFastify(err: FastifyError, request: FastifyRequest): ApiError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RequestEntityTooLargeError('the request body is larger than 3 MiB');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError(String(request.headers['content-type'] ?? ''));
  }
  const status = err.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    if (status === 413) return new RequestEntityTooLargeError();
    if (status === 415) return new UnsupportedMediaTypeError(String(request.headers['content-type'] ?? ''));
    return status === 400 ? new BadRequestError(err.message) : new ApiError(status, 'BadRequest', err.message);
  }
  return undefined;
}

/** namespace/name/resource of a resource URL, for error logs; empty for other paths. */
function subjectOfUrl(url: string): Record<string, string> {
  try {
    const info = parseResourcePath(url);
    return {
      resource: info.resource.plural,
      ...(info.namespace !== undefined || info.name !== undefined ? { object: [info.namespace, info.name].filter((p) => p !== undefined).join('/') } : {}),
    };
  } catch {
    return {};
  }
}

export function sendStatus(reply: FastifyReply, err: ApiError): void {
  if (reply.sent || reply.raw.headersSent) return;
  reply.code(err.code).type('application/json').send(JSON.stringify(err.toStatus()));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const known = isApiError(err) ? err : fromFastify(err, request);
    if (known && known.code < 500) return sendStatus(reply, known);
    if (known) {
      request.log.error({ err, method: request.method, url: request.url, ...subjectOfUrl(request.url) }, 'request failed');
      return sendStatus(reply, known);
    }
    request.log.error({ err, method: request.method, url: request.url, ...subjectOfUrl(request.url) }, 'internal error');
    sendStatus(reply, new InternalError(err instanceof Error ? err.message : String(err)));
  });
  app.setNotFoundHandler((_request, reply) => {
    sendStatus(reply, new NotFoundError({}, 'the server could not find the requested resource'));
  });
}

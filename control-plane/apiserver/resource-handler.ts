// The one handler behind every /api/v1/... and /apis/<group>/<version>/... resource path: resolves
// what the path names, picks the verb, authorizes it, and dispatches to the verb's implementation.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, InvalidError, MethodNotAllowedError, NotFoundError, UnsupportedMediaTypeError } from '../../api/errors.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/object.js';
import { bindPod } from './binding.js';
import { asObjectBody, decodeBody, jsonTypes, mediaType, patchTypes, protobufTypes, rawBody, yamlTypes } from './body.js';
import { createObject } from './create.js';
import { deleteCollection, deleteObject, parseDeleteOptions } from './deletion.js';
import { fromStorageShape } from './event-conversion.js';
import { listObjects } from './list.js';
import { negotiate, renderList, renderObject, serialize, watchTransform, type Negotiated } from './negotiation.js';
import { objectFilter } from './object-filter.js';
import { parseResourcePath, type ResourceRequest } from './request-info.js';
import { booleanParam, flattenQuery, integerParam, writeOptions, type Query } from './request-options.js';
import { checkFields } from './field-check.js';
import { applyPatch } from './patch/apply-patch.js';
import { checkTypeMeta, getOrNotFound, subjectOf, type ResourceContext, type WriteOptions } from './resource-context.js';
import { getScale, writeScale } from './scale.js';
import type { Authorizer, UserInfo } from './security.js';
import { csrApprovalUpdate, csrStatusUpdate, isCsrResource } from './strategies.js';
import { guaranteedUpdate, patchObject, updateObject, type UpdateMode } from './update.js';
import { serveWatch } from './watch-stream.js';
import type { WatchCacheSet } from './watch-cache.js';

export interface ResourceHandlerDeps {
  ctx: ResourceContext;
  caches: WatchCacheSet;
  authorizer: Authorizer;
  bookmarkIntervalMs: number;
}

type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** Subresources this handler serves; log, exec, attach, portforward, proxy and eviction arrive with later issues. */
const servedSubresources = new Set(['status', 'scale', 'binding', 'finalize', 'approval']);

function verbOf(info: ResourceRequest, method: string, q: Query): Verb {
  const sub = info.subresource;
  if (sub !== undefined && !servedSubresources.has(sub)) {
    throw new NotFoundError({}, `the server could not find the requested resource (${info.resource.plural}/${sub} is not served yet)`);
  }
  const watching = info.watchPath || booleanParam(q, 'watch');
  switch (method) {
    case 'GET':
      if (sub === 'binding' || sub === 'finalize') break;
      if (sub) return 'get';
      if (watching) return 'watch';
      return info.name !== undefined ? 'get' : 'list';
    case 'POST':
      if (info.watchPath) break;
      if (info.name === undefined && !sub) return 'create';
      if (sub === 'binding') return 'create';
      break;
    case 'PUT':
      if (info.watchPath || info.name === undefined || sub === 'binding') break;
      return 'update';
    case 'PATCH':
      if (info.watchPath || info.name === undefined || sub === 'binding' || sub === 'finalize') break;
      return 'patch';
    case 'DELETE':
      if (info.watchPath || sub) break;
      if (info.name !== undefined) return 'delete';
      if (info.resource.verbs.includes('deletecollection')) return 'deletecollection';
      break;
  }
  throw new MethodNotAllowedError();
}

function objectBody(request: FastifyRequest): KubeObject {
  const type = mediaType(request.headers['content-type']);
  if (!jsonTypes.includes(type) && !yamlTypes.includes(type) && !protobufTypes.includes(type)) throw new UnsupportedMediaTypeError(type);
  return asObjectBody(decodeBody(rawBody(request.body), type));
}

function send(reply: FastifyReply, code: number, body: unknown, n: Negotiated, options?: WriteOptions): void {
  if (options && options.warnings.length > 0) {
    reply.header('Warning', options.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', '));
  }
  reply.code(code).type('application/json').send(serialize(body, n.pretty));
}

export async function handleResourceRequest(deps: ResourceHandlerDeps, request: FastifyRequest, reply: FastifyReply, user: UserInfo): Promise<void> {
  const info = parseResourcePath(request.url);
  const q = flattenQuery(request.query);
  const verb = verbOf(info, request.method, q);
  const r = info.resource;
  const { ctx } = deps;
  await deps.authorizer.authorize({
    user,
    verb,
    resource: r.plural,
    apiGroup: r.group,
    ...(info.namespace !== undefined ? { namespace: info.namespace } : {}),
    ...(info.name !== undefined ? { name: info.name } : {}),
    ...(info.subresource !== undefined ? { subresource: info.subresource } : {}),
  });
  const n = negotiate(request.headers.accept, q);
  const ns = info.namespace;
  const name = info.name ?? '';
  const sub = info.subresource;

  if (verb === 'get') {
    if (sub === 'scale') return send(reply, 200, await getScale(ctx, r, ns, name), { ...n, form: 'object' });
    const obj = (await getOrNotFound(ctx, r, ns, name)).object;
    return send(reply, 200, renderObject(r, fromStorageShape(r, obj), n), n);
  }
  if (verb === 'list' || verb === 'deletecollection') {
    const filter = objectFilter(r, q.labelSelector, q.fieldSelector);
    const list = await listObjects(ctx, r, {
      ...(ns !== undefined ? { namespace: ns } : {}),
      ...(filter ? { filter } : {}),
      ...(verb === 'list' ? { limit: integerParam(q, 'limit') ?? 0 } : {}),
      ...(verb === 'list' && q.continue ? { continueToken: q.continue } : {}),
      ...(verb === 'list' && q.resourceVersion !== undefined ? { resourceVersion: q.resourceVersion } : {}),
      ...(verb === 'list' && q.resourceVersionMatch !== undefined ? { resourceVersionMatch: q.resourceVersionMatch } : {}),
    });
    if (verb === 'list') return send(reply, 200, renderList(r, list, n), n);
    const options = parseDeleteOptions(optionalJson(request), q, writeOptions(q).dryRun);
    list.items = await deleteCollection(ctx, r, ns, list.items, options);
    return send(reply, 200, list, n);
  }
  if (verb === 'watch') {
    const filter = objectFilter(r, q.labelSelector, q.fieldSelector);
    const timeoutSeconds = integerParam(q, 'timeoutSeconds');
    const transform = watchTransform(r, n);
    const deps2 = { store: ctx.store, caches: deps.caches, logger: ctx.logger, bookmarkIntervalMs: deps.bookmarkIntervalMs, hijack: () => reply.hijack() };
    await serveWatch(deps2, request.raw, reply.raw, {
      resource: r,
      ...(ns !== undefined ? { namespace: ns } : {}),
      ...(info.name !== undefined ? { name: info.name } : {}),
      ...(filter ? { filter } : {}),
      ...(q.resourceVersion !== undefined ? { resourceVersion: q.resourceVersion } : {}),
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      allowBookmarks: booleanParam(q, 'allowWatchBookmarks'),
      sendInitialEvents: booleanParam(q, 'sendInitialEvents'),
      ...(transform ? { transform } : {}),
      pretty: n.pretty,
    });
    return;
  }
  const options: WriteOptions = { ...writeOptions(q), requester: user };
  if (verb === 'create') {
    const body = objectBody(request);
    if (sub === 'binding') return send(reply, 201, await bindPod(ctx, r, ns, name, body, options), n, options);
    return send(reply, 201, renderObject(r, await createObject(ctx, r, ns, body, options), n), n, options);
  }
  if (verb === 'update') {
    const body = objectBody(request);
    if (sub === 'scale') return send(reply, 200, await writeScale(ctx, r, ns, name, { body }, options), n, options);
    if (csrSubresource(r, sub)) return send(reply, 200, renderObject(r, await writeCsrSubresource(ctx, r, name, sub, { body }, options), n), n, options);
    const mode: UpdateMode = sub === 'status' ? 'status' : sub === 'finalize' ? 'finalize' : 'main';
    const { object, created } = await updateObject(ctx, r, ns, name, body, mode, options);
    return send(reply, created ? 201 : 200, renderObject(r, object, n), n, options);
  }
  if (verb === 'patch') {
    const type = mediaType(request.headers['content-type']);
    if (!patchTypes.includes(type)) throw new UnsupportedMediaTypeError(type);
    const patch = decodeBody(rawBody(request.body), type);
    if (sub === 'scale') return send(reply, 200, await writeScale(ctx, r, ns, name, { patch, mediaType: type }, options), n, options);
    if (csrSubresource(r, sub)) {
      return send(reply, 200, renderObject(r, await writeCsrSubresource(ctx, r, name, sub, { patch, mediaType: type }, options), n), n, options);
    }
    const mode: UpdateMode = sub === 'status' ? 'status' : 'main';
    const { object, created } = await patchObject(ctx, r, ns, name, patch, type, mode, options);
    return send(reply, created ? 201 : 200, renderObject(r, object, n), n, options);
  }
  // delete
  const deleteOptions = parseDeleteOptions(optionalJson(request), q, options.dryRun);
  return send(reply, 200, renderObject(r, await deleteObject(ctx, r, ns, name, deleteOptions), n), n);
}

function csrSubresource(r: ResourceInfo, sub: string | undefined): sub is 'status' | 'approval' {
  return isCsrResource(r) && (sub === 'status' || sub === 'approval');
}

/**
 * PUT/PATCH of a CertificateSigningRequest's `status` (signers: the certificate, Failed) or `approval`
 * (approvers: Approved/Denied), each with upstream's own strategy over the one status write.
 */
async function writeCsrSubresource(
  ctx: ResourceContext,
  r: ResourceInfo,
  name: string,
  sub: 'status' | 'approval',
  input: { body: KubeObject } | { patch: unknown; mediaType: string },
  options: WriteOptions,
): Promise<KubeObject> {
  const body = 'body' in input ? input.body : undefined;
  if (body) {
    checkTypeMeta(r, body);
    if (body.metadata.name !== name) throw new BadRequestError(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    checkFields(r, body, options);
  }
  const produce = (current: KubeObject): KubeObject => {
    let wanted: KubeObject;
    if (body) wanted = structuredClone(body);
    else {
      const { patch, mediaType } = input as { patch: unknown; mediaType: string };
      wanted = applyPatch(r, current, patch, mediaType);
      checkTypeMeta(r, wanted);
      checkFields(r, wanted, options, 'patch');
    }
    if (sub === 'approval') return csrApprovalUpdate(wanted, current);
    const { object, errors } = csrStatusUpdate(wanted, current);
    if (errors.length > 0) throw new InvalidError({ ...subjectOf(r, name), kind: r.kind }, errors);
    return object;
  };
  const pinned = !!body?.metadata.resourceVersion;
  return guaranteedUpdate(ctx, r, undefined, name, 'status', options, produce, pinned);
}

/** DeleteOptions bodies are optional; when present they must be JSON or YAML. */
function optionalJson(request: FastifyRequest): unknown {
  const raw = rawBody(request.body);
  if (raw.toString('utf8').trim() === '') return undefined;
  const type = mediaType(request.headers['content-type']);
  if (type !== '' && !jsonTypes.includes(type) && !yamlTypes.includes(type)) throw new UnsupportedMediaTypeError(type);
  const body = decodeBody(raw, type || 'application/json');
  if (body !== null && (typeof body !== 'object' || Array.isArray(body))) throw new BadRequestError('DeleteOptions must be an object');
  return body;
}

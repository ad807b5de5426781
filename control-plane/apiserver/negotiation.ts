// Response forms a client may ask for with Accept: plain JSON (protobuf is never served; clients that
// list JSON after protobuf get JSON), the meta.k8s.io Table `kubectl get` asks for, and
// PartialObjectMetadata(List) for metadata-only clients. `?pretty` indents.
import type { KubeList, KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { toTable, type IncludeObject } from './table/index.js';

export type ResponseForm = 'object' | 'table' | 'metadata';

export interface Negotiated {
  form: ResponseForm;
  includeObject?: IncludeObject;
  pretty: boolean;
}

function acceptedForms(accept: string): ResponseForm[] {
  return accept.split(',').map((part) => {
    const params = part.toLowerCase().replace(/\s+/g, '');
    if (params.includes('as=table')) return 'table';
    if (params.includes('as=partialobjectmetadata')) return 'metadata';
    return 'object';
  });
}

export function negotiate(accept: string | undefined, query: Record<string, string | undefined>): Negotiated {
  const forms = acceptedForms(accept ?? '');
  // The first form the client lists that we serve; every form here is served, so the first one.
  const form = forms[0] ?? 'object';
  const include = query.includeObject;
  const pretty = query.pretty !== undefined && query.pretty !== 'false' && query.pretty !== '0';
  return {
    form,
    pretty,
    ...(include === 'None' || include === 'Metadata' || include === 'Object' ? { includeObject: include } : {}),
  };
}

function partial(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function renderObject(r: ResourceInfo, obj: KubeObject, n: Negotiated): unknown {
  if (n.form === 'table') return toTable(r, [obj], n.includeObject ? { includeObject: n.includeObject } : {});
  if (n.form === 'metadata') return partial(obj);
  return obj;
}

export function renderList(r: ResourceInfo, list: KubeList, n: Negotiated): unknown {
  if (n.form === 'table') {
    return toTable(r, list.items, { listMeta: list.metadata, ...(n.includeObject ? { includeObject: n.includeObject } : {}) });
  }
  if (n.form === 'metadata') {
    return { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: list.metadata, items: list.items.map(partial) };
  }
  return list;
}

/** Per-event object transform for watches; a Table watch sends column definitions only once. */
export function watchTransform(r: ResourceInfo, n: Negotiated): ((obj: KubeObject) => unknown) | undefined {
  if (n.form === 'object') return undefined;
  if (n.form === 'metadata') return partial;
  let first = true;
  return (obj) => {
    const table = toTable(r, [obj], n.includeObject ? { includeObject: n.includeObject } : {});
    if (!first) table.columnDefinitions = [];
    first = false;
    return table;
  };
}

export function serialize(body: unknown, pretty: boolean): string {
  return pretty ? `${JSON.stringify(body, null, 2)}\n` : JSON.stringify(body);
}

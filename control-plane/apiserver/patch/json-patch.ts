// JSON Patch (RFC 6902) with JSON Pointers (RFC 6901). Operations apply in order to a copy; the first
// failing operation (including a failed `test`) rejects the whole patch, as the RFC requires.
import { ApiError, BadRequestError } from '../../../api/errors.js';
import { isRecord } from '../body.js';

type Container = Record<string, unknown> | unknown[];

/** A patch that is well-formed but cannot apply to this object: upstream answers 422. */
export class PatchApplyError extends ApiError {
  constructor(message: string) {
    super(422, 'Invalid', message);
  }
}

function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string') throw new BadRequestError('json patch: "path" must be a string');
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new BadRequestError(`json patch: invalid pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (forAdd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchApplyError(`json patch: invalid array index "${token}"`);
  const i = Number(token);
  if (i > length || (!forAdd && i === length)) throw new PatchApplyError(`json patch: array index ${i} out of range`);
  return i;
}

function child(container: Container, token: string): unknown {
  if (Array.isArray(container)) return container[arrayIndex(token, container.length, false)];
  if (!Object.prototype.hasOwnProperty.call(container, token)) return undefined;
  return container[token];
}

/** The container holding the pointer's last token; throws when a step is missing. */
function parentOf(doc: unknown, tokens: string[], pointer: string): Container {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (!isRecord(node) && !Array.isArray(node)) throw new PatchApplyError(`json patch: path "${pointer}" does not exist`);
    node = child(node, token);
  }
  if (!isRecord(node) && !Array.isArray(node)) throw new PatchApplyError(`json patch: path "${pointer}" does not exist`);
  return node;
}

function getAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const value = child(parentOf(doc, tokens, pointer), tokens[tokens.length - 1] ?? '');
  if (value === undefined) throw new PatchApplyError(`json patch: path "${pointer}" does not exist`);
  return value;
}

function addAt(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, pointer);
  const last = tokens[tokens.length - 1] ?? '';
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else parent[last] = value;
  return doc;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new PatchApplyError('json patch: cannot remove the whole document');
  const parent = parentOf(doc, tokens, pointer);
  const last = tokens[tokens.length - 1] ?? '';
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false), 1);
  else if (!Object.prototype.hasOwnProperty.call(parent, last)) throw new PatchApplyError(`json patch: path "${pointer}" does not exist`);
  else delete parent[last];
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Applies an RFC 6902 patch document to a copy of `target`. */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw new BadRequestError('json patch: the patch must be a JSON array of operations');
  let doc = structuredClone(target);
  for (const operation of patch) {
    if (!isRecord(operation)) throw new BadRequestError('json patch: every operation must be an object');
    const { op, path } = operation;
    const needValue = (): unknown => {
      if (!('value' in operation)) throw new BadRequestError(`json patch: "${String(op)}" needs a "value"`);
      return structuredClone(operation.value);
    };
    const from = (): string => {
      if (typeof operation.from !== 'string') throw new BadRequestError(`json patch: "${String(op)}" needs a "from"`);
      return operation.from;
    };
    switch (op) {
      case 'add':
        doc = addAt(doc, path as string, needValue());
        break;
      case 'remove':
        doc = removeAt(doc, path as string);
        break;
      case 'replace': {
        const value = needValue();
        getAt(doc, path as string);
        doc = parsePointer(path).length === 0 ? value : addAt(removeAt(doc, path as string), path as string, value);
        break;
      }
      case 'move': {
        const source = from();
        if (typeof path === 'string' && path.startsWith(`${source}/`)) throw new PatchApplyError('json patch: cannot move a value into itself');
        const value = getAt(doc, source);
        doc = addAt(removeAt(doc, source), path as string, value);
        break;
      }
      case 'copy':
        doc = addAt(doc, path as string, structuredClone(getAt(doc, from())));
        break;
      case 'test':
        if (!deepEqual(getAt(doc, path as string), needValue())) {
          throw new PatchApplyError(`json patch: test operation for path "${String(path)}" failed`);
        }
        break;
      default:
        throw new BadRequestError(`json patch: unsupported operation "${String(op)}"`);
    }
  }
  return doc;
}

export { deepEqual };

// The `continue` token of a paged list: opaque to clients, but for us base64 of the list's snapshot
// revision and the last key returned, so the next page reads the same snapshot after that key
// (as upstream's etcd3 storage encodes it).
import { BadRequestError } from '../../api/errors.js';

export interface ContinuePosition {
  /** The revision every page of the list is read at. */
  revision: number;
  /** The last key already returned; the next page starts after it. */
  lastKey: string;
}

const tokenVersion = 'meta.k8s.io/v1';

export function encodeContinue(position: ContinuePosition): string {
  const json = JSON.stringify({ v: tokenVersion, rv: position.revision, start: position.lastKey });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Decodes a token and checks it points inside `prefix`, so a forged token cannot read other collections. */
export function decodeContinue(token: string, prefix: string): ContinuePosition {
  const invalid = (why: string): BadRequestError => new BadRequestError(`continue key is not valid: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a continue token');
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('not a continue token');
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== tokenVersion) throw invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0) throw invalid('incorrect encoded start resourceVersion');
  if (typeof start !== 'string' || !start.startsWith(prefix)) throw invalid('key is outside the requested collection');
  return { revision: rv, lastKey: start };
}

// Query parameters shared by several verbs, read once and checked: a bad value is a 400, never a crash.
import { BadRequestError } from '../../api/errors.js';
import type { FieldValidation, WriteOptions } from './resource-context.js';

export type Query = Record<string, string | undefined>;

/** Fastify's parsed query (values may repeat) → first value per key. */
export function flattenQuery(raw: unknown): Query {
  const out: Query = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

export function booleanParam(q: Query, name: string): boolean {
  const v = q[name];
  if (v === undefined) return false;
  if (v === '' || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new BadRequestError(`invalid value for ${name}: "${v}"`);
}

export function integerParam(q: Query, name: string, min = 0): number | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (!/^-?[0-9]+$/.test(v)) throw new BadRequestError(`invalid value for ${name}: "${v}"`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new BadRequestError(`invalid value for ${name}: "${v}"`);
  return n;
}

export function writeOptions(q: Query): WriteOptions {
  const dryRun = q.dryRun;
  if (dryRun !== undefined && dryRun !== 'All' && dryRun !== '') throw new BadRequestError(`Invalid dryRun value: "${dryRun}"; only "All" is supported`);
  const fv = q.fieldValidation || 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw new BadRequestError(`invalid fieldValidation directive "${fv}": want Ignore, Warn or Strict`);
  }
  return { dryRun: dryRun === 'All', fieldValidation: fv as FieldValidation, warnings: [] };
}

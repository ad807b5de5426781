// Field selectors (k8s.io/apimachinery/pkg/fields): `metadata.name=x,status.phase!=Running`. Terms are
// split on unescaped commas; each term on its first `!=`, `==` or `=`; values may escape `\`, `,`, `=`.
import { BadRequestError } from '../errors.js';
import type { KubeObject } from '../object.js';
import type { ResourceInfo } from '../resources.js';
import { fieldGetter, type FieldGetter } from './supported-fields.js';

export type FieldOperator = '=' | '==' | '!=';

/** One `field op value` term; `value` is unescaped. */
export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  value: string;
}

/** A parsed, resource-checked field selector. */
export interface FieldSelector {
  /** The terms, in input order; every one must hold. */
  readonly requirements: readonly FieldRequirement[];
  matches(obj: KubeObject): boolean;
  /** No terms: selects everything. */
  isEmpty(): boolean;
  /** The value an equality term requires for `field` (e.g. spec.nodeName), if there is one. */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (escaped) {
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

function splitTerm(term: string): [string, FieldOperator, string] | undefined {
  let escaped = false;
  for (let i = 0; i < term.length; i++) {
    if (escaped) {
      escaped = false;
      continue;
    }
    if (term[i] === '\\') {
      escaped = true;
      continue;
    }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeValue(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = value[i + 1];
    if (next === undefined) throw new Error(`invalid field selector: unterminated escape sequence: ${value}`);
    if (next !== '\\' && next !== ',' && next !== '=') throw new Error(`invalid field selector: invalid escape sequence: \\${next}`);
    out += next;
    i++;
  }
  return out;
}

function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

/** Parses the syntax only, without checking fields against a resource. Throws Error on bad syntax. */
export function parseFieldRequirements(text: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(text)) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw new Error(`invalid selector: '${text}'; can't understand '${part}'`);
    const [field, operator, raw] = split;
    reqs.push({ field, operator, value: unescapeValue(raw) });
  }
  return reqs;
}

class ParsedFieldSelector implements FieldSelector {
  constructor(
    readonly requirements: readonly FieldRequirement[],
    private readonly getters: readonly FieldGetter[],
  ) {}

  matches(obj: KubeObject): boolean {
    return this.requirements.every((r, i) => {
      const getter = this.getters[i];
      const actual = getter ? getter(obj) : '';
      return r.operator === '!=' ? actual !== r.value : actual === r.value;
    });
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
}

/**
 * Parses `?fieldSelector=` for one resource. Throws BadRequestError on bad syntax, and with upstream's
 * `field label not supported: <field>` for a field the resource does not allow.
 */
export function parseFieldSelector(text: string, resource: Pick<ResourceInfo, 'group' | 'plural'>): FieldSelector {
  let reqs: FieldRequirement[];
  try {
    reqs = parseFieldRequirements(text);
  } catch (e) {
    throw new BadRequestError(e instanceof Error ? e.message : String(e));
  }
  const getters = reqs.map((r) => {
    const getter = fieldGetter(resource, r.field);
    if (!getter) throw new BadRequestError(`field label not supported: ${r.field}`);
    return getter;
  });
  return new ParsedFieldSelector(reqs, getters);
}

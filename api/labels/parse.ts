// The query-string grammar of label selectors, as upstream's labels.Parse lexes and parses it:
//   selector    = requirement (',' requirement)*
//   requirement = ['!'] key | key op value | key ('in'|'notin') '(' values ')'
//   op          = '=' | '==' | '!=' | '>' | '<'
// Error texts are upstream's, so kubectl users see the familiar messages.
import { BadRequestError } from '../errors.js';
import { newSelector, validateRequirement, type Requirement, type Selector, type SelectorOperator } from './selector.js';

type TokenKind =
  | 'identifier'
  | 'end'
  | 'comma'
  | 'open'
  | 'close'
  | 'not'
  | 'eq'
  | 'deq'
  | 'neq'
  | 'gt'
  | 'lt'
  | 'in'
  | 'notin'
  | 'error';

interface Token {
  kind: TokenKind;
  literal: string;
}

const symbols: ReadonlyArray<[string, TokenKind]> = [
  ['==', 'deq'],
  ['!=', 'neq'],
  ['=', 'eq'],
  ['!', 'not'],
  ['(', 'open'],
  [')', 'close'],
  [',', 'comma'],
  ['>', 'gt'],
  ['<', 'lt'],
];

function isSpecial(ch: string): boolean {
  return '=!(),><'.includes(ch);
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (isWhitespace(ch)) {
      i++;
      continue;
    }
    if (isSpecial(ch)) {
      const sym = symbols.find(([text]) => input.startsWith(text, i));
      if (!sym) {
        tokens.push({ kind: 'error', literal: ch });
        i++;
        continue;
      }
      tokens.push({ kind: sym[1], literal: sym[0] });
      i += sym[0].length;
      continue;
    }
    let j = i;
    while (j < input.length && !isWhitespace(input[j] ?? '') && !isSpecial(input[j] ?? '')) j++;
    const word = input.slice(i, j);
    tokens.push({ kind: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'identifier', literal: word });
    i = j;
  }
  tokens.push({ kind: 'end', literal: '' });
  return tokens;
}

/** Where `in`/`notin` are keywords (after a key) or plain identifiers (as values). */
type Context = 'keyAndOperator' | 'values';

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(ctx: Context): Token {
    const t = this.tokens[this.pos] ?? { kind: 'end', literal: '' };
    if (ctx === 'values' && (t.kind === 'in' || t.kind === 'notin')) return { kind: 'identifier', literal: t.literal };
    return t;
  }

  private next(ctx: Context): Token {
    const t = this.peek(ctx);
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.peek('values');
      if (t.kind === 'end') return reqs;
      if (t.kind !== 'identifier' && t.kind !== 'not') {
        throw new Error(`found '${t.literal}', expected: !, identifier, or 'end of string'`);
      }
      let r: Requirement;
      try {
        r = this.parseRequirement();
      } catch (e) {
        throw new Error(`unable to parse requirement: ${e instanceof Error ? e.message : String(e)}`);
      }
      reqs.push(r);
      const sep = this.next('values');
      if (sep.kind === 'end') return reqs;
      if (sep.kind !== 'comma') throw new Error(`found '${sep.literal}', expected: ',' or 'end of string'`);
      const after = this.peek('values');
      if (after.kind !== 'identifier' && after.kind !== 'not') {
        throw new Error(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    let t = this.next('values');
    let negated = false;
    if (t.kind === 'not') {
      negated = true;
      t = this.next('values');
    }
    if (t.kind !== 'identifier') throw new Error(`found '${t.literal}', expected: identifier`);
    const key = t.literal;
    const ahead = this.peek('values').kind;
    if (negated || ahead === 'end' || ahead === 'comma') {
      const r: Requirement = { key, operator: negated ? '!' : 'exists', values: [] };
      validateRequirement(r);
      return r;
    }
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    const r: Requirement = { key, operator, values };
    validateRequirement(r);
    return r;
  }

  private parseOperator(): SelectorOperator {
    const t = this.next('keyAndOperator');
    switch (t.kind) {
      case 'in':
        return 'in';
      case 'notin':
        return 'notin';
      case 'eq':
        return '=';
      case 'deq':
        return '==';
      case 'neq':
        return '!=';
      case 'gt':
        return 'gt';
      case 'lt':
        return 'lt';
      default:
        throw new Error(`found '${t.literal}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private parseValues(): string[] {
    const open = this.next('values');
    if (open.kind !== 'open') throw new Error(`found '${open.literal}' expected: '('`);
    const t = this.peek('values');
    if (t.kind === 'close') {
      this.next('values');
      return [''];
    }
    if (t.kind !== 'identifier' && t.kind !== 'comma') throw new Error(`found '${t.literal}', expected: ',', ')' or identifier`);
    const values = this.parseIdentifiersList();
    const close = this.next('values');
    if (close.kind !== 'close') throw new Error(`found '${close.literal}', expected: ')'`);
    return [...new Set(values)].sort();
  }

  // `a,,b` and `,a` contribute empty strings, as upstream's parseIdentifiersList does.
  private parseIdentifiersList(): string[] {
    const values: string[] = [];
    for (;;) {
      const t = this.next('values');
      if (t.kind === 'identifier') {
        values.push(t.literal);
        const n = this.peek('values');
        if (n.kind === 'close') return values;
        if (n.kind !== 'comma') throw new Error(`found '${n.literal}', expected: ',' or ')'`);
        continue;
      }
      if (t.kind === 'comma') {
        if (values.length === 0) values.push('');
        const n = this.peek('values');
        if (n.kind === 'close') {
          values.push('');
          return values;
        }
        if (n.kind === 'comma') values.push('');
        continue;
      }
      throw new Error(`found '${t.literal}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): string[] {
    const ahead = this.peek('values');
    if (ahead.kind === 'end' || ahead.kind === 'comma') return [''];
    const t = this.next('values');
    if (t.kind === 'identifier') return [t.literal];
    throw new Error(`found '${t.literal}', expected: identifier`);
  }
}

/**
 * Parses the query-string form of a label selector (`?labelSelector=`). '' selects everything.
 * Throws BadRequestError with upstream's parser message on bad syntax or invalid keys/values.
 */
export function parseLabelSelector(text: string): Selector {
  try {
    return newSelector(new Parser(lex(text)).parse());
  } catch (e) {
    throw new BadRequestError(e instanceof Error ? e.message : String(e));
  }
}

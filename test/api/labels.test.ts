import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../api/errors.js';
import {
  everything,
  labelSelectorFromSpec,
  nothing,
  parseLabelSelector,
  selectorFromSet,
  selectorToSpec,
} from '../../api/labels/index.js';

describe('parseLabelSelector', () => {
  it.each([
    ['a=b,c!=d,e in (x,y),f notin (z),g,!h', 'a=b,c!=d,e in (x,y),f notin (z),g,!h'],
    ['a==b', 'a==b'],
    ['', ''],
    ['  app = web ', 'app=web'],
    ['z=1,a=2', 'a=2,z=1'],
    ['env in (prod, dev, prod)', 'env in (dev,prod)'],
    ['x in ()', 'x in ()'],
    ['a=', 'a='],
    ['example.com/tier=front', 'example.com/tier=front'],
    ['in=notin', 'in=notin'],
    ['a notin (in,notin)', 'a notin (in,notin)'],
    ['n>3', 'n>3'],
    ['!a,b', '!a,b'],
  ])('parses %j canonically as %j', (text, canonical) => {
    expect(parseLabelSelector(text).toString()).toBe(canonical);
  });

  it.each([
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b=c', "found '=', expected: ',' or 'end of string'"],
    ['(a)', "found '(', expected: !, identifier, or 'end of string'"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['n>x', "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"],
  ])('rejects %j with upstream text', (text, message) => {
    let caught: unknown;
    try {
      parseLabelSelector(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    expect((caught as BadRequestError).message).toBe(message);
    expect((caught as BadRequestError).code).toBe(400);
  });

  it.each([
    ['A_b.c/x=y', /prefix part a lowercase RFC 1123 subdomain/],
    ['a/b/c=d', /a qualified name must consist of/],
    ['k=-x-', /values\[0\]: Invalid value: "-x-": a valid label must be an empty string/],
    [`${'k'.repeat(64)}=v`, /name part must be no more than 63 characters/],
  ])('rejects invalid key or value in %j', (text, pattern) => {
    expect(() => parseLabelSelector(text)).toThrow(pattern);
  });
});

describe('Selector.matches', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=back', false],
    ['n>3', true],
    ['n<3', false],
    ['missing>1', false],
  ])('%j matches %j: %s', (text, want) => {
    expect(parseLabelSelector(text).matches(labels)).toBe(want);
  });

  it('treats absent labels as the empty set', () => {
    expect(parseLabelSelector('!a').matches(undefined)).toBe(true);
    expect(parseLabelSelector('a').matches(undefined)).toBe(false);
  });

  it('reports emptiness', () => {
    expect(parseLabelSelector('').isEmpty()).toBe(true);
    expect(parseLabelSelector('a').isEmpty()).toBe(false);
    expect(everything().isEmpty()).toBe(true);
  });

  it('exposes exact-match values', () => {
    const sel = parseLabelSelector('app=web,tier in (a,b)');
    expect(sel.requiresExactMatch('app')).toBe('web');
    expect(sel.requiresExactMatch('tier')).toBeUndefined();
  });
});

describe('labelSelectorFromSpec', () => {
  it.each([
    [{ matchLabels: { app: 'web' } }, 'app=web', true],
    [{ matchLabels: { app: 'db' } }, 'app=db', false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['front', 'back'] }] }, 'tier in (back,front)', true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn' as const, values: ['front'] }] }, 'tier notin (front)', false],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' as const }] }, 'app', true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' as const }] }, '!app', false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'gone', operator: 'DoesNotExist' as const }] }, 'app=web,!gone', true],
    [{}, '', true],
  ])('builds %j as %j (matches web/front: %s)', (spec, text, want) => {
    const sel = labelSelectorFromSpec(spec);
    expect(sel.toString()).toBe(text);
    expect(sel.matches({ app: 'web', tier: 'front' })).toBe(want);
  });

  it('selects nothing for an absent selector, as upstream does for nil', () => {
    expect(labelSelectorFromSpec(undefined).matches({})).toBe(false);
    expect(nothing().matches({ a: 'b' })).toBe(false);
  });

  it('rejects an unknown operator and an empty In', () => {
    expect(() => labelSelectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'Gt' as never, values: ['1'] }] })).toThrow(
      /"Gt" is not a valid label selector operator/,
    );
    expect(() => labelSelectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(BadRequestError);
  });

  it('round-trips through the object form', () => {
    const sel = parseLabelSelector('app=web,tier in (a,b),!x,y');
    expect(labelSelectorFromSpec(selectorToSpec(sel)).toString()).toBe(sel.toString());
    expect(selectorFromSet({ b: '2', a: '1' }).toString()).toBe('a=1,b=2');
  });
});

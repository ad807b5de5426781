import { describe, expect, it } from 'vitest';
import { parseQuantity, Quantity, QuantityParseError } from '../../api/quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['500m', '500m', 500, 1],
    ['1', '1', 1000, 1],
    ['1.5', '1500m', 1500, 2],
    ['0.1', '100m', 100, 1],
    ['1000m', '1', 1000, 1],
    ['128Mi', '128Mi', 134217728000, 134217728],
    ['1Gi', '1Gi', 1073741824000, 1073741824],
    ['1024Mi', '1Gi', 1073741824000, 1073741824],
    ['1.5Gi', '1536Mi', 1610612736000, 1610612736],
    ['512', '512', 512000, 512],
    ['100Ki', '100Ki', 102400000, 102400],
    ['2e3', '2e3', 2000000, 2000],
    ['1.5e3', '1500', 1500000, 1500],
    ['1k', '1k', 1000000, 1000],
    ['2000', '2k', 2000000, 2000],
    ['1500', '1500', 1500000, 1500],
    ['100M', '100M', 100000000000, 100000000],
    ['1n', '1n', 1, 1],
    ['-1', '-1', -1000, -1],
    ['0', '0', 0, 0],
    ['0Mi', '0', 0, 0],
    [1.5, '1500m', 1500, 2],
    [100, '100', 100000, 100],
  ])('parses %j to canonical %s (milli %d, value %d)', (input, canonical, milli, value) => {
    const q = parseQuantity(input);
    expect(q.toString()).toBe(canonical);
    expect(q.milliValue()).toBe(milli);
    expect(q.value()).toBe(value);
    expect(JSON.stringify({ q })).toBe(`{"q":"${canonical}"}`);
  });

  it('rounds fractions finer than a nano-unit up', () => {
    expect(parseQuantity('0.1n').toString()).toBe('1n');
  });

  it.each(['', 'abc', '1x', '1Mb', '.', '1..2', 'Mi', '1 ', ' 1', '1e', '--1'])('rejects %j', (input) => {
    expect(() => parseQuantity(input)).toThrow(QuantityParseError);
  });

  it('names the expected format in the error text', () => {
    expect(() => parseQuantity('abc')).toThrow(/quantities must match the regular expression/);
  });
});

describe('Quantity arithmetic', () => {
  it.each([
    ['100m', '200m', '300m'],
    ['1', '500m', '1500m'],
    ['1Gi', '512Mi', '1536Mi'],
    ['0', '1Gi', '1Gi'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(parseQuantity(a).add(parseQuantity(b)).toString()).toBe(sum);
  });

  it.each([
    ['1', '250m', '750m'],
    ['1Gi', '1Gi', '0'],
    ['100m', '200m', '-100m'],
  ])('%s - %s = %s', (a, b, diff) => {
    expect(parseQuantity(a).sub(parseQuantity(b)).toString()).toBe(diff);
  });

  it.each([
    ['1', '1000m', 0],
    ['1Gi', '1G', 1],
    ['999m', '1', -1],
    ['128Mi', '134217728', 0],
  ])('compares %s with %s as %d', (a, b, want) => {
    expect(parseQuantity(a).cmp(parseQuantity(b))).toBe(want);
  });

  it('builds from milli and whole values', () => {
    expect(Quantity.fromMilli(250).toString()).toBe('250m');
    expect(Quantity.fromValue(2 ** 30, 'BinarySI').toString()).toBe('1Gi');
    expect(parseQuantity(Quantity.fromMilli(1500)).milliValue()).toBe(1500);
  });
});

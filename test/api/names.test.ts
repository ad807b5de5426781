import { describe, expect, it } from 'vitest';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isIPv6,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
} from '../../api/names.js';

const cases: Array<[string, (v: string) => string[], string, boolean]> = [
  ['dns1123Label', isDNS1123Label, 'my-name', true],
  ['dns1123Label', isDNS1123Label, '123-abc', true],
  ['dns1123Label', isDNS1123Label, 'My-Name', false],
  ['dns1123Label', isDNS1123Label, 'a.b', false],
  ['dns1123Label', isDNS1123Label, '-a', false],
  ['dns1123Label', isDNS1123Label, 'a'.repeat(64), false],
  ['dns1123Subdomain', isDNS1123Subdomain, 'example.com', true],
  ['dns1123Subdomain', isDNS1123Subdomain, 'Foo_Bar', false],
  ['dns1123Subdomain', isDNS1123Subdomain, 'a..b', false],
  ['dns1123Subdomain', isDNS1123Subdomain, 'a'.repeat(254), false],
  ['dns1035Label', isDNS1035Label, 'web', true],
  ['dns1035Label', isDNS1035Label, '1web', false],
  ['qualifiedName', isQualifiedName, 'app', true],
  ['qualifiedName', isQualifiedName, 'example.com/MyName', true],
  ['qualifiedName', isQualifiedName, 'kubernetes.io/hostname', true],
  ['qualifiedName', isQualifiedName, '/a', false],
  ['qualifiedName', isQualifiedName, 'a/', false],
  ['qualifiedName', isQualifiedName, 'a/b/c', false],
  ['qualifiedName', isQualifiedName, 'Example.com/a', false],
  ['qualifiedName', isQualifiedName, '_a', false],
  ['labelValue', isValidLabelValue, '', true],
  ['labelValue', isValidLabelValue, 'v1.2_3-x', true],
  ['labelValue', isValidLabelValue, '-x', false],
  ['labelValue', isValidLabelValue, 'a b', false],
  ['portName', isValidPortName, 'http', true],
  ['portName', isValidPortName, '8080', false],
  ['portName', isValidPortName, 'a--b', false],
  ['portName', isValidPortName, 'abcdefghijklmnop', false],
  ['configMapKey', isConfigMapKey, 'app.properties', true],
  ['configMapKey', isConfigMapKey, '..data', false],
  ['configMapKey', isConfigMapKey, 'a/b', false],
  ['envVarName', isEnvVarName, 'MY_VAR', true],
  ['envVarName', isEnvVarName, '1VAR', false],
  ['ip', isValidIP, '10.0.0.1', true],
  ['ip', isValidIP, '2001:db8::ffff', true],
  ['ip', isValidIP, '::ffff:10.0.0.1', true],
  ['ip', isValidIP, '10.0.0.256', false],
  ['ip', isValidIP, '010.0.0.1', false],
  ['ip', isValidIP, '1::2::3', false],
  ['cidr', isValidCIDR, '10.244.0.0/16', true],
  ['cidr', isValidCIDR, 'fd00::/64', true],
  ['cidr', isValidCIDR, '10.0.0.0/33', false],
  ['cidr', isValidCIDR, '10.0.0.0', false],
];

describe('name validators', () => {
  it.each(cases)('%s(%j) valid=%s', (_name, fn, value, valid) => {
    expect(fn(value).length === 0).toBe(valid);
  });

  it('words the subdomain error as upstream does', () => {
    expect(isDNS1123Subdomain('Foo_Bar')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });

  it('words the label value error with upstream examples and spacing', () => {
    expect(isValidLabelValue('-x')[0]).toBe(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  });

  it('reports length and pattern separately for long labels', () => {
    expect(isDNS1123Label(`${'a'.repeat(63)}-`)).toHaveLength(2);
    expect(isDNS1123Label('a'.repeat(64))[0]).toBe('must be no more than 63 characters');
  });

  it('prefixes qualified-name parts', () => {
    expect(isQualifiedName('/a')[0]).toBe('prefix part must be non-empty');
    expect(isQualifiedName('a/')[0]).toBe('name part must be non-empty');
  });

  it('rejects scoped IPv6', () => {
    expect(isIPv6('fe80::1%eth0')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Secret } from '../../api/types/config.js';
import { bootstrapTokenSecret, caCertHash } from '../../pki/index.js';
import { joinCommand, parseTtlSeconds, tokenTable } from '../../control-plane/cmd/token.js';
import { makeCa } from './pki-fixtures.js';

describe('skiff token create --ttl', () => {
  const cases: Array<[string, number]> = [
    ['0', 0],
    ['24h', 86_400],
    ['30m', 1800],
    ['1h30m', 5400],
    ['90s', 90],
    ['1.5h', 5400],
    ['2h0m10s', 7210],
  ];
  it.each(cases)('reads %s as %i seconds', (text, seconds) => {
    expect(parseTtlSeconds(text)).toBe(seconds);
  });
  it.each(['', '-1h', '10', 'h', '1d', '1h 30m', 'abc'])('refuses %j', (text) => {
    expect(() => parseTtlSeconds(text)).toThrow(/invalid --ttl/);
  });
});

describe('the join command token create prints', () => {
  const ca = makeCa();
  it('names the server, the token and the CA hash', () => {
    const line = joinCommand({ server: 'https://10.250.0.1:6443', ca: Buffer.from(ca.certPem) }, 'abcdef.0123456789abcdef');
    expect(line).toBe(`skiff agent --server https://10.250.0.1:6443 --token abcdef.0123456789abcdef --ca-cert-hash ${caCertHash(ca.certPem)}`);
  });
  it('spells out the default port and keeps IPv6 brackets', () => {
    expect(joinCommand({ server: 'https://[::1]', ca: Buffer.from(ca.certPem) }, 't')).toContain('--server https://[::1]:443 ');
  });
  it('refuses a plain-HTTP server and a kubeconfig without CA', () => {
    expect(() => joinCommand({ server: 'http://127.0.0.1:8080' }, 't')).toThrow(/plain HTTP/);
    expect(() => joinCommand({ server: 'https://127.0.0.1:6443' }, 't')).toThrow(/no certificate authority/);
  });
});

describe('skiff token list', () => {
  it('shows bootstrap tokens with time left, usages and groups, and skips other Secrets', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const secrets: Secret[] = [
      bootstrapTokenSecret('abcdef.0123456789abcdef', 7200, 'for n1', new Date(now)),
      bootstrapTokenSecret('zzzzzz.0123456789abcdef', 0, '', new Date(now)),
      bootstrapTokenSecret('oldold.0123456789abcdef', 60, 'gone', new Date(now - 3_600_000)),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'kube-system' }, type: 'Opaque', data: {} },
    ];
    const lines = tokenTable(secrets, now).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
    expect(lines[1]).toMatch(/^abcdef\.0123456789abcdef\s+2h\s+2026-01-01T02:00:00Z\s+authentication,signing\s+for n1\s+system:bootstrappers:kubeadm:default-node-token$/);
    expect(lines[2]).toMatch(/^zzzzzz\.\S+\s+<forever>\s+<never>/);
    expect(lines[3]).toMatch(/^oldold\.\S+\s+<invalid>/);
  });
});

import { describe, expect, it } from 'vitest';
import { jumpRules, jumpRulesPayload, savedChainNames } from '../../agent/proxy/rules/index.js';

const emptyFilter = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
const emptyNat = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n';

describe('jump rules', () => {
  it('declares the missing target chains and inserts every jump rule into empty tables', () => {
    const payload = jumpRulesPayload({ filter: emptyFilter, nat: emptyNat })!;
    expect(payload).toContain(':SKIFF-SERVICES - [0:0]');
    expect(payload).toContain('-I PREROUTING 1 -m comment --comment "skiff service portals" -j SKIFF-SERVICES');
    expect(payload.split('\n').filter((l) => l.startsWith('-I '))).toHaveLength(jumpRules().length);
  });

  it('asks for nothing when iptables-save already shows every jump rule', () => {
    const withAll = (table: 'filter' | 'nat', base: string) =>
      base.replace('COMMIT', [
        ...new Set(jumpRules().filter((j) => j.table === table).map((j) => `:${j.target} - [0:0]`)),
        ...jumpRules().filter((j) => j.table === table).map((j) => `-A ${j.chain} ${j.spec}`),
        'COMMIT',
      ].join('\n'));
    expect(jumpRulesPayload({ filter: withAll('filter', emptyFilter), nat: withAll('nat', emptyNat) })).toBeUndefined();
  });

  it('adds only the missing rule and does not re-declare (flush) an existing target chain', () => {
    const nat = emptyNat.replace('COMMIT', [
      ':SKIFF-SERVICES - [0:0]', ':SKIFF-POSTROUTING - [0:0]',
      '-A PREROUTING -m comment --comment "skiff service portals" -j SKIFF-SERVICES',
      '-A POSTROUTING -m comment --comment "skiff postrouting rules" -j SKIFF-POSTROUTING',
      'COMMIT',
    ].join('\n'));
    const filter = emptyFilter.replace('COMMIT', [
      ...new Set(jumpRules().filter((j) => j.table === 'filter').map((j) => `:${j.target} - [0:0]`)),
      ...jumpRules().filter((j) => j.table === 'filter').map((j) => `-A ${j.chain} ${j.spec}`),
      'COMMIT',
    ].join('\n'));
    expect(jumpRulesPayload({ filter, nat })).toBe('*nat\n-I OUTPUT 1 -m comment --comment "skiff service portals" -j SKIFF-SERVICES\nCOMMIT\n');
  });

  it('reads chain names from iptables-save output', () => {
    expect([...savedChainNames(emptyNat + ':SKIFF-SVC-ABC - [0:0]\n')]).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'SKIFF-SVC-ABC']);
  });
});

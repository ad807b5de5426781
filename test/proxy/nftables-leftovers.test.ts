// Switching --proxy-mode: each mode removes what the other left on the node (fakes; the real commands
// are the ones the integration tests run).
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { FakeClock } from '../../client/index.js';
import { FakeIptablesRunner } from '../../agent/proxy/fake-iptables-runner.js';
import { removeIptablesRules, removeNftablesTable } from '../../agent/proxy/leftovers.js';
import { FakeNftRunner, NftablesProxier } from '../../agent/proxy/nftables/index.js';
import { IptablesProxier } from '../../agent/proxy/proxier.js';
import { service, slice } from './fixtures.js';

const web = service('default', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
const webSlice = slice('default', 'web', ['10.244.1.2'], [{ name: 'http', port: 8080 }]);
const common = { clock: new FakeClock(0), logger: pino({ level: 'silent' }), resyncIntervalMs: 0, serviceCIDR: '10.96.0.0/12' };

describe('proxy mode leftovers', () => {
  it('removes the iptables mode\'s jump rules and chains, and leaves other SKIFF- chains and built-in rules alone', async () => {
    const runner = new FakeIptablesRunner();
    await runner.restore('*filter\n:SKIFF-FORWARD - [0:0]\n-A FORWARD -j SKIFF-FORWARD\n-A INPUT -j ACCEPT\nCOMMIT\n', { noflush: true });
    const proxier = new IptablesProxier({ ...common, runner });
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice);
    await proxier.start();
    await proxier.stop();
    expect(runner.chains('nat').some((c) => c.startsWith('SKIFF-SVC-'))).toBe(true);

    expect(await removeIptablesRules(runner)).toBe(true);
    expect(runner.chains('nat')).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
    expect(runner.chains('filter')).toEqual(['INPUT', 'FORWARD', 'OUTPUT', 'SKIFF-FORWARD']);
    expect(runner.rules('filter', 'FORWARD')).toEqual(['-A FORWARD -j SKIFF-FORWARD']);
    expect(runner.rules('filter', 'INPUT')).toEqual(['-A INPUT -j ACCEPT']);
    expect(await removeIptablesRules(runner)).toBe(false);
  });

  it('never takes agent/network\'s SKIFF-FORWARD for a stale proxy chain on an iptables full sync', async () => {
    const runner = new FakeIptablesRunner();
    await runner.restore('*filter\n:SKIFF-FORWARD - [0:0]\n-A FORWARD -j SKIFF-FORWARD\n-A SKIFF-FORWARD -s 10.244.0.0/16 -j ACCEPT\nCOMMIT\n', { noflush: true });
    const proxier = new IptablesProxier({ ...common, runner });
    await proxier.start();
    await proxier.stop();
    expect(proxier.stats().failed).toBe(0);
    expect(runner.rules('filter', 'SKIFF-FORWARD')).toEqual(['-A SKIFF-FORWARD -s 10.244.0.0/16 -j ACCEPT']);
  });

  it('deletes the nftables mode\'s table, and does nothing when there is none', async () => {
    const runner = new FakeNftRunner();
    expect(await removeNftablesTable(runner)).toBe(false);
    const proxier = new NftablesProxier({ ...common, runner });
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice);
    await proxier.start();
    await proxier.stop();
    expect(await removeNftablesTable(runner)).toBe(true);
    expect(runner.chains()).toEqual([]);
    expect(await runner.tableExists()).toBe(false);
  });
});

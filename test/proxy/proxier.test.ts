import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { FakeClock, flushMicrotasks } from '../../client/index.js';
import { FakeIptablesRunner } from '../../agent/proxy/fake-iptables-runner.js';
import { FakeNodeNetwork } from '../../agent/proxy/node-network.js';
import { IptablesProxier, type ProxierOptions } from '../../agent/proxy/proxier.js';
import { serviceChain } from '../../agent/proxy/rules/index.js';
import { node, service, slice } from './fixtures.js';

const web = service('default', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
const webSlice = (ips: string[]) => slice('default', 'web', ips, [{ name: 'http', port: 8080 }]);
const webChain = serviceChain('default/web:http', 'tcp');

let proxier: IptablesProxier | undefined;
afterEach(async () => {
  await proxier?.stop();
  proxier = undefined;
});

function setup(extra: Partial<ProxierOptions> = {}) {
  const runner = new FakeIptablesRunner();
  const clock = new FakeClock(1_000_000);
  const net = new FakeNodeNetwork();
  proxier = new IptablesProxier({
    runner, clock, nodeNetwork: net, logger: pino({ level: 'silent' }),
    minSyncIntervalMs: 1000, resyncIntervalMs: 0, serviceCIDR: '10.96.0.0/12', clusterCIDR: '10.244.0.0/16', ...extra,
  });
  return { runner, clock, net, proxier };
}

/** Restores that carried rules (not the jump-rule set-up). */
const syncPayloads = (runner: FakeIptablesRunner) => runner.payloads.filter((p) => p.includes(':SKIFF-POSTROUTING') || p.includes('-A SKIFF-') || p.includes('-X '));

describe('IptablesProxier', () => {
  it('sets route_localnet, routes the service CIDR locally and installs the jump rules once at start', async () => {
    const { runner, net, proxier } = setup();
    await proxier.start();
    expect(net.calls).toEqual(['route_localnet=1', 'route local 10.96.0.0/12']);
    const output = runner.rules('nat', 'OUTPUT');
    expect(output).toEqual(['-A OUTPUT -m comment --comment "skiff service portals" -j SKIFF-SERVICES']);
    await runner.ensureJumpRules();
    expect(runner.rules('nat', 'OUTPUT')).toHaveLength(1);
    expect(runner.rules('filter', 'INPUT')).toHaveLength(3);
  });

  it('coalesces a burst of updates into one sync no sooner than the minimum interval', async () => {
    const { runner, clock, proxier } = setup();
    await proxier.start();
    const before = syncPayloads(runner).length;
    proxier.onServiceUpdate(web);
    for (let i = 2; i < 12; i++) proxier.onEndpointSliceUpdate(webSlice([`10.244.1.${i}`]));
    await flushMicrotasks();
    expect(syncPayloads(runner)).toHaveLength(before);
    await clock.advance(999);
    expect(syncPayloads(runner)).toHaveLength(before);
    await clock.advance(1);
    await flushMicrotasks();
    expect(syncPayloads(runner)).toHaveLength(before + 1);
    expect(runner.rules('nat', webChain).join('\n')).toContain('10.244.1.11:8080');
    expect(runner.rules('nat', webChain).join('\n')).not.toContain('10.244.1.10:8080');
  });

  it('skips a sync whose rendered rules equal the last applied ones', async () => {
    const { runner, clock, proxier } = setup();
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    await proxier.start();
    const applied = proxier.stats().applied;
    proxier.onServiceUpdate({ ...web, metadata: { ...web.metadata, resourceVersion: '99' } });
    await clock.advance(1000);
    await flushMicrotasks();
    expect(proxier.stats().applied).toBe(applied);
    expect(proxier.stats().skipped).toBe(1);
  });

  it('writes only the changed chains after the first full sync', async () => {
    const { runner, clock, proxier } = setup();
    const api = service('default', 'api', { clusterIP: '10.96.0.11', ports: [{ name: 'grpc', port: 9000, protocol: 'TCP' }] });
    proxier.onServiceUpdate(web);
    proxier.onServiceUpdate(api);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    proxier.onEndpointSliceUpdate(slice('default', 'api', ['10.244.1.5'], [{ name: 'grpc', port: 9000 }]));
    await proxier.start();
    expect(proxier.stats().lastSyncFull).toBe(true);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2', '10.244.1.3']));
    await clock.advance(1000);
    await flushMicrotasks();
    const last = runner.payloads.at(-1)!;
    expect(proxier.stats().lastSyncFull).toBe(false);
    expect(last).toContain(`:${webChain} - [0:0]`);
    expect(last).not.toContain(serviceChain('default/api:grpc', 'tcp'));
    expect(runner.rules('nat', serviceChain('default/api:grpc', 'tcp')).length).toBeGreaterThan(0);
  });

  it('deletes the chains of a deleted service and those left by an earlier run', async () => {
    const first = setup();
    first.proxier.onServiceUpdate(web);
    first.proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    await first.proxier.start();
    expect(first.runner.chains('nat')).toContain(webChain);
    await first.proxier.stop();

    // A new proxier on the same tables, with the service gone: the restart cleans up.
    const runner = first.runner;
    proxier = new IptablesProxier({ runner, clock: new FakeClock(), logger: pino({ level: 'silent' }), resyncIntervalMs: 0 });
    await proxier.start();
    expect(runner.chains('nat').filter((c) => c.startsWith('SKIFF-SVC-') || c.startsWith('SKIFF-SEP-'))).toEqual([]);
    expect(runner.rules('nat', 'SKIFF-SERVICES').join('\n')).not.toContain('10.96.0.10');
  });

  it('retries a failed restore with a full sync after the minimum interval', async () => {
    const { runner, clock, proxier } = setup();
    await proxier.start();
    runner.failNextRestore = new Error('iptables-restore: line 3 failed');
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    await clock.advance(1000);
    await flushMicrotasks();
    expect(proxier.stats().failed).toBe(1);
    await clock.advance(1000);
    await flushMicrotasks();
    expect(proxier.stats().lastSyncFull).toBe(true);
    expect(runner.chains('nat')).toContain(webChain);
  });

  it('serves node ports on the addresses of its own Node only', async () => {
    const { runner, proxier } = setup({ nodeName: 'n1' });
    proxier.onNodeUpdate(node('n2', ['192.168.0.2']));
    proxier.onNodeUpdate(node('n1', ['192.168.0.1']));
    await proxier.start();
    const services = runner.rules('nat', 'SKIFF-SERVICES').join('\n');
    expect(services).toContain('-d 192.168.0.1/32 -j SKIFF-NODEPORTS');
    expect(services).toContain('-d 127.0.0.1/32 -j SKIFF-NODEPORTS');
    expect(services).not.toContain('192.168.0.2');
  });
});

describe('IptablesProxier periodic full sync', () => {
  it('rewrites every chain once the full-sync interval has passed, repairing a chain edited behind its back', async () => {
    const { runner, clock, proxier } = setup({ resyncIntervalMs: 10_000, fullSyncIntervalMs: 30_000 });
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    await proxier.start();
    // Someone flushes our service chain; partial syncs would never notice.
    await runner.restore(`*nat\n:${webChain} - [0:0]\nCOMMIT\n`, { noflush: true });
    await clock.advance(10_000);
    await flushMicrotasks();
    expect(runner.rules('nat', webChain)).toEqual([]);
    expect(proxier.stats().skipped).toBeGreaterThan(0);
    await clock.advance(20_000);
    await flushMicrotasks();
    await flushMicrotasks();
    expect(proxier.stats().lastSyncFull).toBe(true);
    expect(runner.rules('nat', webChain).length).toBeGreaterThan(0);
  });
});

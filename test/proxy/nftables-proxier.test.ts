// NftablesProxier against the in-memory FakeNftRunner: the proxier loop (rate limit, skip-unchanged,
// retries, full then partial) in nftables mode, and the end state of the table after each sync.
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { FakeClock, flushMicrotasks } from '../../client/index.js';
import { FakeNodeNetwork } from '../../agent/proxy/node-network.js';
import { FakeNftRunner, NftablesProxier, serviceChainName, type NftablesProxierOptions } from '../../agent/proxy/nftables/index.js';
import { node, service, slice } from './fixtures.js';

const web = service('default', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
const webSlice = (ips: string[]) => slice('default', 'web', ips, [{ name: 'http', port: 8080 }]);
const webChain = serviceChainName({ name: 'default/web:http', protocol: 'tcp' });

let proxier: NftablesProxier | undefined;
afterEach(async () => {
  await proxier?.stop();
  proxier = undefined;
});

function setup(extra: Partial<NftablesProxierOptions> = {}) {
  const runner = new FakeNftRunner();
  const clock = new FakeClock(1_000_000);
  const net = new FakeNodeNetwork();
  proxier = new NftablesProxier({
    runner, clock, nodeNetwork: net, logger: pino({ level: 'silent' }),
    minSyncIntervalMs: 1000, resyncIntervalMs: 0, serviceCIDR: '10.96.0.0/12', clusterCIDR: '10.244.0.0/16', ...extra,
  });
  return { runner, clock, net, proxier };
}

describe('NftablesProxier', () => {
  it('sets route_localnet and the local service route, then writes the whole table in one full sync', async () => {
    const { runner, net, proxier } = setup();
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    expect(runner.scripts).toHaveLength(0);
    await proxier.start();
    expect(net.calls).toEqual(['route_localnet=1', 'route local 10.96.0.0/12']);
    expect(runner.scripts).toHaveLength(1);
    expect(runner.scripts[0]!.split('\n')[0]).toBe('add table ip skiff');
    expect(proxier.stats()).toMatchObject({ applied: 1, lastSyncFull: true });
    expect(runner.elements('service-ips')).toEqual([`10.96.0.10 . tcp . 80 : goto ${webChain}`]);
    expect(runner.rules(webChain)!.at(-1)).toBe('meta l4proto tcp dnat to 10.244.1.2:8080');
  });

  it('coalesces a burst of updates into one partial sync no sooner than the minimum interval', async () => {
    const { runner, clock, proxier } = setup();
    await proxier.start();
    proxier.onServiceUpdate(web);
    for (let i = 2; i < 12; i++) proxier.onEndpointSliceUpdate(webSlice([`10.244.1.${i}`]));
    await flushMicrotasks();
    expect(runner.scripts).toHaveLength(1);
    await clock.advance(999);
    expect(runner.scripts).toHaveLength(1);
    await clock.advance(1);
    await flushMicrotasks();
    expect(runner.scripts).toHaveLength(2);
    expect(runner.scripts[1]).not.toContain('add table');
    expect(runner.rules(webChain)).toContain('meta l4proto tcp dnat to 10.244.1.11:8080');
    expect(proxier.stats().lastSyncFull).toBe(false);
  });

  it('skips a sync whose render equals the last applied one', async () => {
    const { runner, proxier } = setup();
    proxier.onServiceUpdate(web);
    await proxier.start();
    proxier.onServiceUpdate(structuredClone(web));
    await proxier.sync();
    expect(runner.scripts).toHaveLength(1);
    expect(proxier.stats()).toMatchObject({ applied: 1, skipped: 1 });
  });

  it('writes only the changed chain and elements when one endpoint changes', async () => {
    const { runner, proxier } = setup();
    const other = service('default', 'other', { clusterIP: '10.96.0.11', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
    for (const s of [web, other]) proxier.onServiceUpdate(s);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2', '10.244.1.3']));
    proxier.onEndpointSliceUpdate(slice('default', 'other', ['10.244.2.2'], [{ name: 'http', port: 8080 }]));
    await proxier.start();
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2', '10.244.1.4']));
    await proxier.sync();
    const partial = runner.scripts[1]!;
    expect(partial).toContain(`flush chain ip skiff ${webChain}`);
    expect(partial).not.toContain('default/other');
    expect(partial).not.toContain('service-ips');
    expect(runner.elements('hairpin')!.sort()).toEqual(['10.244.1.2 . 10.244.1.2', '10.244.1.4 . 10.244.1.4', '10.244.2.2 . 10.244.2.2']);
  });

  it('moves a service to the reject map when its last endpoint goes, and back when one is ready again', async () => {
    const { runner, proxier } = setup();
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    await proxier.start();
    proxier.onEndpointSliceUpdate(webSlice([]));
    await proxier.sync();
    expect(runner.rules(webChain)).toBeUndefined();
    expect(runner.elements('service-ips')).toEqual([]);
    expect(runner.elements('no-endpoint-services')).toEqual(['10.96.0.10 . tcp . 80 : goto reject-chain']);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.3']));
    await proxier.sync();
    expect(runner.elements('no-endpoint-services')).toEqual([]);
    expect(runner.rules(webChain)!.at(-1)).toBe('meta l4proto tcp dnat to 10.244.1.3:8080');
  });

  it('leaves nothing of a deleted service behind', async () => {
    const { runner, proxier } = setup();
    const sticky = service('default', 'web', {
      clusterIP: '10.96.0.10', type: 'NodePort', sessionAffinity: 'ClientIP',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
    });
    proxier.onServiceUpdate(sticky);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    await proxier.start();
    expect(runner.chains().some((c) => c.startsWith('external-'))).toBe(true);
    proxier.onServiceDelete(sticky);
    await proxier.sync();
    expect(runner.chains().filter((c) => c.includes('default/web'))).toEqual([]);
    expect((await runner.listExisting()).sets).toEqual(new Set(['nodeport-ips', 'hairpin']));
    for (const m of ['service-ips', 'service-nodeports', 'hairpin']) expect(runner.elements(m)).toEqual([]);
  });

  it('deletes an earlier run\'s stale chains and sets at start, keeping what is still wanted', async () => {
    const first = setup();
    first.proxier.onServiceUpdate(web);
    first.proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    const other = service('default', 'gone', {
      clusterIP: '10.96.0.12', sessionAffinity: 'ClientIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    });
    first.proxier.onServiceUpdate(other);
    first.proxier.onEndpointSliceUpdate(slice('default', 'gone', ['10.244.3.3'], [{ name: 'http', port: 8080 }]));
    await first.proxier.start();
    await first.proxier.stop();
    const restarted = new NftablesProxier({
      runner: first.runner, clock: first.clock, logger: pino({ level: 'silent' }), resyncIntervalMs: 0, clusterCIDR: '10.244.0.0/16',
    });
    proxier = restarted;
    restarted.onServiceUpdate(web);
    restarted.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    await restarted.start();
    expect(first.runner.chains().filter((c) => c.includes('default/gone'))).toEqual([]);
    expect([...(await first.runner.listExisting()).sets].filter((s) => s.startsWith('affinity-'))).toEqual([]);
    expect(first.runner.rules(webChain)).toBeDefined();
  });

  it('retries a failed apply with a full sync after the minimum interval', async () => {
    const { runner, clock, proxier } = setup();
    await proxier.start();
    runner.failNextApply = new Error('nft: Could not process rule');
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    await proxier.sync();
    expect(proxier.stats().failed).toBe(1);
    await clock.advance(1000);
    await flushMicrotasks();
    expect(proxier.stats()).toMatchObject({ applied: 2, lastSyncFull: true });
    expect(runner.rules(webChain)).toBeDefined();
  });

  it('rewrites the table on the periodic check when someone deleted it', async () => {
    const { runner, clock, proxier } = setup({ resyncIntervalMs: 60_000 });
    proxier.onServiceUpdate(web);
    proxier.onEndpointSliceUpdate(webSlice(['10.244.1.2']));
    await proxier.start();
    runner.deleteTable();
    await clock.advance(60_000);
    await flushMicrotasks();
    await clock.advance(1000);
    await flushMicrotasks();
    expect(runner.rules(webChain)).toBeDefined();
    expect(proxier.stats().lastSyncFull).toBe(true);
  });

  it('serves node ports on this node\'s addresses and 127.0.0.1 once its Node is known', async () => {
    const { runner, proxier } = setup({ nodeName: 'n1' });
    await proxier.start();
    proxier.onNodeUpdate(node('n2', ['192.168.1.20']));
    proxier.onNodeUpdate(node('n1', ['192.168.1.10']));
    await proxier.sync();
    expect(runner.elements('nodeport-ips')).toEqual(['192.168.1.10', '127.0.0.1']);
    expect(runner.rules('services')![1]).toBe('ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports');
  });
});

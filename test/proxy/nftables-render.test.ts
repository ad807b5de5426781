// The nftables renderer and script writer: golden scripts (hashes normalised) for each kind of service,
// and the partial scripts a change produces, checked statement by statement.
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../api/types/index.js';
import { servicePorts } from '../../agent/proxy/rules/service-ports.js';
import {
  affinitySetName, NftRenderCache, renderRuleset, renderScript, sameRuleset, serviceChainName, type NftRenderOptions, type NftRuleset,
} from '../../agent/proxy/nftables/index.js';
import { service, slice } from './fixtures.js';
import { expectGolden } from './golden.js';

const options: NftRenderOptions = { clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };
const render = (services: Service[], slices: EndpointSlice[], o: NftRenderOptions = options): NftRuleset =>
  renderRuleset(servicePorts(services, slices), o);

/** Hashes in names replaced by a placeholder, so the golden text reads as structure. */
function normalise(text: string): string {
  return text.replace(/\b(service|external|affinity)-[A-Z2-7]{8}-/g, '$1-<hash>-');
}

const web = service('default', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
const webSlice = (ips: Array<string | { ip: string; ready: boolean }>) => slice('default', 'web', ips, [{ name: 'http', port: 8080 }]);

describe('nftables renderer golden scripts', () => {
  it.each<[string, Service[], EndpointSlice[], NftRenderOptions?]>([
    ['nftables-clusterip-three-endpoints-one-not-ready.nft', [web],
      [webSlice(['10.244.1.2', '10.244.1.3', '10.244.1.4', { ip: '10.244.1.5', ready: false }])]],
    ['nftables-no-endpoints-reject.nft', [service('default', 'empty', {
      type: 'NodePort', clusterIP: '10.96.0.20', externalIPs: ['192.0.2.7'], ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30020 }],
    })], []],
    ['nftables-nodeport-on-node-addresses.nft', [service('default', 'np', {
      type: 'NodePort', clusterIP: '10.96.0.30', ports: [{ name: '', port: 80, protocol: 'TCP', nodePort: 30080 }],
    })], [slice('default', 'np', ['10.244.1.2'], [{ name: '', port: 8080 }])], { ...options, nodeAddresses: ['192.168.1.10'] }],
    ['nftables-external-ips.nft', [service('default', 'ext', {
      clusterIP: '10.96.0.40', externalIPs: ['192.0.2.1', '192.0.2.2'], ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
    })], [slice('default', 'ext', ['10.244.1.2', '10.244.1.3'], [{ name: 'https', port: 8443 }])]],
    ['nftables-session-affinity.nft', [service('default', 'sticky', {
      clusterIP: '10.96.0.50', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 300 } },
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    })], [slice('default', 'sticky', ['10.244.1.2', '10.244.1.3'], [{ name: 'http', port: 8080 }])]],
    ['nftables-udp-and-tcp-dns.nft', [service('kube-system', 'dns', {
      clusterIP: '10.96.0.53', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
    })], [slice('kube-system', 'dns', ['10.244.1.2'], [{ name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'dns-tcp', port: 5353, protocol: 'TCP' }])]],
  ])('%s', (file, services, slices, o) => {
    expectGolden(file, normalise(renderScript(render(services, slices, o))));
  });
});

describe('nftables renderer', () => {
  it('renders nothing for a service without a cluster IP and no chain for one without ready endpoints', () => {
    const headless = service('default', 'headless', { clusterIP: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
    const r = render([headless, web], [webSlice([{ ip: '10.244.1.9', ready: false }])]);
    expect([...r.chains.keys()].filter((n) => /^service-[A-Z2-7]{8}-/.test(n))).toEqual([]);
    expect([...r.elements.get('no-endpoint-services')!]).toEqual([['10.96.0.10 . tcp . 80', 'goto reject-chain']]);
    expect(r.elements.get('service-ips')!.size).toBe(0);
  });

  it('chooses uniformly: rule i of n matches one time in n-i and the last is unconditional', () => {
    const r = render([web], [webSlice(['10.244.1.2', '10.244.1.3', '10.244.1.4'])]);
    const rules = r.chains.get(serviceChainName({ name: 'default/web:http', protocol: 'tcp' }))!.rules;
    expect(rules.slice(1).map((x) => x.replace(/ ?meta l4proto.*/, ''))).toEqual(['numgen random mod 3 == 0', 'numgen random mod 2 == 0', '']);
  });

  it('serves node ports on every local address (fib) when the node has no known address', () => {
    const r = render([], []);
    expect(r.chains.get('services')!.rules[1]).toBe('fib daddr type local meta l4proto . th dport vmap @service-nodeports');
    const noLocalhost = render([], [], { ...options, localhostNodePorts: false });
    expect(noLocalhost.chains.get('services')!.rules[1]).toMatch(/^ip daddr != 127\.0\.0\.0\/8 fib daddr type local /);
  });

  it('renders the same ruleset with and without the cache, and reuses unchanged chains', () => {
    const cache = new NftRenderCache();
    const slices = [webSlice(['10.244.1.2', '10.244.1.3'])];
    const first = renderRuleset(servicePorts([web], slices), { ...options, cache });
    const second = renderRuleset(servicePorts([web], slices), { ...options, cache });
    expect(renderScript(second)).toBe(renderScript(render([web], slices)));
    expect(sameRuleset(first, second)).toBe(true);
    const chain = serviceChainName({ name: 'default/web:http', protocol: 'tcp' });
    expect(second.chains.get(chain)).toBe(first.chains.get(chain));
  });
});

describe('nftables scripts', () => {
  const before = render([web], [webSlice(['10.244.1.2', '10.244.1.3'])]);
  const chain = serviceChainName({ name: 'default/web:http', protocol: 'tcp' });

  it.each<[string, NftRuleset, string[]]>([
    ['nothing changed: empty script', before, []],
    ['an endpoint replaced: one chain rewritten, hairpin elements swapped', render([web], [webSlice(['10.244.1.2', '10.244.1.4'])]), [
      `flush chain ip skiff ${chain}`,
      `add rule ip skiff ${chain} ip saddr != 10.244.0.0/16 jump mark-for-masquerade`,
      `add rule ip skiff ${chain} numgen random mod 2 == 0 meta l4proto tcp dnat to 10.244.1.2:8080`,
      `add rule ip skiff ${chain} meta l4proto tcp dnat to 10.244.1.4:8080`,
      'delete element ip skiff hairpin { 10.244.1.3 . 10.244.1.3 }',
      'add element ip skiff hairpin { 10.244.1.4 . 10.244.1.4 }',
    ]],
    ['last endpoint gone: the chain is deleted after its map element, and the service rejects', render([web], [webSlice([])]), [
      `flush chain ip skiff ${chain}`,
      `delete element ip skiff service-ips { 10.96.0.10 . tcp . 80 }`,
      'delete element ip skiff hairpin { 10.244.1.2 . 10.244.1.2, 10.244.1.3 . 10.244.1.3 }',
      'add element ip skiff no-endpoint-services { 10.96.0.10 . tcp . 80 : goto reject-chain }',
      `delete chain ip skiff ${chain}`,
    ]],
  ])('%s', (_name, after, statements) => {
    const script = renderScript(after, { previous: before });
    expect(script === '' ? [] : script.trimEnd().split('\n')).toEqual(statements);
  });

  it.each<[string, [Service[], EndpointSlice[]], [Service[], EndpointSlice[]]]>([
    ['a pod behind two services stays in the hairpin set when one service goes',
      [[web, service('default', 'web2', { clusterIP: '10.96.0.11', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })],
        [webSlice(['10.244.1.2']), slice('default', 'web2', ['10.244.1.2'], [{ name: 'http', port: 8080 }])]],
      [[web], [webSlice(['10.244.1.2'])]]],
    ['a service gains a node port and an external IP',
      [[web], [webSlice(['10.244.1.2'])]],
      [[service('default', 'web', { type: 'NodePort', clusterIP: '10.96.0.10', externalIPs: ['192.0.2.1'], ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30001 }] })],
        [webSlice(['10.244.1.2'])]]],
    ['every endpoint of every service replaced', [[web], [webSlice(['10.244.1.2', '10.244.1.3'])]], [[web], [webSlice(['10.244.9.2'])]]],
  ])('the partial script from changed fragments equals a full comparison: %s', (_name, [s1, e1], [s2, e2]) => {
    const cache = new NftRenderCache();
    const a = renderRuleset(servicePorts(s1, e1), { ...options, cache });
    const b = renderRuleset(servicePorts(s2, e2), { ...options, cache });
    const shortcut = renderScript(b, { previous: a });
    const full = renderScript({ ...b, origin: undefined }, { previous: { ...a, origin: undefined } });
    expect(shortcut).not.toBe('');
    expect(shortcut.split('\n').sort()).toEqual(full.split('\n').sort());
    expect(sameRuleset(a, b)).toBe(false);
  });

  it('keeps a hairpin element that another service still needs when one service goes', () => {
    const web2 = service('default', 'web2', { clusterIP: '10.96.0.11', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
    const cache = new NftRenderCache();
    const a = renderRuleset(servicePorts([web, web2], [webSlice(['10.244.1.2']), slice('default', 'web2', ['10.244.1.2'], [{ name: 'http', port: 8080 }])]), { ...options, cache });
    const b = renderRuleset(servicePorts([web], [webSlice(['10.244.1.2'])]), { ...options, cache });
    expect(renderScript(b, { previous: a })).not.toContain('hairpin');
  });

  it('deletes what exists but is not rendered on a full sync, chains flushed first and deleted last', () => {
    const script = renderScript(before, {
      existing: { chains: new Set(['services', 'service-OLD-x/y/tcp/p']), sets: new Set(['affinity-OLD']), maps: new Set(['old-map', 'service-ips']) },
    });
    const lines = script.trimEnd().split('\n');
    expect(lines[0]).toBe('add table ip skiff');
    expect(lines).toContain('flush chain ip skiff service-OLD-x/y/tcp/p');
    expect(lines.slice(-3)).toEqual(['delete chain ip skiff service-OLD-x/y/tcp/p', 'delete set ip skiff affinity-OLD', 'delete map ip skiff old-map']);
    expect(lines.indexOf('flush chain ip skiff service-OLD-x/y/tcp/p')).toBeLessThan(lines.findIndex((l) => l.startsWith('add rule')));
    expect(lines).toContain('flush map ip skiff service-ips');
    expect(lines).toContain('flush chain ip skiff services');
    // What does not exist yet is created empty: flushing it would be a wasted statement.
    expect(lines).not.toContain('flush map ip skiff service-nodeports');
    expect(lines).not.toContain(`flush chain ip skiff ${chain}`);
  });

  it('never flushes an affinity set on a full sync, and a new affinity timeout is a new set', () => {
    const sticky = (timeoutSeconds: number) => service('default', 'web', {
      clusterIP: '10.96.0.10', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds } }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    });
    const slices = [webSlice(['10.244.1.2'])];
    const a = render([sticky(300)], slices);
    const setName = affinitySetName({ name: 'default/web:http', protocol: 'tcp' }, '10.244.1.2:8080', 300);
    expect(renderScript(a)).not.toContain(`flush set ip skiff ${setName}`);
    const b = render([sticky(600)], slices);
    const partial = renderScript(b, { previous: a });
    const newSet = affinitySetName({ name: 'default/web:http', protocol: 'tcp' }, '10.244.1.2:8080', 600);
    expect(partial).toContain(`add set ip skiff ${newSet} { type ipv4_addr; flags dynamic,timeout; timeout 600s; }`);
    expect(partial.trimEnd().split('\n').at(-1)).toBe(`delete set ip skiff ${setName}`);
  });
});

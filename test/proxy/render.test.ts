import { describe, expect, it } from 'vitest';
import { renderRules, type ServicePortInfo } from '../../agent/proxy/rules/index.js';

const base: ServicePortInfo = {
  name: 'default/web:http', protocol: 'tcp', clusterIP: '10.96.0.10', port: 80, nodePort: 30080,
  externalIPs: [], affinityTimeoutSeconds: undefined, endpoints: ['10.244.1.2:8080'],
};
const nodePortJumps = (opts: Parameters<typeof renderRules>[1]) =>
  renderRules([base], opts).nat.find((c) => c.name === 'SKIFF-SERVICES')!.rules.filter((r) => r.endsWith('-j SKIFF-NODEPORTS'));

describe('renderRules', () => {
  it.each([
    { name: 'every local address when no node address is known', opts: {}, want: ['-m addrtype --dst-type LOCAL'] },
    { name: 'every local address but loopback when localhost node ports are off', opts: { localhostNodePorts: false }, want: ['! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL'] },
    { name: 'the node addresses and 127.0.0.1', opts: { nodeAddresses: ['192.168.1.5'] }, want: ['-d 192.168.1.5/32', '-d 127.0.0.1/32'] },
    { name: 'the node addresses only when localhost node ports are off', opts: { nodeAddresses: ['192.168.1.5'], localhostNodePorts: false }, want: ['-d 192.168.1.5/32'] },
  ])('serves node ports on $name', ({ opts, want }) => {
    const rules = nodePortJumps(opts);
    expect(rules).toHaveLength(want.length);
    want.forEach((w, i) => expect(rules[i]).toContain(w));
  });

  it('splits traffic with probabilities 1/n, 1/(n-1), ... and an unconditional last rule', () => {
    const eps = ['10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80', '10.0.0.4:80'];
    const svc = renderRules([{ ...base, endpoints: eps }]).nat.find((c) => c.name.startsWith('SKIFF-SVC-'))!;
    const probs = svc.rules.map((r) => /--probability (\S+)/.exec(r)?.[1]);
    expect(probs).toEqual(['0.2500000000', '0.3333333333', '0.5000000000', undefined]);
  });

  it('renders SCTP with its own match module', () => {
    const nat = renderRules([{ ...base, protocol: 'sctp' }]).nat;
    expect(nat.find((c) => c.name === 'SKIFF-SERVICES')!.rules[0]).toContain('-p sctp -m comment --comment "default/web:http cluster IP" -m sctp --dport 80');
  });

  it('marks traffic from outside the cluster CIDR for masquerade only when the CIDR is known', () => {
    const svcRules = (o: Parameters<typeof renderRules>[1]) => renderRules([base], o).nat.find((c) => c.name.startsWith('SKIFF-SVC-'))!.rules;
    expect(svcRules({}).some((r) => r.includes('SKIFF-MARK-MASQ'))).toBe(false);
    expect(svcRules({ clusterCIDR: '10.244.0.0/16' })[0]).toContain('! -s 10.244.0.0/16');
  });
});

describe('RenderCache', () => {
  it('renders exactly what an uncached render does, across changes and removals', async () => {
    const { RenderCache, renderPayload } = await import('../../agent/proxy/rules/index.js');
    const cache = new RenderCache();
    const none = { existing: { nat: new Set<string>(), filter: new Set<string>() } };
    const ports = (n: number, eps: string[]): ServicePortInfo[] => Array.from({ length: n }, (_, i) => ({
      ...base, name: `default/s${i}:http`, clusterIP: `10.96.0.${i + 1}`, nodePort: 30000 + i, endpoints: i === 1 ? [] : eps,
    }));
    const states = [ports(4, ['10.0.0.1:80', '10.0.0.2:80']), ports(4, ['10.0.0.1:80']), ports(2, ['10.0.0.1:80']), ports(4, ['10.0.0.1:80'])];
    for (const state of states) {
      const opts = { clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };
      expect(renderPayload(renderRules(state, { ...opts, cache }), none)).toBe(renderPayload(renderRules(state, opts), none));
    }
  });
});

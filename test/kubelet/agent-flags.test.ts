import { describe, expect, it } from 'vitest';
import { parseAgentFlags } from '../../agent/cmd/agent.js';

describe('skiff agent flags', () => {
  it('parses every flag, in both --flag value and --flag=value forms', () => {
    const f = parseAgentFlags(['--kubeconfig', '/k', '--node-name=n1', '--node-ip', '127.0.0.1', '--cri-socket', '/run/cri.sock', '--data-dir', '/d', '--cluster-dns', '10.96.0.10', '--log-level=debug']);
    expect(f).toMatchObject({ kubeconfig: '/k', nodeName: 'n1', nodeIP: '127.0.0.1', criSocket: '/run/cri.sock', dataDir: '/d', clusterDNS: ['10.96.0.10'], logLevel: 'debug' });
  });

  it('requires --kubeconfig and rejects unknown flags', () => {
    expect(() => parseAgentFlags([])).toThrow(/--kubeconfig is required/);
    expect(() => parseAgentFlags(['--kubeconfig', '/k', '--bogus'])).toThrow(/unknown flag --bogus/);
  });

  it('runs the service proxy in-process unless --disable-proxy is given', () => {
    expect(parseAgentFlags(['--kubeconfig', '/k', '--cluster-cidr', '10.244.0.0/16', '--service-cidr=10.100.0.0/16', '--iptables', 'iptables-legacy'])).toMatchObject({
      proxy: { clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.100.0.0/16', iptables: 'iptables-legacy' },
    });
    expect(parseAgentFlags(['--kubeconfig', '/k'])).toMatchObject({ proxy: { serviceCIDR: '10.96.0.0/12', iptables: 'iptables' } });
    expect(parseAgentFlags(['--kubeconfig', '/k', '--disable-proxy'])).toMatchObject({ proxy: undefined });
  });

  it('answers help', () => {
    expect(parseAgentFlags(['--help'])).toBe('help');
  });
});

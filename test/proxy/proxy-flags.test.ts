import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../agent/cmd/proxy.js';

describe('skiff proxy flags', () => {
  it('parses every flag, in both --flag value and --flag=value forms', () => {
    const flags = parseFlags(['--kubeconfig', '/k', '--node-name=n1', '--cluster-cidr', '10.244.0.0/16', '--service-cidr=10.0.0.0/16',
      '--netns', 'node-a', '--min-sync-period-ms', '250', '--iptables=iptables-legacy']);
    expect(flags).toMatchObject({ kubeconfig: '/k', nodeName: 'n1', clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.0.0.0/16',
      netns: 'node-a', minSyncIntervalMs: 250, iptables: 'iptables-legacy' });
  });

  it.each([
    [[], /--kubeconfig is required/],
    [['--kubeconfig', '/k', '--cluster-cidr', '10.244.0.0'], /IPv4 CIDR/],
    [['--kubeconfig', '/k', '--iptables', 'nft'], /--iptables must be/],
    [['--kubeconfig', '/k', '--bogus'], /unknown flag --bogus/],
    [['--kubeconfig'], /--kubeconfig needs a value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(message);
  });

  it('defaults the service CIDR, sync period and iptables flavour', () => {
    expect(parseFlags(['--kubeconfig', '/k'])).toMatchObject({ serviceCIDR: '10.96.0.0/12', minSyncIntervalMs: 1000, iptables: 'iptables' });
  });
});

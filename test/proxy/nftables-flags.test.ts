// `skiff proxy --proxy-mode`: the flag that selects the nftables mode.
import { describe, expect, it } from 'vitest';
import { parseFlags, proxyMode } from '../../agent/cmd/proxy.js';

describe('skiff proxy --proxy-mode', () => {
  it.each([
    [['--kubeconfig', '/k'], 'iptables'],
    [['--kubeconfig', '/k', '--proxy-mode', 'nftables'], 'nftables'],
    [['--kubeconfig', '/k', '--proxy-mode=iptables'], 'iptables'],
  ])('%j selects mode %s', (argv, mode) => {
    expect(parseFlags(argv)).toMatchObject({ mode });
  });

  it.each(['ipvs', 'nft', ''])('rejects mode %j', (mode) => {
    expect(() => proxyMode(mode)).toThrow(/--proxy-mode must be iptables or nftables/);
    expect(() => parseFlags(['--kubeconfig', '/k', `--proxy-mode=${mode}`])).toThrow(/--proxy-mode/);
  });
});

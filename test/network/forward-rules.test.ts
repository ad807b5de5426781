import { describe, expect, it } from 'vitest';
import { planForwardRules, planOwnedChain, podNetworkChains } from '../../agent/network/index.js';

const cidr = '10.244.0.0/16';
const ourChain = '-N SKIFF-FORWARD\n-A SKIFF-FORWARD -s 10.244.0.0/16 -j ACCEPT\n-A SKIFF-FORWARD -d 10.244.0.0/16 -j ACCEPT\n';
const dockerForward = '-A FORWARD -j DOCKER-USER\n-A FORWARD -j DOCKER-ISOLATION-STAGE-1\n-A FORWARD -o docker0 -j DOCKER\n';

describe('planForwardRules', () => {
  it.each([
    {
      what: 'creates the chain, its rules and the jump on a fresh Docker host',
      forward: `-P FORWARD DROP\n${dockerForward}`,
      chain: undefined,
      want: [
        '-N SKIFF-FORWARD',
        '-A SKIFF-FORWARD -s 10.244.0.0/16 -j ACCEPT',
        '-A SKIFF-FORWARD -d 10.244.0.0/16 -j ACCEPT',
        '-I FORWARD 1 -j SKIFF-FORWARD',
      ],
    },
    {
      what: 'does nothing when everything is in place',
      forward: `-P FORWARD DROP\n-A FORWARD -j SKIFF-FORWARD\n${dockerForward}`,
      chain: ourChain,
      want: [],
    },
    {
      what: 'moves the jump back to the top after dockerd re-inserted its own above it',
      forward: `-P FORWARD DROP\n-A FORWARD -j DOCKER-USER\n-A FORWARD -j SKIFF-FORWARD\n-A FORWARD -j DOCKER-ISOLATION-STAGE-1\n`,
      chain: ourChain,
      want: ['-D FORWARD -j SKIFF-FORWARD', '-I FORWARD 1 -j SKIFF-FORWARD'],
    },
    {
      what: 'removes duplicate jumps',
      forward: `-P FORWARD DROP\n-A FORWARD -j SKIFF-FORWARD\n-A FORWARD -j SKIFF-FORWARD\n`,
      chain: ourChain,
      want: ['-D FORWARD -j SKIFF-FORWARD', '-D FORWARD -j SKIFF-FORWARD', '-I FORWARD 1 -j SKIFF-FORWARD'],
    },
    {
      what: 'rewrites the chain when its rules are for another CIDR or altered',
      forward: `-P FORWARD DROP\n-A FORWARD -j SKIFF-FORWARD\n`,
      chain: '-N SKIFF-FORWARD\n-A SKIFF-FORWARD -s 10.99.0.0/16 -j ACCEPT\n',
      want: ['-F SKIFF-FORWARD', '-A SKIFF-FORWARD -s 10.244.0.0/16 -j ACCEPT', '-A SKIFF-FORWARD -d 10.244.0.0/16 -j ACCEPT'],
    },
    {
      what: 'adds the jump to an empty FORWARD chain',
      forward: '-P FORWARD ACCEPT\n',
      chain: ourChain,
      want: ['-I FORWARD 1 -j SKIFF-FORWARD'],
    },
  ])('$what', ({ forward, chain, want }) => {
    expect(planForwardRules(cidr, forward, chain).map((a) => a.join(' '))).toEqual(want);
  });
});

describe('the pod NAT exemption chain', () => {
  const nat = podNetworkChains(cidr)[1]!;

  it('lets marked (proxy-masqueraded) packets through to the proxy and accepts pod-to-pod un-NATed', () => {
    expect(nat).toMatchObject({ table: 'nat', builtin: 'POSTROUTING', chain: 'SKIFF-POD-NAT' });
    expect(nat.rules).toEqual(['-A SKIFF-POD-NAT -m mark --mark 0x4000/0x4000 -j RETURN', '-A SKIFF-POD-NAT -s 10.244.0.0/16 -d 10.244.0.0/16 -j ACCEPT']);
  });

  it.each([
    {
      what: 'goes above Docker\'s MASQUERADE and the proxy\'s jump',
      postrouting: '-P POSTROUTING ACCEPT\n-A POSTROUTING -m comment --comment "skiff postrouting rules" -j SKIFF-POSTROUTING\n-A POSTROUTING -s 10.244.0.0/24 ! -o br-1 -j MASQUERADE\n',
      chain: undefined,
      want: [
        '-N SKIFF-POD-NAT',
        '-A SKIFF-POD-NAT -m mark --mark 0x4000/0x4000 -j RETURN',
        '-A SKIFF-POD-NAT -s 10.244.0.0/16 -d 10.244.0.0/16 -j ACCEPT',
        '-I POSTROUTING 1 -j SKIFF-POD-NAT',
      ],
    },
    {
      what: 'is left alone when in place',
      postrouting: '-P POSTROUTING ACCEPT\n-A POSTROUTING -j SKIFF-POD-NAT\n-A POSTROUTING -s 10.244.0.0/24 ! -o br-1 -j MASQUERADE\n',
      chain: '-N SKIFF-POD-NAT\n-A SKIFF-POD-NAT -m mark --mark 0x4000/0x4000 -j RETURN\n-A SKIFF-POD-NAT -s 10.244.0.0/16 -d 10.244.0.0/16 -j ACCEPT\n',
      want: [],
    },
  ])('$what', ({ postrouting, chain, want }) => {
    expect(planOwnedChain(nat, postrouting, chain).map((a) => a.join(' '))).toEqual(want);
  });
});

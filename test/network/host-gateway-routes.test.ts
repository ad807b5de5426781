// HostGatewayRoutes over a scripted FakeCommandRunner: which commands a pass runs for a given kernel state.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/index.js';
import { RestClient } from '../../client/index.js';
import { FakeCommandRunner, HostGatewayRoutes, type FakeAnswer } from '../../agent/network/index.js';

const node = (name: string, podCIDR: string, ip: string): Node => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { podCIDR, podCIDRs: [podCIDR] }, status: { addresses: [{ type: 'InternalIP', address: ip }] },
});
const nodes = [node('a', '10.244.0.0/24', '10.250.0.11'), node('b', '10.244.1.0/24', '10.250.0.12'), node('c', '10.244.2.0/24', '10.250.0.13')];
const healthyForward = '-P FORWARD DROP\n-A FORWARD -j SKIFF-FORWARD\n-A FORWARD -j DOCKER-USER\n';
const healthyChain = '-N SKIFF-FORWARD\n-A SKIFF-FORWARD -s 10.244.0.0/16 -j ACCEPT\n-A SKIFF-FORWARD -d 10.244.0.0/16 -j ACCEPT\n';
const healthyPostrouting = '-P POSTROUTING ACCEPT\n-A POSTROUTING -j SKIFF-POD-NAT\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n';
const healthyNat = '-N SKIFF-POD-NAT\n-A SKIFF-POD-NAT -m mark --mark 0x4000/0x4000 -j RETURN\n-A SKIFF-POD-NAT -s 10.244.0.0/16 -d 10.244.0.0/16 -j ACCEPT\n';
const logger = pino({ level: 'silent' });

function routesWith(script: Array<[string, FakeAnswer]>): { runner: FakeCommandRunner; routes: HostGatewayRoutes } {
  const runner = new FakeCommandRunner([
    ...script,
    ['iptables -w 5 -t filter -S FORWARD', healthyForward],
    ['iptables -w 5 -t filter -S SKIFF-FORWARD', healthyChain],
    ['iptables -w 5 -t nat -S POSTROUTING', healthyPostrouting],
    ['iptables -w 5 -t nat -S SKIFF-POD-NAT', healthyNat],
    ['ip -4 route show', ''],
  ]);
  // The client is never used: reconcile() is driven directly.
  const client = new RestClient({ server: 'http://127.0.0.1:1' });
  const routes = new HostGatewayRoutes({ client, nodeName: 'a', clusterCIDR: '10.244.0.0/16', runner, logger });
  client.close();
  return { runner, routes };
}

const writes = (r: FakeCommandRunner): string[] => r.calls.filter((c) => !/ -S |route show/.test(c));

describe('HostGatewayRoutes pass', () => {
  it.each([
    {
      what: 'adds routes to the other nodes on a fresh node',
      script: [] as Array<[string, FakeAnswer]>,
      want: ['ip route replace 10.244.1.0/24 via 10.250.0.12 proto 250', 'ip route replace 10.244.2.0/24 via 10.250.0.13 proto 250'],
    },
    {
      what: 'runs no write when routes and rules are in place (a restarted agent adopts them)',
      script: [['ip -4 route show', '10.244.1.0/24 via 10.250.0.12 dev eth0 \n10.244.2.0/24 via 10.250.0.13 dev eth0 \n']] as Array<[string, FakeAnswer]>,
      want: [],
    },
    {
      what: 'removes a marked route to a node that is gone',
      script: [['ip -4 route show', '10.244.1.0/24 via 10.250.0.12 dev eth0 \n10.244.2.0/24 via 10.250.0.13 dev eth0 \n10.244.9.0/24 via 10.250.0.19 dev eth0 \n']] as Array<[string, FakeAnswer]>,
      want: ['ip route del 10.244.9.0/24 via 10.250.0.19 proto 250'],
    },
    {
      what: 'sets up the FORWARD chain where it is missing',
      script: [
        ['iptables -w 5 -t filter -S FORWARD', '-P FORWARD DROP\n-A FORWARD -j DOCKER-USER\n'],
        ['iptables -w 5 -t filter -S SKIFF-FORWARD', { exitCode: 1, stderr: 'iptables: No chain/target/match by that name.\n' }],
        ['ip -4 route show', '10.244.1.0/24 via 10.250.0.12 dev eth0 \n10.244.2.0/24 via 10.250.0.13 dev eth0 \n'],
      ] as Array<[string, FakeAnswer]>,
      want: [
        'iptables -w 5 -t filter -N SKIFF-FORWARD',
        'iptables -w 5 -t filter -A SKIFF-FORWARD -s 10.244.0.0/16 -j ACCEPT',
        'iptables -w 5 -t filter -A SKIFF-FORWARD -d 10.244.0.0/16 -j ACCEPT',
        'iptables -w 5 -t filter -I FORWARD 1 -j SKIFF-FORWARD',
      ],
    },
    {
      what: 'exempts pod-to-pod traffic from Docker\'s masquerade where the NAT chain is missing',
      script: [
        ['iptables -w 5 -t nat -S POSTROUTING', '-P POSTROUTING ACCEPT\n-A POSTROUTING -s 10.244.0.0/24 ! -o br-1 -j MASQUERADE\n'],
        ['iptables -w 5 -t nat -S SKIFF-POD-NAT', { exitCode: 1, stderr: 'iptables: No chain/target/match by that name.\n' }],
        ['ip -4 route show', '10.244.1.0/24 via 10.250.0.12 dev eth0 \n10.244.2.0/24 via 10.250.0.13 dev eth0 \n'],
      ] as Array<[string, FakeAnswer]>,
      want: [
        'iptables -w 5 -t nat -N SKIFF-POD-NAT',
        'iptables -w 5 -t nat -A SKIFF-POD-NAT -m mark --mark 0x4000/0x4000 -j RETURN',
        'iptables -w 5 -t nat -A SKIFF-POD-NAT -s 10.244.0.0/16 -d 10.244.0.0/16 -j ACCEPT',
        'iptables -w 5 -t nat -I POSTROUTING 1 -j SKIFF-POD-NAT',
      ],
    },
  ])('$what', async ({ script, want }) => {
    const { runner, routes } = routesWith(script);
    await routes.reconcile(nodes);
    expect(writes(runner)).toEqual(want);
  });

  it('keeps routing the other nodes when one route cannot be set', async () => {
    const { runner, routes } = routesWith([['ip route replace 10.244.1.0/24', { exitCode: 2, stderr: 'Error: Nexthop has invalid gateway.\n' }]]);
    await routes.reconcile(nodes);
    expect(writes(runner)).toEqual(['ip route replace 10.244.1.0/24 via 10.250.0.12 proto 250', 'ip route replace 10.244.2.0/24 via 10.250.0.13 proto 250']);
  });

  it('fails the pass when iptables cannot be read (to be retried)', async () => {
    const { routes } = routesWith([['iptables -w 5 -t filter -S FORWARD', { exitCode: 4, stderr: 'iptables: permission denied' }]]);
    await expect(routes.reconcile(nodes)).rejects.toThrow(/permission denied/);
  });

  it('refuses a cluster CIDR that is not an IPv4 network', () => {
    const client = new RestClient({ server: 'http://127.0.0.1:1' });
    try {
      expect(() => new HostGatewayRoutes({ client, nodeName: 'a', clusterCIDR: '10.244.0.1/16', logger })).toThrow(/invalid cluster CIDR/);
    } finally {
      client.close();
    }
  });
});

// Host-gateway routes and the SKIFF-FORWARD chain with the real `ip` and iptables, inside network
// namespaces this test makes (never the machine's own): two "nodes" A and B on one veth link, each with
// its own HostGatewayRoutes fed by an in-process API server, and a "pod" namespace P behind A holding an
// address of A's pod CIDR. B reaches P only through the route to A's CIDR and A's FORWARD accept (the
// FORWARD policy is DROP, as Docker sets it); P reaches B's pod with its own address although A has a
// Docker-style MASQUERADE rule. Routes Skiff did not mark are left alone.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../api/index.js';
import { HostGatewayRoutes } from '../../agent/network/index.js';
import { nodesResource } from '../../control-plane/controllers/resources.js';
import { connectVeth, createNetns, deleteAllNetns, netnsSupported, type Netns } from '../support/netns.js';
import { eventually } from '../support/eventually.js';
import { startIpamHarness, type IpamHarness } from '../nodeipam/harness.js';

const clusterCIDR = '10.244.0.0/16';
const logger = pino({ level: process.env['SKIFF_TEST_LOG'] ?? 'silent' });

let h: IpamHarness;
let nsA: Netns;
let nsB: Netns;
let nsP: Netns;
const running: HostGatewayRoutes[] = [];

async function addNode(name: string, podCIDR: string, ip: string): Promise<void> {
  const made = await h.createNode(name, { podCIDR, podCIDRs: [podCIDR] });
  await h.client.updateStatus<Node>(nodesResource, { ...made, status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] } });
}

async function startRoutes(ns: Netns, nodeName: string): Promise<HostGatewayRoutes> {
  const r = new HostGatewayRoutes({ client: h.client, nodeName, clusterCIDR, netnsPath: ns.path, logger, resyncMs: 1_000 });
  running.push(r);
  await r.start();
  return r;
}

async function stopRoutes(r: HostGatewayRoutes): Promise<void> {
  running.splice(running.indexOf(r), 1);
  await r.stop();
}

const ourRoutes = async (ns: Netns): Promise<string> => (await ns.exec(['ip', '-4', 'route', 'show', 'table', 'main', 'proto', '250'])).trim();

async function pings(from: Netns, ip: string): Promise<boolean> {
  try {
    await from.exec(['busybox', 'ping', '-c', '1', '-W', '2', ip]);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  if (!(await netnsSupported())) throw new Error('needs root with ip and nsenter (network namespaces)');
  h = await startIpamHarness();
  nsA = await createNetns('skiff-tn');
  nsB = await createNetns('skiff-tn');
  nsP = await createNetns('skiff-tn');
  // The node link: A 10.99.7.11, B 10.99.7.12 (and .13, standing in for a third node C).
  await connectVeth(nsA, 'nodea0', '10.99.7.11/24', nsB, 'nodeb0', ['10.99.7.12/24', '10.99.7.13/24']);
  // A's pod: P holds 10.244.0.5 behind A's 10.244.0.1, default route back through A.
  await connectVeth(nsA, 'poda0', '10.244.0.1/24', nsP, 'eth0', ['10.244.0.5/24']);
  await nsP.exec(['ip', 'route', 'add', 'default', 'via', '10.244.0.1']);
  // A forwards like a Docker host: ip_forward on, FORWARD policy DROP.
  await nsA.exec(['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
  await nsA.exec(['iptables', '-w', '5', '-P', 'FORWARD', 'DROP']);
  // ...and masquerades what leaves its pod bridge for another interface, as Docker's rule does.
  await nsA.exec(['iptables', '-w', '5', '-t', 'nat', '-A', 'POSTROUTING', '-s', '10.244.0.0/24', '!', '-o', 'poda0', '-j', 'MASQUERADE']);
  // B counts what arrives from A's pod by its own address (un-NATed).
  await nsB.exec(['iptables', '-w', '5', '-A', 'INPUT', '-s', '10.244.0.5/32', '-j', 'ACCEPT']);
  // B's "pods" answer on its own pod CIDR (an address on lo is enough to be reachable there).
  await nsB.exec(['ip', 'addr', 'add', '10.244.1.5/32', 'dev', 'lo']);
  await addNode('a', '10.244.0.0/24', '10.99.7.11');
  await addNode('b', '10.244.1.0/24', '10.99.7.12');
  await addNode('c', '10.244.2.0/24', '10.99.7.13');
  // A route someone else owns: never touched.
  await nsA.exec(['ip', 'route', 'add', '10.244.200.0/24', 'via', '10.99.7.12']);
}, 60_000);

afterAll(async () => {
  for (const r of [...running]) await r.stop();
  await deleteAllNetns();
  await h?.stop();
});

describe('host-gateway routes between node namespaces', () => {
  it('without routes and FORWARD rules, B cannot reach the pod behind A', async () => {
    await nsB.exec(['ip', 'route', 'add', '10.244.0.0/24', 'via', '10.99.7.11']); // a route alone is not enough
    expect(await pings(nsB, '10.244.0.5')).toBe(false);
    await nsB.exec(['ip', 'route', 'del', '10.244.0.0/24', 'via', '10.99.7.11']);
  });

  it('routes every other node\'s pod CIDR via its InternalIP, marked proto 250', async () => {
    await startRoutes(nsA, 'a');
    expect((await ourRoutes(nsA)).split('\n').map((l) => l.trim())).toEqual([
      '10.244.1.0/24 via 10.99.7.12 dev nodea0',
      '10.244.2.0/24 via 10.99.7.13 dev nodea0',
    ]);
    const forward = await nsA.exec(['iptables', '-w', '5', '-S', 'FORWARD']);
    expect(forward.split('\n')[1]).toBe('-A FORWARD -j SKIFF-FORWARD');
    expect(await nsA.exec(['iptables', '-w', '5', '-S', 'SKIFF-FORWARD'])).toContain(`-A SKIFF-FORWARD -d ${clusterCIDR} -j ACCEPT`);
    expect(await pings(nsA, '10.244.1.5')).toBe(true);
  });

  it('lets another node reach a pod through the routes and the FORWARD accept (policy DROP)', async () => {
    await startRoutes(nsB, 'b');
    expect(await ourRoutes(nsB)).toContain('10.244.0.0/24 via 10.99.7.11');
    await eventually('B to reach the pod behind A', () => pings(nsB, '10.244.0.5'), 30_000, 250);
  });

  it('keeps pod-to-pod traffic across nodes un-NATed despite the bridge\'s masquerade rule', async () => {
    // Replies to B's own earlier pings of P also come from 10.244.0.5: count only from here on.
    await nsB.exec(['iptables', '-w', '5', '-Z', 'INPUT']);
    await eventually('A\'s pod to reach B\'s pod', () => pings(nsP, '10.244.1.5'), 30_000, 250);
    const saved = await nsB.exec(['iptables-save', '-c', '-t', 'filter']);
    const counted = /^\[(\d+):\d+\] -A INPUT -s 10\.244\.0\.5\/32 -j ACCEPT$/m.exec(saved);
    expect(Number(counted?.[1] ?? 0)).toBeGreaterThan(0);
    expect(await nsA.exec(['iptables', '-w', '5', '-t', 'nat', '-S', 'POSTROUTING'])).toMatch(/^-A POSTROUTING -j SKIFF-POD-NAT$/m);
  });

  it('removes the route of a deleted node and leaves routes it did not add', async () => {
    await h.client.delete(nodesResource, 'c');
    await eventually('the route to c to go', async () => !(await ourRoutes(nsA)).includes('10.244.2.0/24'), 30_000, 100);
    expect(await nsA.exec(['ip', '-4', 'route', 'show', '10.244.200.0/24'])).toContain('via 10.99.7.12');
  });

  it('a restarted agent adopts its routes and removes those of nodes deleted while it was down', async () => {
    const a = running.find(() => true)!;
    await stopRoutes(a);
    await addNode('c', '10.244.2.0/24', '10.99.7.13');
    await h.client.delete(nodesResource, 'b');
    const before = await ourRoutes(nsA);
    expect(before).toContain('10.244.1.0/24'); // still there: nobody ran
    await startRoutes(nsA, 'a');
    expect((await ourRoutes(nsA)).split('\n').map((l) => l.trim())).toEqual(['10.244.2.0/24 via 10.99.7.13 dev nodea0']);
  });

  it('moves its FORWARD jump back to the top when another chain was inserted above it', async () => {
    await nsA.exec(['iptables', '-w', '5', '-N', 'DOCKER-USER']);
    await nsA.exec(['iptables', '-w', '5', '-I', 'FORWARD', '1', '-j', 'DOCKER-USER']);
    await eventually('the jump back at the top (periodic resync)', async () => {
      const rules = (await nsA.exec(['iptables', '-w', '5', '-S', 'FORWARD'])).split('\n').filter((l) => l.startsWith('-A FORWARD'));
      return rules[0] === '-A FORWARD -j SKIFF-FORWARD' && rules.filter((l) => l.endsWith('SKIFF-FORWARD')).length === 1;
    }, 30_000, 200);
  });
});

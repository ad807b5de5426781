// The service proxy against real iptables (the machine's `iptables`; hack/ selects the legacy backend), inside
// network namespaces this file creates: a "node" namespace where the proxier writes its rules, and a
// "pods" namespace behind a veth whose addresses are the endpoints. Nothing touches the machine's own
// rules or interfaces; afterAll deletes both namespaces (and every rule in them) even after a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealIptablesRunner } from '../../agent/proxy/iptables-runner.js';
import { IptablesProxier } from '../../agent/proxy/proxier.js';
import { deleteAllNetns, type Netns } from '../support/netns.js';
import { expectGolden } from '../proxy/golden.js';
import { probe, probeFor } from '../proxy/traffic.js';
import {
  createProxyScene, dns, dnsVIP, emptyService, emptyVIP, ep1, ep2, ep3, feed, notReady, sceneProxierOptions, sharedTrafficCases,
  sticky, stickySlice, stickyVIP, web, webSlice, webVIP,
} from '../proxy/traffic-scene.js';

const empty = emptyService();

let nodeNs: Netns;
let runner: RealIptablesRunner;
const proxiers: IptablesProxier[] = [];

function newProxier(): IptablesProxier {
  const p = new IptablesProxier({ runner, ...sceneProxierOptions(nodeNs) });
  proxiers.push(p);
  return p;
}

/** iptables-save with what varies between runs taken out: timestamps, counters. */
async function savedRules(): Promise<string> {
  const text = (await runner.save('filter')) + (await runner.save('nat'));
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]$/, '[0:0]'))
    .join('\n');
}

/** Hashes replaced by their order of first appearance, so the golden text reads as structure. */
function normaliseHashes(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/SKIFF-(SVC|SEP)-[A-Z2-7]{16}/g, (m, kind: string) => {
    if (!seen.has(m)) seen.set(m, `SKIFF-${kind}-<${seen.size + 1}>`);
    return seen.get(m)!;
  });
}

beforeAll(async () => {
  ({ nodeNs } = await createProxyScene());
  runner = new RealIptablesRunner({ netnsPath: nodeNs.path });
});

afterAll(async () => {
  for (const p of proxiers) await p.stop();
  await deleteAllNetns();
});

describe('service proxy with real iptables in a network namespace', () => {
  let proxier: IptablesProxier;

  it('applies the payload so that iptables-save in the namespace matches the golden rules', async () => {
    proxier = newProxier();
    feed(proxier, [web, empty, sticky], [webSlice([ep1, ep2, ep3], [notReady]), stickySlice]);
    await proxier.start();
    expectGolden('iptables-save-netns.txt', normaliseHashes(await savedRules()));
  });

  sharedTrafficCases(() => ({ proxier, nodeNs }));

  it('refuses connections at once to a service without endpoints and to a VIP with no service', async () => {
    for (const vip of [emptyVIP, '10.96.0.99']) {
      const result = await probe(nodeNs, vip, 80, 3, 5000);
      expect(result).toEqual({ answers: {}, errors: { ECONNREFUSED: 3 } });
    }
  });

  it('stops sending traffic to an endpoint removed from the slice', async () => {
    proxier.onEndpointSliceUpdate(webSlice([ep1, ep2]));
    await proxier.sync();
    const result = await probe(nodeNs, webVIP, 80, 40);
    expect(result.errors).toEqual({});
    expect(Object.keys(result.answers).sort()).toEqual([ep1, ep2]);
  });

  it('keeps traffic flowing while a restarted proxier re-syncs the same state', async () => {
    const during = probeFor(nodeNs, webVIP, 80, 4000);
    for (let i = 0; i < 3; i++) {
      await proxier.stop();
      proxier = newProxier();
      feed(proxier, [web, empty, sticky], [webSlice([ep1, ep2]), stickySlice]);
      await proxier.start();
    }
    const result = await during;
    expect(result.errors).toEqual({});
    expect((result.answers[ep1] ?? 0) + (result.answers[ep2] ?? 0)).toBeGreaterThan(10);
    // The DNS service was not fed to the restarted proxiers: its chains from the earlier run are gone.
    expect(await savedRules()).not.toContain(dnsVIP);
  });

  it('leaves no rule behind for deleted services', async () => {
    for (const s of [web, empty, sticky, dns]) proxier.onServiceDelete(s);
    await proxier.sync();
    const saved = await savedRules();
    expect(saved).not.toMatch(/SKIFF-(SVC|SEP)-/);
    expect(saved).not.toContain(webVIP);
    expect(saved).not.toContain(stickyVIP);
    const result = await probe(nodeNs, webVIP, 80, 2, 5000);
    expect(result.errors).toEqual({ ECONNREFUSED: 2 });
  });

  it('adds each jump rule exactly once however often it is ensured', async () => {
    await runner.ensureJumpRules();
    await runner.ensureJumpRules();
    const saved = await savedRules();
    expect(saved.match(/^-A OUTPUT .*-j SKIFF-SERVICES$/gm)).toHaveLength(2); // nat and filter
    expect(saved.match(/^-A PREROUTING .*-j SKIFF-SERVICES$/gm)).toHaveLength(1);
    expect(saved.match(/^-A INPUT .*-j SKIFF-FIREWALL$/gm)).toHaveLength(1);
  });
});

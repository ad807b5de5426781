// `npx tsx bench/proxy/run.ts`: how long the proxy takes to put N services into iptables, against the
// per-rule baseline (one `iptables` process per rule, what a naive proxy would do), in a network
// namespace this script creates and always deletes: the machine's own rules are never touched.
//
// Measured: full sync (render + one iptables-restore) into an empty table for 1k/5k/10k services with
// 3 endpoints each; a full re-sync over the existing 10k rules (what a restart does); one endpoint change
// in the 10k cluster (the proxier's partial sync); and the baseline, capped at BENCH_BASELINE_CAP_S
// (default 30 s) per size, with the remainder extrapolated linearly (which flatters the baseline: each
// iptables call re-reads the whole table, so later rules are slower than earlier ones).
import { randomBytes } from 'node:crypto';
import type { EndpointSlice, Service } from '../../api/types/index.js';
import { RealIptablesRunner } from '../../agent/proxy/iptables-runner.js';
import { runCommand } from '../../agent/proxy/run-command.js';
import { chainNames, renderPayload, renderState, sameRendered, RenderCache, type ExistingChains, type RenderedRules } from '../../agent/proxy/rules/index.js';
import { formatMs } from '../support/stats.js';

const sizes = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
/** Which iptables tools: BENCH_IPTABLES=iptables (Debian's default, nf_tables here) or iptables-legacy. */
const backend = (process.env.BENCH_IPTABLES ?? 'iptables') as 'iptables' | 'iptables-nft' | 'iptables-legacy';
const baselineCapMs = Number(process.env.BENCH_BASELINE_CAP_S ?? 30) * 1000;
const renderOptions = { clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12' };
const noChains: ExistingChains = { nat: new Set(), filter: new Set() };

function ip(base: number, i: number): string {
  return `${base >>> 24}.${(base >>> 16) & 255 | ((i >>> 16) & 255)}.${(i >>> 8) & 255}.${i & 255}`;
}

function cluster(n: number): { services: Service[]; endpointSlices: EndpointSlice[] } {
  const services: Service[] = [];
  const endpointSlices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    services.push({ metadata: { namespace: 'bench', name }, spec: { type: 'ClusterIP', clusterIP: ip(0x0a600000, i + 1), ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    endpointSlices.push(sliceFor(name, [0, 1, 2].map((k) => ip(0x0af40000, i * 3 + k + 1))));
  }
  return { services, endpointSlices };
}

function sliceFor(name: string, ips: string[]): EndpointSlice {
  return {
    metadata: { namespace: 'bench', name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    endpoints: ips.map((a) => ({ addresses: [a], conditions: { ready: true } })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

interface Netns { name: string; path: string }

async function withNetns<T>(fn: (ns: Netns) => Promise<T>): Promise<T> {
  const name = `skiff-bench-${randomBytes(4).toString('hex')}`;
  await runCommand({}, ['ip', 'netns', 'add', name]);
  try {
    return await fn({ name, path: `/var/run/netns/${name}` });
  } finally {
    await runCommand({}, ['ip', 'netns', 'del', name]);
  }
}

const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
};

const existingOf = (r: RenderedRules): ExistingChains => ({ nat: chainNames(r.nat), filter: chainNames(r.filter) });
const ruleCount = (r: RenderedRules): number => [...r.nat, ...r.filter].reduce((n, c) => n + c.rules.length, 0);

/** Splits one `-A ...` line into argv, honouring the double quotes around comments. */
function splitArgs(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** The per-rule baseline: `iptables -N` per chain, `iptables -A` per rule, until the cap. */
async function baseline(ns: Netns, rules: RenderedRules): Promise<{ done: number; total: number; ms: number; extrapolatedMs: number }> {
  const cmds: string[][] = [];
  for (const table of ['filter', 'nat'] as const) {
    for (const c of rules[table]) cmds.push([backend, '-w', '-t', table, '-N', c.name]);
    for (const c of rules[table]) for (const r of c.rules) cmds.push([backend, '-w', '-t', table, ...splitArgs(r)]);
  }
  const t0 = performance.now();
  let done = 0;
  for (const argv of cmds) {
    if (performance.now() - t0 > baselineCapMs) break;
    await runCommand({ netnsPath: ns.path }, argv);
    done++;
  }
  const ms = performance.now() - t0;
  return { done, total: cmds.length, ms, extrapolatedMs: (ms / done) * cmds.length };
}

/** Each figure as soon as it is measured (stderr), since the whole run takes minutes. */
function progress(what: string, ms: number): void {
  console.error(`  ${what}: ${formatMs(ms)}`);
}

interface Row { what: string; rules: number; renderMs: number; restoreMs: number; totalMs: number; baselineMs?: number; baselineNote?: string }

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const n of sizes) {
    const state = cluster(n);
    await withNetns(async (ns) => {
      const runner = new RealIptablesRunner({ netnsPath: ns.path, command: backend });
      // The proxier keeps one RenderCache: the first render fills it, later ones re-render what changed.
      const cached = { ...renderOptions, cache: new RenderCache() };
      const [rendered, renderMs] = await time(() => renderState({ ...state, nodeAddresses: [] }, cached));
      const [payload, payloadMs] = await time(() => renderPayload(rendered, { existing: noChains }));
      const [, restoreMs] = await time(() => runner.restore(payload, { noflush: true }));
      progress(`full sync, ${n} services`, renderMs + payloadMs + restoreMs);
      rows.push({ what: `full sync, ${n} services`, rules: ruleCount(rendered), renderMs: renderMs + payloadMs, restoreMs, totalMs: renderMs + payloadMs + restoreMs });

      if (n === Math.max(...sizes)) {
        // A restart: every chain rewritten over the same rules already in place.
        const [again, againRenderMs] = await time(() => renderPayload(renderState({ ...state, nodeAddresses: [] }, renderOptions), { existing: existingOf(rendered) }));
        const [, againRestoreMs] = await time(() => runner.restore(again, { noflush: true }));
        progress(`full re-sync over existing, ${n}`, againRenderMs + againRestoreMs);
        rows.push({ what: `full re-sync over existing, ${n}`, rules: ruleCount(rendered), renderMs: againRenderMs, restoreMs: againRestoreMs, totalMs: againRenderMs + againRestoreMs });

        // One endpoint of one service replaced, as the proxier does it: render everything, compare with
        // the last render, write only the changed chains. Five different services; the median is reported.
        let current = rendered;
        const samples: Array<{ renderMs: number; restoreMs: number; rules: number }> = [];
        for (let k = 0; k < 5; k++) {
          const idx = Math.floor((n * (k + 1)) / 7);
          const changed = { ...state, endpointSlices: [...state.endpointSlices] };
          changed.endpointSlices[idx] = sliceFor(`svc-${idx}`, [`10.250.0.${k + 1}`, ...state.endpointSlices[idx]!.endpoints.slice(1).map((e) => e.addresses[0]!)]);
          const [[next, partial], partialRenderMs] = await time(() => {
            const next = renderState({ ...changed, nodeAddresses: [] }, cached);
            if (sameRendered(next, current)) throw new Error('the change rendered nothing new');
            return [next, renderPayload(next, { existing: existingOf(current), previous: current })] as const;
          });
          const [, partialRestoreMs] = await time(() => runner.restore(partial, { noflush: true }));
          samples.push({ renderMs: partialRenderMs, restoreMs: partialRestoreMs, rules: partial.split('\n').filter((l) => l.startsWith('-A')).length });
          current = next;
          state.endpointSlices[idx] = changed.endpointSlices[idx]!;
        }
        samples.sort((a, b) => a.renderMs + a.restoreMs - (b.renderMs + b.restoreMs));
        const median = samples[2]!;
        progress(`one endpoint change, ${n} (median of 5)`, median.renderMs + median.restoreMs);
        rows.push({ what: `one endpoint change, ${n} (median)`, rules: median.rules, renderMs: median.renderMs, restoreMs: median.restoreMs, totalMs: median.renderMs + median.restoreMs });
      }
    });
    // The baseline in a fresh namespace, so it starts from the same empty table.
    await withNetns(async (ns) => {
      const rendered = renderState({ ...state, nodeAddresses: [] }, renderOptions);
      const b = await baseline(ns, rendered);
      const row = rows.find((r) => r.what === `full sync, ${n} services`)!;
      row.baselineMs = b.extrapolatedMs;
      progress(`per-rule baseline, ${n} services (${b.done}/${b.total} commands)`, b.extrapolatedMs);
      row.baselineNote = b.done === b.total ? `${b.done} commands` : `${b.done}/${b.total} commands in ${(b.ms / 1000).toFixed(0)} s, extrapolated`;
    });
  }
  print(rows, (await runCommand({}, [backend, '--version'])).trim());
}

function print(rows: Row[], backend: string): void {
  const pad = (s: string, w: number) => s.padEnd(w);
  console.log(`iptables backend: ${backend}`);
  console.log([pad('case', 38), pad('rules', 8), pad('render', 13), pad('restore', 13), pad('total', 13), pad('per-rule baseline', 20), 'ratio'].join(''));
  for (const r of rows) {
    const ratio = r.baselineMs ? `${(r.baselineMs / r.totalMs).toFixed(0)}x (${r.baselineNote})` : '';
    console.log([pad(r.what, 38), pad(String(r.rules), 8), pad(formatMs(r.renderMs), 13), pad(formatMs(r.restoreMs), 13), pad(formatMs(r.totalMs), 13),
      pad(r.baselineMs ? formatMs(r.baselineMs) : '', 20), ratio].join(''));
  }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });

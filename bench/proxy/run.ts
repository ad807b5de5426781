// `npx tsx bench/proxy/run.ts`: how long the proxy takes to put N services into the kernel, in both proxy
// modes side by side (iptables-restore and nftables), against the per-rule baseline (one `iptables`
// process per rule, what a naive proxy would do), in network namespaces this script creates and always
// deletes: the machine's own rules are never touched.
//
// Measured per mode: full sync (render + one iptables-restore / one `nft -f -`) into an empty namespace
// for 1k/5k/10k services with 3 endpoints each; a full re-sync over the existing 10k rules (what a restart
// does); one endpoint change in the 10k cluster (the proxier's partial sync, median of 5). The baseline is
// capped at BENCH_BASELINE_CAP_S (default 30 s) per size, with the remainder extrapolated linearly (which
// flatters the baseline: each iptables call re-reads the whole table, so later rules are slower).
// BENCH_PROXY_MODE=iptables|nftables|both (default both); BENCH_IPTABLES picks the iptables flavour.
import { randomBytes } from 'node:crypto';
import type { EndpointSlice, Service } from '../../api/types/index.js';
import { runCommand } from '../../agent/proxy/run-command.js';
import { chainNames, renderPayload, renderState, sameRendered, RenderCache, servicePorts, ServicePortsCache, type ExistingChains, type RenderedRules } from '../../agent/proxy/rules/index.js';
import { NftRenderCache, RealNftRunner, renderRuleset, renderScript, sameRuleset, type NftRuleset } from '../../agent/proxy/nftables/index.js';
import os from 'node:os';
import fs from 'node:fs/promises';
import { formatMs } from '../support/stats.js';

const sizes = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
/** Which iptables tools: BENCH_IPTABLES=iptables (Debian's default, nf_tables here) or iptables-legacy. */
const backend = (process.env.BENCH_IPTABLES ?? 'iptables') as 'iptables' | 'iptables-nft' | 'iptables-legacy';
const modes = (process.env.BENCH_PROXY_MODE ?? 'both') === 'both' ? ['iptables', 'nftables'] : [process.env.BENCH_PROXY_MODE!];
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

interface Row { mode: string; what: string; rules: number; renderMs: number; restoreMs: number; totalMs: number; cpuMs?: number; baselineMs?: number; baselineNote?: string }

/** CPU time (user + sys) of the last timed apply: on a shared, loaded machine wall time mostly measures the queue. */
let lastCpuMs = 0;

/**
 * Runs the same command the runner would (iptables-restore / nft -f -) under /usr/bin/time, so the
 * child's CPU time is known too. Resolves when it is done, like the runner.
 */
async function timedApply(ns: Netns, argv: string[], stdin: string): Promise<void> {
  const out = `/tmp/skiff-bench-time-${randomBytes(4).toString('hex')}`;
  try {
    await runCommand({ netnsPath: ns.path }, ['/usr/bin/time', '-o', out, '-f', '%U %S', ...argv], stdin);
    const [user = 0, sys = 0] = (await fs.readFile(out, 'utf8')).trim().split('\n').at(-1)!.split(' ').map(Number);
    lastCpuMs = (user + sys) * 1000;
  } finally {
    await fs.rm(out, { force: true });
  }
}

/** The iptables-restore mode: what IptablesProxier does, step by step. */
async function measureIptables(rows: Row[], n: number, state: ReturnType<typeof cluster>, largest: boolean): Promise<void> {
  const mode = `iptables-restore (${backend})`;
  await withNetns(async (ns) => {
    const restore = (payload: string) => timedApply(ns, [`${backend}-restore`, '--noflush', '-w', '5'], payload);
    // The proxier keeps one RenderCache: the first render fills it, later ones re-render what changed.
    const cached = { ...renderOptions, cache: new RenderCache() };
    const [rendered, renderMs] = await time(() => renderState({ ...state, nodeAddresses: [] }, cached));
    const [payload, payloadMs] = await time(() => renderPayload(rendered, { existing: noChains }));
    const [, restoreMs] = await time(() => restore(payload));
    progress(`${mode}: full sync, ${n} services`, renderMs + payloadMs + restoreMs);
    rows.push({ mode, what: `full sync, ${n} services`, rules: ruleCount(rendered), renderMs: renderMs + payloadMs, restoreMs, totalMs: renderMs + payloadMs + restoreMs, cpuMs: lastCpuMs });
    if (!largest) return;

    // A restart: every chain rewritten over the same rules already in place.
    const [again, againRenderMs] = await time(() => renderPayload(renderState({ ...state, nodeAddresses: [] }, renderOptions), { existing: existingOf(rendered) }));
    const [, againRestoreMs] = await time(() => restore(again));
    progress(`${mode}: full re-sync over existing, ${n}`, againRenderMs + againRestoreMs);
    rows.push({ mode, what: `full re-sync over existing, ${n}`, rules: ruleCount(rendered), renderMs: againRenderMs, restoreMs: againRestoreMs, totalMs: againRenderMs + againRestoreMs, cpuMs: lastCpuMs });

    // One endpoint of one service replaced, as the proxier does it: render everything, compare with
    // the last render, write only the changed chains. Five different services; the median is reported.
    let current = rendered;
    const samples = await changeSamples(n, state, async (changed) => {
      const [[next, partial], partialRenderMs] = await time(() => {
        const next = renderState({ ...changed, nodeAddresses: [] }, cached);
        if (sameRendered(next, current)) throw new Error('the change rendered nothing new');
        return [next, renderPayload(next, { existing: existingOf(current), previous: current })] as const;
      });
      const [, partialRestoreMs] = await time(() => restore(partial));
      current = next;
      return { renderMs: partialRenderMs, restoreMs: partialRestoreMs, cpuMs: lastCpuMs, rules: partial.split('\n').filter((l) => l.startsWith('-A')).length };
    });
    rows.push({ mode, what: `one endpoint change, ${n} (median)`, ...medianOf(samples) });
    progress(`${mode}: one endpoint change, ${n} (median of 5)`, rows.at(-1)!.totalMs);
  });
}

/** The nftables mode: what NftablesProxier does, step by step. */
async function measureNftables(rows: Row[], n: number, state: ReturnType<typeof cluster>, largest: boolean): Promise<void> {
  const mode = 'nftables (nft -f)';
  // As the proxier: both caches live as long as the proxier; an uncached render is what a restart does.
  const portsCache = new ServicePortsCache();
  const render = (s: ReturnType<typeof cluster>, cache?: NftRenderCache): NftRuleset =>
    renderRuleset(servicePorts(s.services, s.endpointSlices, cache ? portsCache : undefined), { ...renderOptions, cache });
  const nftRules = (r: NftRuleset): number => [...r.chains.values()].reduce((k, c) => k + c.rules.length, 0);
  await withNetns(async (ns) => {
    const runner = new RealNftRunner({ netnsPath: ns.path });
    const apply = (script: string) => timedApply(ns, ['nft', '-f', '-'], script);
    const cache = new NftRenderCache();
    // As the proxier's first sync: render, list what exists (nothing here), write it all.
    const [[rendered, script], renderMs] = await time(async () => {
      const r = render(state, cache);
      return [r, renderScript(r, { existing: await runner.listExisting() })] as const;
    });
    const [, applyMs] = await time(() => apply(script));
    progress(`${mode}: full sync, ${n} services`, renderMs + applyMs);
    rows.push({ mode, what: `full sync, ${n} services`, rules: nftRules(rendered), renderMs, restoreMs: applyMs, totalMs: renderMs + applyMs, cpuMs: lastCpuMs });
    if (!largest) return;

    const [again, againRenderMs] = await time(async () => renderScript(render(state), { existing: await runner.listExisting() }));
    const [, againApplyMs] = await time(() => apply(again));
    progress(`${mode}: full re-sync over existing, ${n}`, againRenderMs + againApplyMs);
    rows.push({ mode, what: `full re-sync over existing, ${n}`, rules: nftRules(rendered), renderMs: againRenderMs, restoreMs: againApplyMs, totalMs: againRenderMs + againApplyMs, cpuMs: lastCpuMs });

    let current = rendered;
    const samples = await changeSamples(n, state, async (changed) => {
      const [[next, partial], partialRenderMs] = await time(() => {
        const next = render(changed, cache);
        if (sameRuleset(next, current)) throw new Error('the change rendered nothing new');
        return [next, renderScript(next, { previous: current })] as const;
      });
      const [, partialApplyMs] = await time(() => apply(partial));
      current = next;
      return { renderMs: partialRenderMs, restoreMs: partialApplyMs, cpuMs: lastCpuMs, rules: partial.split('\n').filter((l) => l.startsWith('add rule')).length };
    });
    rows.push({ mode, what: `one endpoint change, ${n} (median)`, ...medianOf(samples) });
    progress(`${mode}: one endpoint change, ${n} (median of 5)`, rows.at(-1)!.totalMs);
  });
}

interface Sample { renderMs: number; restoreMs: number; cpuMs: number; rules: number }

/** Five one-endpoint changes to different services, applied in turn with `apply`; `state` ends changed. */
async function changeSamples(n: number, state: ReturnType<typeof cluster>, apply: (changed: ReturnType<typeof cluster>) => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let k = 0; k < 5; k++) {
    const idx = Math.floor((n * (k + 1)) / 7);
    const changed = { ...state, endpointSlices: [...state.endpointSlices] };
    changed.endpointSlices[idx] = sliceFor(`svc-${idx}`, [`10.250.0.${k + 1}`, ...state.endpointSlices[idx]!.endpoints.slice(1).map((e) => e.addresses[0]!)]);
    samples.push(await apply(changed));
    state.endpointSlices[idx] = changed.endpointSlices[idx]!;
  }
  return samples;
}

function medianOf(samples: Sample[]): Omit<Row, 'mode' | 'what'> {
  const sorted = [...samples].sort((a, b) => a.renderMs + a.restoreMs - (b.renderMs + b.restoreMs));
  const m = sorted[Math.floor(sorted.length / 2)]!;
  return { rules: m.rules, renderMs: m.renderMs, restoreMs: m.restoreMs, totalMs: m.renderMs + m.restoreMs, cpuMs: m.cpuMs };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const loadBefore = os.loadavg()[0]!;
  for (const n of sizes) {
    const largest = n === Math.max(...sizes);
    // Each mode gets its own copy: the change samples edit the state they are given.
    if (modes.includes('iptables')) await measureIptables(rows, n, cluster(n), largest);
    if (modes.includes('nftables')) await measureNftables(rows, n, cluster(n), largest);
    // The baseline in a fresh namespace, so it starts from the same empty table.
    if (baselineCapMs > 0) {
      await withNetns(async (ns) => {
        const rendered = renderState({ ...cluster(n), nodeAddresses: [] }, renderOptions);
        const b = await baseline(ns, rendered);
        progress(`per-rule baseline, ${n} services (${b.done}/${b.total} commands)`, b.extrapolatedMs);
        for (const row of rows.filter((r) => r.what === `full sync, ${n} services`)) {
          row.baselineMs = b.extrapolatedMs;
          row.baselineNote = b.done === b.total ? `${b.done} commands` : `${b.done}/${b.total} commands in ${(b.ms / 1000).toFixed(0)} s, extrapolated`;
        }
      });
    }
  }
  const versions = [(await runCommand({}, [backend, '--version'])).trim(), (await runCommand({}, ['nft', '--version'])).trim(), `kernel ${os.release()}`];
  print(rows, versions, [loadBefore, os.loadavg()[0]!]);
}

function print(rows: Row[], versions: string[], load: number[]): void {
  const pad = (s: string, w: number) => s.padEnd(w);
  console.log(`${versions.join('; ')}; 1-min load average ${load.map((l) => l.toFixed(1)).join(' -> ')} on ${os.cpus().length} CPUs`);
  console.log([pad('mode', 34), pad('case', 38), pad('rules', 8), pad('render', 13), pad('apply', 13), pad('total', 13), pad('apply CPU', 13), pad('per-rule baseline', 20), 'ratio'].join(''));
  const order = (r: Row) => rows.findIndex((x) => x.what === r.what);
  for (const r of [...rows].sort((a, b) => order(a) - order(b))) {
    const ratio = r.baselineMs ? `${(r.baselineMs / r.totalMs).toFixed(0)}x (${r.baselineNote})` : '';
    console.log([pad(r.mode, 34), pad(r.what, 38), pad(String(r.rules), 8), pad(formatMs(r.renderMs), 13), pad(formatMs(r.restoreMs), 13), pad(formatMs(r.totalMs), 13),
      pad(r.cpuMs !== undefined ? formatMs(r.cpuMs) : '', 13), pad(r.baselineMs ? formatMs(r.baselineMs) : '', 20), ratio].join(''));
  }
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });

// Traffic helpers for the proxy integration tests: TCP "endpoints" that answer with their own address,
// and a bounded client, each a small node program started inside a test network namespace.
import type { ChildProcess } from 'node:child_process';
import { waitForLine, type Netns } from '../support/netns.js';

// Listens on every given address at one port; each connection gets the address it reached, then EOF.
const serverScript = `
const net = require('node:net');
const [port, ...addrs] = process.argv.slice(1);
let up = 0;
for (const addr of addrs) {
  net.createServer((s) => { s.on('error', () => {}); s.end(addr + '\\n'); })
    .listen(Number(port), addr, () => { if (++up === addrs.length) console.log('ready'); });
}
`;

// Opens connections one after another (count of them, or for durationMs) and prints a JSON summary:
// answers per endpoint and errors per code. Every connection is bounded by timeoutMs.
const clientScript = `
const net = require('node:net');
const [host, port, count, durationMs, timeoutMs] = process.argv.slice(1).map((v, i) => i === 0 ? v : Number(v));
const answers = {}, errors = {};
const once = () => new Promise((resolve) => {
  const s = net.connect({ host, port });
  let data = '';
  const done = (key, map) => { map[key] = (map[key] || 0) + 1; s.destroy(); resolve(); };
  s.setTimeout(timeoutMs, () => done('TIMEOUT', errors));
  s.on('data', (d) => { data += d; });
  s.on('end', () => done(data.trim() || 'EMPTY', answers));
  s.on('error', (e) => done(e.code || String(e), errors));
});
(async () => {
  const start = Date.now();
  for (let i = 0; durationMs > 0 ? Date.now() - start < durationMs : i < count; i++) await once();
  console.log(JSON.stringify({ answers, errors }));
})();
`;

// UDP: each address answers a datagram with its own address.
const udpServerScript = `
const dgram = require('node:dgram');
const [port, ...addrs] = process.argv.slice(1);
let up = 0;
for (const addr of addrs) {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (_m, rinfo) => sock.send(addr, rinfo.port, rinfo.address));
  sock.bind(Number(port), addr, () => { if (++up === addrs.length) console.log('ready'); });
}
`;

// UDP: count datagrams, each from a fresh socket (a new flow, so a new load-balancing choice).
const udpClientScript = `
const dgram = require('node:dgram');
const [host, port, count, timeoutMs] = process.argv.slice(1).map((v, i) => i === 0 ? v : Number(v));
const answers = {}, errors = {};
const once = () => new Promise((resolve) => {
  const s = dgram.createSocket('udp4');
  const done = (key, map) => { map[key] = (map[key] || 0) + 1; clearTimeout(t); s.close(); resolve(); };
  const t = setTimeout(() => done('TIMEOUT', errors), timeoutMs);
  s.on('message', (m) => done(m.toString(), answers));
  s.on('error', (e) => done(e.code || String(e), errors));
  s.send('ping', port, host);
});
(async () => {
  for (let i = 0; i < count; i++) await once();
  console.log(JSON.stringify({ answers, errors }));
})();
`;

export interface ProbeResult {
  /** Connections answered, by the endpoint address that answered. */
  answers: Record<string, number>;
  /** Failed connections, by error code (ECONNREFUSED, TIMEOUT, ...). */
  errors: Record<string, number>;
}

/** Starts one process in `ns` serving `port` on each address; resolves once all listen. */
export async function startEndpointServers(ns: Netns, port: number, addrs: string[]): Promise<ChildProcess> {
  const child = ns.spawn([process.execPath, '-e', serverScript, String(port), ...addrs]);
  await waitForLine(child, (l) => l === 'ready');
  return child;
}

/** `count` sequential connections from inside `ns` to host:port. */
export async function probe(ns: Netns, host: string, port: number, count: number, timeoutMs = 3000): Promise<ProbeResult> {
  const out = await ns.exec([process.execPath, '-e', clientScript, host, String(port), String(count), '0', String(timeoutMs)]);
  return JSON.parse(out) as ProbeResult;
}

/** Starts a client that connects back to back for `durationMs`; its result arrives when it ends. */
export function probeFor(ns: Netns, host: string, port: number, durationMs: number, timeoutMs = 3000): Promise<ProbeResult> {
  return ns.exec([process.execPath, '-e', clientScript, host, String(port), '0', String(durationMs), String(timeoutMs)])
    .then((out) => JSON.parse(out) as ProbeResult);
}

/** Starts one process in `ns` answering UDP on `port` at each address; resolves once all are bound. */
export async function startUdpEndpointServers(ns: Netns, port: number, addrs: string[]): Promise<ChildProcess> {
  const child = ns.spawn([process.execPath, '-e', udpServerScript, String(port), ...addrs]);
  await waitForLine(child, (l) => l === 'ready');
  return child;
}

/** `count` datagrams from inside `ns` to host:port, one flow each, each waiting up to timeoutMs for its answer. */
export async function probeUdp(ns: Netns, host: string, port: number, count: number, timeoutMs = 3000): Promise<ProbeResult> {
  const out = await ns.exec([process.execPath, '-e', udpClientScript, host, String(port), String(count), String(timeoutMs)]);
  return JSON.parse(out) as ProbeResult;
}

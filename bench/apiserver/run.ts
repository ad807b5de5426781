// bench/apiserver: creates/s, gets/s, lists/s and watch delivery latency with 1,000 watchers, for the
// embedded SQLite store and for a real etcd, measured in the same run and printed as ratios to each other.
//
//   npx tsx bench/apiserver/run.ts [--creates 3000] [--watchers 1000]
//
// The server runs as a child process (`node dist/skiff.js server`, so build first) on its own core; this
// process is only the load generator. Traffic goes to 127.0.0.1 only.
import type http from 'node:http';
import { parseArgs } from 'node:util';
import type { ConnectionConfig } from '../../client/index.js';
import { agentFor, openStream } from '../../test/support/api-request.js';
import { startEtcd } from '../../test/support/etcd.js';
import { startSkiffServer } from '../../test/support/skiff-server.js';
import { HttpJson } from '../support/http-json.js';
import { formatMs, formatRate, printTable, quantile, runConcurrently } from '../support/stats.js';

interface Figures {
  createsPerSec: number;
  getsPerSec: number;
  listsPerSec: number;
  watchP50Ms: number;
  watchP99Ms: number;
  watchDelivered: number;
  watchExpected: number;
}

const { values: flags } = parseArgs({
  options: {
    creates: { type: 'string', default: '3000' },
    gets: { type: 'string', default: '20000' },
    lists: { type: 'string', default: '200' },
    watchers: { type: 'string', default: '1000' },
    events: { type: 'string', default: '100' },
  },
});
const creates = Number(flags.creates);
const gets = Number(flags.gets);
const lists = Number(flags.lists);
const watchers = Number(flags.watchers);
const watchEvents = Number(flags.events);
const concurrency = 64;
const ns = 'bench';

function configMap(name: string, size = 64): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { payload: 'x'.repeat(size) } };
}

async function measure(connection: ConnectionConfig): Promise<Figures> {
  const client = new HttpJson(connection, concurrency * 2);
  await client.expect('POST', '/api/v1/namespaces', 201, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

  const createMs = await runConcurrently(creates, concurrency, async (i) => {
    await client.expect('POST', `/api/v1/namespaces/${ns}/configmaps`, 201, configMap(`cm-${i}`));
  });
  const getMs = await runConcurrently(gets, concurrency, async (i) => {
    await client.expect('GET', `/api/v1/namespaces/${ns}/configmaps/cm-${i % creates}`, 200);
  });
  // Lists of the first 500 objects: the usual informer page size, so the figure means something per call.
  const listMs = await runConcurrently(lists, 8, async () => {
    await client.expect('GET', `/api/v1/namespaces/${ns}/configmaps?limit=500`, 200);
  });
  const watch = await measureWatchLatency(connection, client);
  client.close();
  return {
    createsPerSec: (creates * 1000) / createMs,
    getsPerSec: (gets * 1000) / getMs,
    listsPerSec: (lists * 1000) / listMs,
    ...watch,
  };
}

/**
 * Opens `watchers` watches on one collection, then writes `watchEvents` objects 20 ms apart and records, for
 * every watcher and every event, the time from the write being sent to the event arriving.
 */
async function measureWatchLatency(
  connection: ConnectionConfig,
  client: HttpJson,
): Promise<Pick<Figures, 'watchP50Ms' | 'watchP99Ms' | 'watchDelivered' | 'watchExpected'>> {
  const rv = JSON.parse(await client.expect('GET', `/api/v1/namespaces/${ns}/configmaps?limit=1`, 200)).metadata
    .resourceVersion as string;
  const agent = agentFor(connection, { keepAlive: false, maxSockets: watchers + 10 });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const responses: http.IncomingMessage[] = [];
  let ready = 0;
  await new Promise<void>((resolve, reject) => {
    for (let w = 0; w < watchers; w++) {
      openStream(connection, agent, `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}&labelSelector=bench%3Dwatch`, { timeoutMs: 120_000 }).then(
        (res) => {
          responses.push(res);
          if (res.statusCode !== 200) reject(new Error(`watch answered ${res.statusCode}`));
          if (++ready === watchers) resolve();
          let buffered = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const arrived = performance.now();
            buffered += chunk;
            let newline: number;
            while ((newline = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, newline);
              buffered = buffered.slice(newline + 1);
              if (!line.trim()) continue;
              const event = JSON.parse(line) as { type: string; object: { metadata?: { name?: string } } };
              const sent = sentAt.get(event.object.metadata?.name ?? '');
              if (event.type === 'ADDED' && sent !== undefined) latencies.push(arrived - sent);
            }
          });
          res.on('error', () => undefined);
        },
        (err: Error) => reject(new Error(`watch not opened: ${err.message}`)),
      );
    }
  });
  for (let e = 0; e < watchEvents; e++) {
    const name = `watched-${e}`;
    sentAt.set(name, performance.now());
    await client.expect('POST', `/api/v1/namespaces/${ns}/configmaps`, 201, {
      ...configMap(name),
      metadata: { name, namespace: ns, labels: { bench: 'watch' } },
    });
    await new Promise((r) => setTimeout(r, 20));
  }
  const expected = watchers * watchEvents;
  const deadline = Date.now() + 30_000;
  while (latencies.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const res of responses) res.destroy();
  agent.destroy();
  return {
    watchP50Ms: quantile(latencies, 0.5),
    watchP99Ms: quantile(latencies, 0.99),
    watchDelivered: latencies.length,
    watchExpected: expected,
  };
}

async function main(): Promise<void> {
  console.log(`bench/apiserver: ${creates} creates, ${gets} gets, ${lists} lists (limit 500), ${watchers} watchers × ${watchEvents} events`);
  const sqliteServer = await startSkiffServer();
  let sqlite: Figures;
  try {
    sqlite = await measure(sqliteServer.connection());
  } finally {
    await sqliteServer.stop();
  }
  const etcd = await startEtcd();
  let etcdFigures: Figures;
  try {
    const etcdServer = await startSkiffServer({ args: ['--etcd', etcd.endpoints.join(',')] });
    try {
      etcdFigures = await measure(etcdServer.connection());
    } finally {
      await etcdServer.stop();
    }
  } finally {
    await etcd.stop();
  }
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  printTable(
    ['measure', 'sqlite', 'etcd', 'sqlite/etcd'],
    [
      ['creates', formatRate(sqlite.createsPerSec), formatRate(etcdFigures.createsPerSec), ratio(sqlite.createsPerSec, etcdFigures.createsPerSec)],
      ['gets', formatRate(sqlite.getsPerSec), formatRate(etcdFigures.getsPerSec), ratio(sqlite.getsPerSec, etcdFigures.getsPerSec)],
      ['lists (500 items)', formatRate(sqlite.listsPerSec), formatRate(etcdFigures.listsPerSec), ratio(sqlite.listsPerSec, etcdFigures.listsPerSec)],
      ['watch p50', formatMs(sqlite.watchP50Ms), formatMs(etcdFigures.watchP50Ms), ratio(sqlite.watchP50Ms, etcdFigures.watchP50Ms)],
      ['watch p99', formatMs(sqlite.watchP99Ms), formatMs(etcdFigures.watchP99Ms), ratio(sqlite.watchP99Ms, etcdFigures.watchP99Ms)],
      ['watch delivered', `${sqlite.watchDelivered}/${sqlite.watchExpected}`, `${etcdFigures.watchDelivered}/${etcdFigures.watchExpected}`, ''],
    ],
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

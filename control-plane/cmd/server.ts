// `skiff server`: opens the store (SQLite in the data dir, or etcd), starts the compactor and the API
// server, and writes an admin kubeconfig pointing at it. Plain HTTP on loopback for now; TLS with a
// cluster CA arrives with the security issue and replaces only the listener (ApiServer.listen).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { stringify } from 'yaml';
import { createApiServer } from '../apiserver/index.js';
import { Compactor, openStore } from '../storage/index.js';
import { parseControllersFlag, startControlLoops, type RunningControlLoops } from './control-loops.js';

const usage = `usage: skiff server --data-dir DIR [flags]

flags:
  --data-dir DIR                 where the SQLite store and admin.kubeconfig live (required)
  --port N                       listen port (default 6443; 0 picks a free one)
  --address IP                   listen address (default 127.0.0.1)
  --advertise-address IP         the address the kubernetes Service's endpoints name (default: the
                                 listen address, or 127.0.0.1 when listening on all addresses)
  --etcd URL[,URL...]            use these etcd endpoints instead of the embedded SQLite store
  --service-cidr CIDR            service ClusterIP range (default 10.96.0.0/12)
  --service-node-port-range A-B  NodePort range (default 30000-32767)
  --controllers LIST             controllers to run in-process: * (default) for all, none, or a comma list
                                 (replicaset, deployment, endpointslice, endpoints, garbagecollector,
                                 namespace, job, nodelifecycle, daemonset, podgc)
  --default-not-ready-toleration-seconds N    tolerationSeconds added to pods for the not-ready
                                             NoExecute taint (default 300)
  --default-unreachable-toleration-seconds N  the same for the unreachable taint (default 300)
  --disable-scheduler            do not run the scheduler in-process (run \`skiff scheduler\` instead)
  --log-level LEVEL              pino level: trace, debug, info, warn, error (default info)
  -h, --help                     show this help`;

/** The admin kubeconfig: one cluster, one user, one context `skiff`, current. */
export function adminKubeconfig(serverUrl: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'skiff', cluster: { server: serverUrl } }],
    users: [{ name: 'admin', user: {} }],
    contexts: [{ name: 'skiff', context: { cluster: 'skiff', user: 'admin' } }],
    'current-context': 'skiff',
    preferences: {},
  });
}

function secondsFlag(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of seconds`);
  return n;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '6443' },
      address: { type: 'string', default: '127.0.0.1' },
      etcd: { type: 'string' },
      'service-cidr': { type: 'string', default: '10.96.0.0/12' },
      'service-node-port-range': { type: 'string', default: '30000-32767' },
      'log-level': { type: 'string', default: 'info' },
      'advertise-address': { type: 'string' },
      'default-not-ready-toleration-seconds': { type: 'string', default: '300' },
      'default-unreachable-toleration-seconds': { type: 'string', default: '300' },
      controllers: { type: 'string', default: '*' },
      'disable-scheduler': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error(`--data-dir is required\n\n${usage}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port "${values.port}"`);
  const address = values.address ?? '127.0.0.1';
  const logger = pino({ level: values['log-level'] ?? 'info' });
  const controllers = parseControllersFlag(values.controllers);
  const notReadySeconds = secondsFlag('--default-not-ready-toleration-seconds', values['default-not-ready-toleration-seconds']);
  const unreachableSeconds = secondsFlag('--default-unreachable-toleration-seconds', values['default-unreachable-toleration-seconds']);

  mkdirSync(dataDir, { recursive: true });
  const store = await openStore(values.etcd ? { etcdEndpoints: values.etcd.split(',').filter((e) => e !== '') } : { dataDir });
  const compactor = new Compactor(store, { logger: logger.child({ component: 'compactor' }) });
  compactor.start();
  const server = createApiServer({
    store,
    logger,
    serviceCIDR: values['service-cidr'] ?? '10.96.0.0/12',
    nodePortRange: values['service-node-port-range'] ?? '30000-32767',
    defaultNotReadyTolerationSeconds: notReadySeconds,
    defaultUnreachableTolerationSeconds: unreachableSeconds,
    ...(values['advertise-address'] ? { advertiseAddress: values['advertise-address'] } : {}),
  });
  let controlLoops: RunningControlLoops | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ signal }, 'shutting down');
      await controlLoops?.stop().catch((err: unknown) => logger.error({ err }, 'stopping the control loops failed'));
      await server.stop().catch((err: unknown) => logger.error({ err }, 'stopping the API server failed'));
      await compactor.stop().catch((err: unknown) => logger.error({ err }, 'stopping the compactor failed'));
      await store.close().catch((err: unknown) => logger.error({ err }, 'closing the store failed'));
      logger.info('stopped');
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));
  process.once('SIGINT', () => void shutdown('SIGINT').then(() => process.exit(0)));

  try {
    const { port: realPort } = await server.listen({ host: address, port });
    const shownHost = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
    const url = `http://${shownHost}:${realPort}`;
    const kubeconfig = join(dataDir, 'admin.kubeconfig');
    // Written atomically: tests poll for the file and must never read half of it.
    writeFileSync(`${kubeconfig}.tmp`, adminKubeconfig(url), { mode: 0o600 });
    renameSync(`${kubeconfig}.tmp`, kubeconfig);
    logger.info({ url, kubeconfig, store: values.etcd ? 'etcd' : 'sqlite' }, 'listening');
    // After listening: the loops list and watch through this server like any other client.
    controlLoops = await startControlLoops({ url, logger, controllers, scheduler: !values['disable-scheduler'] });
  } catch (err) {
    await shutdown('startup failure');
    throw err;
  }
}

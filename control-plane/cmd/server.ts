// `skiff server`: opens the store (SQLite in the data dir, or etcd), creates or loads the cluster PKI,
// starts the compactor and the API server (HTTPS, every request authenticated and authorized), writes
// an admin kubeconfig with embedded certificates, and runs the control loops with their own certificates.
// `--insecure-http` keeps the development mode: plain HTTP, everyone the cluster admin.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino, { type Logger } from 'pino';
import { stringify } from 'yaml';
import type { ConnectionConfig } from '../../client/index.js';
import { createApiServer, type ApiServerOptions } from '../apiserver/index.js';
import { formatIpv4, parseCidr } from '../apiserver/ip-range.js';
import { findResource } from '../../api/resources.js';
import {
  BearerTokenAuthenticator,
  ClientCertificateAuthenticator,
  NodeAuthorizer,
  RbacAuthorizer,
  UnionAuthenticator,
  UnionAuthorizer,
  cachedRbacSource,
  serverRbacSource,
  storeRbacSource,
  storeNodeGraph,
  storeSecretGetter,
} from '../auth/index.js';
import { adminCommonName, ensureClusterPki, kubeconfigWithCerts, type CertificateAndKey, type ClusterPki } from '../../pki/index.js';
import type { Store } from '../storage/store.js';
import { Compactor, openStore } from '../storage/index.js';
import { parseControllersFlag, startControlLoops, type RunningControlLoops } from './control-loops.js';

const usage = `usage: skiff server --data-dir DIR [flags]

flags:
  --data-dir DIR                 where the SQLite store, pki/ and admin.kubeconfig live (required)
  --port N                       listen port (default 6443; 0 picks a free one)
  --address IP                   listen address (default 127.0.0.1)
  --advertise-address IP         the address the kubernetes Service's endpoints name (default: the
                                 listen address, or 127.0.0.1 when listening on all addresses)
  --insecure-http                development only: plain HTTP without authentication (everyone is the
                                 cluster admin); the default is HTTPS with certificates and tokens
  --cluster-cidr CIDR            pod network of the cluster, split into one podCIDR per node
                                 (default 10.244.0.0/16)
  --node-cidr-mask-size N        prefix length of each node's podCIDR (default 24)
  --etcd URL[,URL...]            use these etcd endpoints instead of the embedded SQLite store
  --service-cidr CIDR            service ClusterIP range (default 10.96.0.0/12)
  --service-node-port-range A-B  NodePort range (default 30000-32767)
  --controllers LIST             controllers to run in-process: * (default) for all, none, or a comma list
                                 (replicaset, deployment, endpointslice, endpoints, garbagecollector,
                                 namespace, job, nodelifecycle, daemonset, podgc, nodeipam,
                                 csrsigning)
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

/** The host the kubeconfig names: loopback for a wildcard listener, brackets for IPv6. */
function clientHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

/** The first address of the service range: the `kubernetes` Service's ClusterIP, a SAN of the serving cert. */
function firstServiceIp(cidr: string): string {
  return formatIpv4(parseCidr(cidr).base + 1);
}

/** Every address a client may dial: the listen and advertise addresses, and all interfaces behind a wildcard. */
function servingAddresses(address: string, advertise: string | undefined): string[] {
  const out = [address, ...(advertise ? [advertise] : [])];
  if (address === '0.0.0.0' || address === '::') {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address);
  }
  return [...new Set(out.filter((a) => a !== '0.0.0.0' && a !== '::'))];
}

interface Security extends Required<Pick<ApiServerOptions, 'authenticator' | 'authorizer'>> {
  /** Ends the RBAC cache's store watches (before the store closes). */
  stop(): void;
}

/**
 * The authenticators and authorizers of the secure server: certificates and bootstrap tokens; node, then
 * RBAC. RBAC answers from watch-fed caches; what they do not allow is checked again against the store, so a
 * binding written a moment ago already counts (RBAC never denies, so the second look can only allow).
 */
function securityOf(store: Store, logger: Logger): Security {
  const authenticator = new UnionAuthenticator(new ClientCertificateAuthenticator(), new BearerTokenAuthenticator(storeSecretGetter(store)));
  const node = new NodeAuthorizer(storeNodeGraph(store));
  if (!rbacKindsRegistered()) {
    return { authenticator, authorizer: new UnionAuthorizer(node, new RbacAuthorizer(serverRbacSource(store))), stop: () => {} };
  }
  const cached = cachedRbacSource(store, { logger: logger.child({ component: 'rbac' }) });
  const authorizer = new UnionAuthorizer(node, new RbacAuthorizer(cached), new RbacAuthorizer(storeRbacSource(store)));
  return { authenticator, authorizer, stop: () => cached.stop() };
}

function rbacKindsRegistered(): boolean {
  return ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].every((p) => findResource('rbac.authorization.k8s.io', 'v1', p) !== undefined);
}

function writeAtomically(file: string, text: string): void {
  // tmp + rename: tests and scripts poll for the file and must never read half of it.
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

function clientConnection(url: string, pki: ClusterPki | undefined, identity: (p: ClusterPki) => CertificateAndKey): ConnectionConfig {
  if (!pki) return { server: url };
  const pair = identity(pki);
  return { server: url, ca: Buffer.from(pki.ca.certPem), cert: Buffer.from(pair.certPem), key: Buffer.from(pair.keyPem) };
}

function logPki(logger: Logger, pki: ClusterPki): void {
  // Paths and the public CA hash only: keys never reach the log.
  logger.info({ pki: pki.dir, caCertHash: pki.caCertHash }, 'cluster PKI ready');
}

/** The prefix length of an IPv4 CIDR flag; throws naming the flag when it is malformed. */
function cidrPrefix(flag: string, cidr: string): number {
  try {
    return 32 - Math.log2(parseCidr(cidr).size);
  } catch {
    throw new Error(`invalid ${flag} "${cidr}": want an IPv4 CIDR such as 10.244.0.0/16`);
  }
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
      'insecure-http': { type: 'boolean', default: false },
      'cluster-cidr': { type: 'string', default: '10.244.0.0/16' },
      'node-cidr-mask-size': { type: 'string', default: '24' },
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
  const insecure = values['insecure-http'] === true;
  const serviceCIDR = values['service-cidr'] ?? '10.96.0.0/12';
  const clusterCIDR = values['cluster-cidr'] ?? '10.244.0.0/16';
  const clusterPrefix = cidrPrefix('--cluster-cidr', clusterCIDR);
  const nodeCidrMaskSize = Number(values['node-cidr-mask-size']);
  if (!Number.isInteger(nodeCidrMaskSize) || nodeCidrMaskSize < clusterPrefix || nodeCidrMaskSize > 30) {
    throw new Error(`invalid --node-cidr-mask-size "${values['node-cidr-mask-size']}": a prefix length between the cluster CIDR's and 30`);
  }

  mkdirSync(dataDir, { recursive: true });
  // A kubeconfig left by an earlier run must not pass for this one: scripts wait for the file to appear.
  rmSync(join(dataDir, 'admin.kubeconfig'), { force: true });
  const pki = insecure
    ? undefined
    : ensureClusterPki(dataDir, { serverAddresses: servingAddresses(address, values['advertise-address']), serviceIP: firstServiceIp(serviceCIDR) });
  if (pki) logPki(logger, pki);
  else logger.warn('--insecure-http: serving plain HTTP without authentication; every client is the cluster admin');
  const store = await openStore(values.etcd ? { etcdEndpoints: values.etcd.split(',').filter((e) => e !== '') } : { dataDir });
  const compactor = new Compactor(store, { logger: logger.child({ component: 'compactor' }) });
  compactor.start();
  const security = pki ? securityOf(store, logger) : undefined;
  const server = createApiServer({
    store,
    logger,
    serviceCIDR,
    nodePortRange: values['service-node-port-range'] ?? '30000-32767',
    defaultNotReadyTolerationSeconds: notReadySeconds,
    defaultUnreachableTolerationSeconds: unreachableSeconds,
    ...(values['advertise-address'] ? { advertiseAddress: values['advertise-address'] } : {}),
    ...(pki && security
      ? {
          authenticator: security.authenticator,
          authorizer: security.authorizer,
          tls: { certPem: pki.apiServer.certPem, keyPem: pki.apiServer.keyPem, caPem: pki.ca.certPem },
          kubeletClient: pki.apiServerKubeletClient,
        }
      : {}),
  });
  let controlLoops: RunningControlLoops | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ signal }, 'shutting down');
      await controlLoops?.stop().catch((err: unknown) => logger.error({ err }, 'stopping the control loops failed'));
      await server.stop().catch((err: unknown) => logger.error({ err }, 'stopping the API server failed'));
      security?.stop();
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
    const url = `${pki ? 'https' : 'http'}://${clientHost(address)}:${realPort}`;
    const kubeconfig = join(dataDir, 'admin.kubeconfig');
    writeAtomically(
      kubeconfig,
      pki
        ? kubeconfigWithCerts({ server: url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem, user: adminCommonName })
        : adminKubeconfig(url),
    );
    logger.info({ url, kubeconfig, store: values.etcd ? 'etcd' : 'sqlite', tls: pki !== undefined }, 'listening');
    // After listening: the loops list and watch through this server like any other client, each with its own identity.
    controlLoops = await startControlLoops({
      controllerConnection: clientConnection(url, pki, (p) => p.controllerManager),
      schedulerConnection: clientConnection(url, pki, (p) => p.scheduler),
      logger,
      controllers,
      scheduler: !values['disable-scheduler'],
      clusterCIDR,
      nodeCidrMaskSize,
      ...(pki ? { clusterCa: pki.ca } : {}),
    });
  } catch (err) {
    await shutdown('startup failure');
    throw err;
  }
}

// `skiff agent`: the node agent (kubelet). Joins the cluster first when given --server/--token/--ca-cert-hash
// (or reuses the identity of an earlier join), starts the CRI server over Docker in-process on
// <data-dir>/cri.sock unless --cri-socket names a running one, then runs the kubelet until SIGTERM/SIGINT.
// Containers keep running when the agent stops; a restarted agent adopts them.
import os from 'node:os';
import path from 'node:path';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pino, { type Logger } from 'pino';
import { RestClient, loadKubeconfig, type ConnectionConfig } from '../../client/index.js';
import { CriClient, startCriServer, type CriServer } from '../cri/index.js';
import { ensureNodeCredentials } from '../join/index.js';
import { Kubelet } from '../kubelet/index.js';
import { startPodNetwork } from '../network/index.js';
import { nodeLabel } from '../kubelet/labels.js';
import type { LogServerTls } from '../kubelet/logs/log-server.js';
import { ensureServingCertificate } from '../kubelet/server/serving-certificate.js';
import type { ProxyServer } from '../proxy/index.js';
import { portFlag, readFlags, runUntilSignal } from './command-line.js';
import { iptablesFlavour, proxyMode, startProxyServer, type ProxySettings } from './proxy.js';

const usage = `usage: skiff agent --kubeconfig FILE [flags]
       skiff agent --server https://HOST:PORT --token TOKEN --ca-cert-hash sha256:HEX [flags]

  --kubeconfig FILE      kubeconfig of the API server (or join with the three flags below)
  --server URL           join: the API server, https://HOST:PORT (as \`skiff token create\` prints it)
  --token TOKEN          join: a bootstrap token; only needed until the node has its certificate
  --token-file FILE      join: read the token from FILE instead (keeps it out of the process list)
  --ca-cert-hash HASH    join: sha256:<hex> of the cluster CA's public key; the CA is refused unless it matches
                         (the node's identity is kept in <data-dir>/kubelet.kubeconfig and reused after)
  --node-name NAME       the Node's name (default: the hostname, lower-cased)
  --node-ip IP           the Node's InternalIP and pods' hostIP (default: the primary IPv4 address)
  --cri-socket PATH      use the CRI runtime on this socket instead of starting one in-process
  --docker-socket PATH   Docker engine socket for the in-process CRI (default /var/run/docker.sock)
  --data-dir DIR         agent state: pod volumes, the in-process CRI socket (default /var/lib/skiff/agent)
  --pod-logs-dir DIR     root of pod log directories (default /var/log/pods)
  --cluster-dns IP       DNS server for ClusterFirst pods (repeatable; default: the node's resolv.conf)
  --cluster-domain NAME  cluster DNS domain (default cluster.local)
  --kubelet-address IP   address of the kubelet endpoint (container logs, healthz) (default 0.0.0.0)
  --kubelet-port N       its port; 0 picks a free one (default 10250)
  --disable-proxy        do not run the service proxy in-process (run \`skiff proxy\` instead, or none)
  --cluster-cidr CIDR    proxy: pod network; traffic to a ClusterIP from outside it is masqueraded
  --service-cidr CIDR    proxy: service network, routed locally on the node (default 10.96.0.0/12)
  --proxy-mode MODE      proxy: iptables (default; one iptables-restore per sync) or nftables (one nft
                         transaction per sync; the faster one at 10,000 services, see bench/proxy)
  --iptables FLAVOUR     proxy: iptables, iptables-nft or iptables-legacy (default iptables)
  --pod-network MODE     host-gw: route the other nodes' pod CIDRs via their InternalIPs, accept the cluster
                         CIDR in FORWARD, and report NotReady until this node's pod CIDR reached the runtime;
                         none: neither (default: host-gw when --cluster-cidr is given, else none)
  --log-level LEVEL      pino level (default info)`;

/** `--server`/`--token`/`--ca-cert-hash`: join (or reuse an earlier join) instead of --kubeconfig. */
export interface JoinFlags {
  server: string;
  token: string | undefined;
  caCertHash: string | undefined;
}

export interface AgentFlags {
  /** The kubeconfig to run with; empty when joining (then it is <data-dir>/kubelet.kubeconfig). */
  kubeconfig: string;
  join: JoinFlags | undefined;
  nodeName: string;
  nodeIP: string | undefined;
  criSocket: string | undefined;
  dockerSocket: string;
  dataDir: string;
  podLogsDir: string;
  clusterDNS: string[];
  clusterDomain: string;
  logLevel: string;
  kubeletAddress: string;
  kubeletPort: number;
  /** The in-process service proxy's settings; undefined with --disable-proxy. */
  proxy: { clusterCIDR: string | undefined; serviceCIDR: string; iptables: ProxySettings['iptables']; mode: NonNullable<ProxySettings['mode']> } | undefined;
  /** --pod-network host-gw: the cluster CIDR for the FORWARD accept and the iptables flavour; undefined for none. */
  podNetwork: { clusterCIDR: string; iptables: ProxySettings['iptables'] } | undefined;
}

/** `--pod-network`'s values. */
function podNetworkMode(value: string): 'host-gw' | 'none' {
  if (value === 'host-gw' || value === 'none') return value;
  throw new Error(`--pod-network must be host-gw or none, not "${value}"`);
}

/** The token in `file` (surrounding whitespace ignored); the message names the file, never its content. */
function readTokenFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new Error(`--token-file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

/** Parses the flags; throws with a message fit for the user on a bad one. */
export function parseAgentFlags(argv: string[]): AgentFlags | 'help' {
  const f: AgentFlags = {
    kubeconfig: '',
    join: undefined,
    nodeName: os.hostname().toLowerCase(),
    nodeIP: undefined,
    criSocket: undefined,
    dockerSocket: '/var/run/docker.sock',
    dataDir: '/var/lib/skiff/agent',
    podLogsDir: '/var/log/pods',
    clusterDNS: [],
    clusterDomain: 'cluster.local',
    logLevel: 'info',
    kubeletAddress: '0.0.0.0',
    kubeletPort: 10250,
    proxy: undefined,
    podNetwork: undefined,
  };
  let podNetwork: 'host-gw' | 'none' | undefined;
  const proxy: NonNullable<AgentFlags['proxy']> = { clusterCIDR: undefined, serviceCIDR: '10.96.0.0/12', iptables: 'iptables', mode: 'iptables' };
  let proxyEnabled = true;
  const join: Partial<JoinFlags> = {};
  const help = readFlags(argv, (name, value) => {
    switch (name) {
      case '--kubeconfig': f.kubeconfig = value(); break;
      case '--server': join.server = value(); break;
      case '--token': join.token = value(); break;
      case '--token-file': join.token = readTokenFile(value()); break;
      case '--ca-cert-hash': join.caCertHash = value(); break;
      case '--node-name': f.nodeName = value(); break;
      case '--node-ip': f.nodeIP = value(); break;
      case '--cri-socket': f.criSocket = value(); break;
      case '--docker-socket': f.dockerSocket = value(); break;
      case '--data-dir': f.dataDir = path.resolve(value()); break;
      case '--pod-logs-dir': f.podLogsDir = path.resolve(value()); break;
      case '--cluster-dns': f.clusterDNS.push(value()); break;
      case '--cluster-domain': f.clusterDomain = value(); break;
      case '--log-level': f.logLevel = value(); break;
      case '--kubelet-address': f.kubeletAddress = value(); break;
      case '--kubelet-port': f.kubeletPort = portFlag(name, value()); break;
      case '--disable-proxy': proxyEnabled = false; break;
      case '--pod-network': podNetwork = podNetworkMode(value()); break;
      case '--cluster-cidr': proxy.clusterCIDR = value(); break;
      case '--service-cidr': proxy.serviceCIDR = value(); break;
      case '--iptables': proxy.iptables = iptablesFlavour(value()); break;
      case '--proxy-mode': proxy.mode = proxyMode(value()); break;
      default: throw new Error(`unknown flag ${name}\n\n${usage}`);
    }
  });
  if (help) return help;
  if (f.kubeconfig && (join.server || join.token || join.caCertHash)) {
    throw new Error(`--kubeconfig and --server/--token/--ca-cert-hash are alternatives: give one\n\n${usage}`);
  }
  if (join.server) f.join = { server: join.server, token: join.token, caCertHash: join.caCertHash };
  else if (join.token || join.caCertHash) throw new Error(`--token and --ca-cert-hash need --server\n\n${usage}`);
  else if (!f.kubeconfig) throw new Error(`--kubeconfig is required (or join with --server, --token and --ca-cert-hash)\n\n${usage}`);
  if (proxyEnabled) f.proxy = proxy;
  if ((podNetwork ?? (proxy.clusterCIDR ? 'host-gw' : 'none')) === 'host-gw') {
    f.podNetwork = { clusterCIDR: proxy.clusterCIDR ?? '10.244.0.0/16', iptables: proxy.iptables };
  }
  return f;
}

/** A running agent: the kubelet and (unless external or disabled) its CRI server and service proxy. */
export interface RunningAgent {
  kubelet: Kubelet;
  cri: CriServer | undefined;
  proxy: ProxyServer | undefined;
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * The kubelet endpoint's TLS when the cluster has a CA (an https kubeconfig): a self-signed serving pair
 * under <data-dir>/pki, clients verified against the cluster CA. Plain HTTP for an --insecure-http server.
 */
export function kubeletEndpointTls(connection: ConnectionConfig, f: Pick<AgentFlags, 'dataDir' | 'nodeName' | 'nodeIP'>): LogServerTls | undefined {
  if (new URL(connection.server).protocol !== 'https:') return undefined;
  if (!connection.ca) {
    throw new Error('the kubeconfig names an https server without certificate-authority(-data): the kubelet endpoint needs the cluster CA to verify the API server');
  }
  const pair = ensureServingCertificate(path.join(f.dataDir, 'pki'), f.nodeName, f.nodeIP ? [f.nodeIP] : []);
  return { ...pair, clientCaPem: connection.ca.toString('utf8') };
}

/** Starts the agent in this process (the command and the e2e tests use it). */
export async function startAgent(f: AgentFlags): Promise<RunningAgent> {
  const logger = pino({ name: 'skiff-agent', level: f.logLevel });
  // Joining comes first: a refused join must not leave a CRI server or anything else behind.
  const kubeconfig = f.join
    ? (await ensureNodeCredentials({ ...f.join, nodeName: f.nodeName, dataDir: f.dataDir, logger })).kubeconfig
    : f.kubeconfig;
  const connection = loadKubeconfig(kubeconfig);
  const tls = kubeletEndpointTls(connection, f);
  logger.info({ https: tls !== undefined }, tls ? 'kubelet endpoint: HTTPS, API server client certificate required' : 'kubelet endpoint: plain HTTP (the cluster has no CA)');
  let cri: CriServer | undefined;
  let socket = f.criSocket;
  if (!socket) {
    socket = path.join(f.dataDir, 'cri.sock');
    cri = await startCriServer({ socketPath: socket, dockerSocket: f.dockerSocket, adoptSelector: { [nodeLabel]: f.nodeName }, logger: logger.child({ component: 'cri' }) });
  }
  const runtime = new CriClient(socket);
  const client = new RestClient(connection, { userAgent: `skiff-agent/${f.nodeName}` });
  const kubelet = await Kubelet.create({
    client,
    runtime,
    nodeName: f.nodeName,
    nodeIP: f.nodeIP,
    dataDir: f.dataDir,
    logsRoot: f.podLogsDir,
    clusterDNS: f.clusterDNS.length ? f.clusterDNS : undefined,
    clusterDomain: f.clusterDomain,
    server: { host: f.kubeletAddress, port: f.kubeletPort, ...(tls ? { tls } : {}) },
    logger,
    waitForPodCIDR: f.podNetwork !== undefined,
  });
  // Routes and FORWARD rules first, so the node's first pods can be reached from the others at once.
  const podNetwork = f.podNetwork
    ? await startPodNetwork({ client, nodeName: f.nodeName, ...f.podNetwork, logger: logger.child({ component: 'pod-network' }) })
    : undefined;
  await kubelet.start();
  const proxy = f.proxy
    ? await startProxyServer(client, { nodeName: f.nodeName, netns: undefined, minSyncIntervalMs: 1000, ...f.proxy }, logger.child({ component: 'proxy' }))
    : undefined;
  return {
    kubelet,
    cri,
    proxy,
    logger,
    async stop() {
      await proxy?.stop();
      await podNetwork?.stop();
      await kubelet.stop();
      runtime.close();
      client.close();
      await cri?.close();
    },
  };
}

export async function main(argv: string[]): Promise<void> {
  const flags = parseAgentFlags(argv);
  if (flags === 'help') {
    console.log(usage);
    return;
  }
  const agent = await startAgent(flags);
  await runUntilSignal(agent.logger, () => agent.stop());
}

// Run directly (`tsx agent/cmd/agent.ts …`) as well as through `skiff agent`.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`skiff agent: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}

// `skiff agent`: the node agent (kubelet). Starts the CRI server over Docker in-process on
// <data-dir>/cri.sock unless --cri-socket names a running one, then runs the kubelet until SIGTERM/SIGINT.
// Containers keep running when the agent stops; a restarted agent adopts them.
import os from 'node:os';
import path from 'node:path';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pino, { type Logger } from 'pino';
import { RestClient } from '../../client/index.js';
import { CriClient, startCriServer, type CriServer } from '../cri/index.js';
import { Kubelet } from '../kubelet/index.js';
import { nodeLabel } from '../kubelet/labels.js';
import type { ProxyServer } from '../proxy/index.js';
import { portFlag, readFlags, runUntilSignal } from './command-line.js';
import { iptablesFlavour, startProxyServer, type ProxySettings } from './proxy.js';

const usage = `usage: skiff agent --kubeconfig FILE [flags]

  --kubeconfig FILE      kubeconfig of the API server (required)
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
  --iptables FLAVOUR     proxy: iptables, iptables-nft or iptables-legacy (default iptables)
  --log-level LEVEL      pino level (default info)`;

export interface AgentFlags {
  kubeconfig: string;
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
  proxy: { clusterCIDR: string | undefined; serviceCIDR: string; iptables: ProxySettings['iptables'] } | undefined;
}

/** Parses the flags; throws with a message fit for the user on a bad one. */
export function parseAgentFlags(argv: string[]): AgentFlags | 'help' {
  const f: AgentFlags = {
    kubeconfig: '',
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
  };
  const proxy: NonNullable<AgentFlags['proxy']> = { clusterCIDR: undefined, serviceCIDR: '10.96.0.0/12', iptables: 'iptables' };
  let proxyEnabled = true;
  const help = readFlags(argv, (name, value) => {
    switch (name) {
      case '--kubeconfig': f.kubeconfig = value(); break;
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
      case '--cluster-cidr': proxy.clusterCIDR = value(); break;
      case '--service-cidr': proxy.serviceCIDR = value(); break;
      case '--iptables': proxy.iptables = iptablesFlavour(value()); break;
      default: throw new Error(`unknown flag ${name}\n\n${usage}`);
    }
  });
  if (help) return help;
  if (!f.kubeconfig) throw new Error(`--kubeconfig is required\n\n${usage}`);
  if (proxyEnabled) f.proxy = proxy;
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

/** Starts the agent in this process (the command and the e2e tests use it). */
export async function startAgent(f: AgentFlags): Promise<RunningAgent> {
  const logger = pino({ name: 'skiff-agent', level: f.logLevel });
  let cri: CriServer | undefined;
  let socket = f.criSocket;
  if (!socket) {
    socket = path.join(f.dataDir, 'cri.sock');
    cri = await startCriServer({ socketPath: socket, dockerSocket: f.dockerSocket, adoptSelector: { [nodeLabel]: f.nodeName }, logger: logger.child({ component: 'cri' }) });
  }
  const runtime = new CriClient(socket);
  const client = RestClient.fromKubeconfig(f.kubeconfig, { userAgent: `skiff-agent/${f.nodeName}` });
  const kubelet = await Kubelet.create({
    client,
    runtime,
    nodeName: f.nodeName,
    nodeIP: f.nodeIP,
    dataDir: f.dataDir,
    logsRoot: f.podLogsDir,
    clusterDNS: f.clusterDNS.length ? f.clusterDNS : undefined,
    clusterDomain: f.clusterDomain,
    server: { host: f.kubeletAddress, port: f.kubeletPort },
    logger,
  });
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

// `skiff agent`: the node agent (kubelet). Starts the CRI server over Docker in-process on
// <data-dir>/cri.sock unless --cri-socket names a running one, then runs the kubelet until SIGTERM/SIGINT.
// Containers keep running when the agent stops; a restarted agent adopts them.
import os from 'node:os';
import path from 'node:path';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { RestClient } from '../../client/index.js';
import { CriClient, startCriServer, type CriServer } from '../cri/index.js';
import { Kubelet } from '../kubelet/index.js';
import { nodeLabel } from '../kubelet/labels.js';

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
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new Error(`${name} needs a value`);
      return v;
    };
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
      case '--kubelet-port': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error('--kubelet-port must be a port number');
        f.kubeletPort = n;
        break;
      }
      default: throw new Error(`unknown flag ${arg}\n\n${usage}`);
    }
  }
  if (!f.kubeconfig) throw new Error(`--kubeconfig is required\n\n${usage}`);
  return f;
}

/** A running agent: the kubelet and (unless external) its CRI server. */
export interface RunningAgent {
  kubelet: Kubelet;
  cri: CriServer | undefined;
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
  return {
    kubelet,
    cri,
    async stop() {
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
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      agent.stop().then(resolve, () => resolve());
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

// Run directly (`tsx agent/cmd/agent.ts …`) as well as through `skiff agent`.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`skiff agent: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}

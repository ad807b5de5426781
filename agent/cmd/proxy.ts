// `skiff proxy`: the service proxy of one node. Watches Services, EndpointSlices and its Node through the
// API server and keeps this node's iptables (or those of --netns) in step, until SIGTERM/SIGINT.
import os from 'node:os';
import pino, { type Logger } from 'pino';
import { loadKubeconfig, RestClient } from '../../client/index.js';
import { ProxyServer, RealIptablesRunner, RealNftRunner, RealNodeNetwork, type ProxyMode } from '../proxy/index.js';
import { readFlags, runUntilSignal } from './command-line.js';

const usage = `usage: skiff proxy --kubeconfig FILE [--node-name NAME] [--cluster-cidr CIDR] [--service-cidr CIDR]
                   [--netns NAME] [--min-sync-period-ms N] [--proxy-mode iptables|nftables]
                   [--iptables iptables|iptables-nft|iptables-legacy] [--log-level LEVEL]

  --kubeconfig FILE        credentials and server of the API server
  --node-name NAME         this node's Node (its addresses serve node ports; default: hostname)
  --cluster-cidr CIDR      pod network; traffic to a cluster IP from outside it is masqueraded
  --service-cidr CIDR      service network (default 10.96.0.0/12); routed locally on the node
  --netns NAME             write rules inside /var/run/netns/NAME instead of this namespace (one node per netns)
  --min-sync-period-ms N   syncs start at least this far apart (default 1000)
  --proxy-mode MODE        iptables (default: one iptables-restore per sync) or nftables (Skiff's own
                           'table ip skiff', one nft transaction per sync; needs nft >= 1.0)
  --iptables FLAVOUR       iptables tools to use in iptables mode (default iptables)
  --log-level LEVEL        pino level (default info)

Sets net.ipv4.conf.all.route_localnet=1 (node ports on 127.0.0.1) and a local route for the service CIDR.`;

export interface ProxyFlags {
  kubeconfig: string;
  nodeName: string;
  clusterCIDR: string | undefined;
  serviceCIDR: string;
  netns: string | undefined;
  minSyncIntervalMs: number;
  mode: ProxyMode;
  iptables: 'iptables' | 'iptables-nft' | 'iptables-legacy';
  logLevel: string;
}

const cidr = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** Parses the flags; throws with a message fit for the user on a bad one. */
export function parseFlags(argv: string[]): ProxyFlags | 'help' {
  const flags: Partial<ProxyFlags> & Pick<ProxyFlags, 'serviceCIDR' | 'minSyncIntervalMs' | 'mode' | 'iptables' | 'logLevel' | 'nodeName'> = {
    serviceCIDR: '10.96.0.0/12', minSyncIntervalMs: 1000, mode: 'iptables', iptables: 'iptables', logLevel: 'info', nodeName: os.hostname(),
  };
  const help = readFlags(argv, (name, value) => {
    switch (name) {
      case '--kubeconfig': flags.kubeconfig = value(); break;
      case '--node-name': flags.nodeName = value(); break;
      case '--cluster-cidr': flags.clusterCIDR = checkCidr(name, value()); break;
      case '--service-cidr': flags.serviceCIDR = checkCidr(name, value()); break;
      case '--netns': flags.netns = value(); break;
      case '--log-level': flags.logLevel = value(); break;
      case '--min-sync-period-ms': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0) throw new Error('--min-sync-period-ms must be a non-negative integer');
        flags.minSyncIntervalMs = n;
        break;
      }
      case '--iptables': flags.iptables = iptablesFlavour(value()); break;
      case '--proxy-mode': flags.mode = proxyMode(value()); break;
      default: throw new Error(`unknown flag ${name}\n\n${usage}`);
    }
  });
  if (help) return help;
  if (!flags.kubeconfig) throw new Error(`--kubeconfig is required\n\n${usage}`);
  return { ...flags, kubeconfig: flags.kubeconfig, clusterCIDR: flags.clusterCIDR, netns: flags.netns };
}

/** Validates an --iptables value. */
export function iptablesFlavour(v: string): ProxyFlags['iptables'] {
  if (v !== 'iptables' && v !== 'iptables-nft' && v !== 'iptables-legacy') throw new Error('--iptables must be iptables, iptables-nft or iptables-legacy');
  return v;
}

/** Validates a --proxy-mode value. */
export function proxyMode(v: string): ProxyMode {
  if (v !== 'iptables' && v !== 'nftables') throw new Error('--proxy-mode must be iptables or nftables');
  return v;
}

function checkCidr(flag: string, v: string): string {
  if (!cidr.test(v)) throw new Error(`${flag} must be an IPv4 CIDR like 10.244.0.0/16`);
  return v;
}

/** What a proxy needs besides its API client: the node it serves, its networks and its mode (default iptables). */
export type ProxySettings = Omit<ProxyFlags, 'kubeconfig' | 'logLevel' | 'mode'> & { mode?: ProxyMode };

/** Starts the proxy for one node (used by `skiff proxy` and, in-process, by `skiff agent`). */
export async function startProxyServer(client: RestClient, settings: ProxySettings, logger: Logger): Promise<ProxyServer> {
  const target = settings.netns ? { netnsPath: `/var/run/netns/${settings.netns}` } : {};
  const server = new ProxyServer({
    client,
    mode: settings.mode ?? 'iptables',
    runner: new RealIptablesRunner({ ...target, command: settings.iptables }),
    nftRunner: new RealNftRunner(target),
    nodeNetwork: new RealNodeNetwork(target),
    logger,
    nodeName: settings.nodeName,
    clusterCIDR: settings.clusterCIDR,
    serviceCIDR: settings.serviceCIDR,
    minSyncIntervalMs: settings.minSyncIntervalMs,
  });
  await server.start();
  return server;
}

export async function main(argv: string[]): Promise<void> {
  const flags = parseFlags(argv);
  if (flags === 'help') {
    console.log(usage);
    return;
  }
  const logger = pino({ name: 'skiff-proxy', level: flags.logLevel });
  const server = await startProxyServer(new RestClient(loadKubeconfig(flags.kubeconfig)), flags, logger);
  await runUntilSignal(logger, () => server.stop());
}

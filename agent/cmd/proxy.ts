// `skiff proxy`: the service proxy of one node. Watches Services, EndpointSlices and its Node through the
// API server and keeps this node's iptables (or those of --netns) in step, until SIGTERM/SIGINT.
import os from 'node:os';
import pino from 'pino';
import { loadKubeconfig, RestClient } from '../../client/index.js';
import { ProxyServer, RealIptablesRunner, RealNodeNetwork } from '../proxy/index.js';

const usage = `usage: skiff proxy --kubeconfig FILE [--node-name NAME] [--cluster-cidr CIDR] [--service-cidr CIDR]
                   [--netns NAME] [--min-sync-period-ms N] [--iptables iptables|iptables-nft|iptables-legacy] [--log-level LEVEL]

  --kubeconfig FILE        credentials and server of the API server
  --node-name NAME         this node's Node (its addresses serve node ports; default: hostname)
  --cluster-cidr CIDR      pod network; traffic to a cluster IP from outside it is masqueraded
  --service-cidr CIDR      service network (default 10.96.0.0/12); routed locally on the node
  --netns NAME             write rules inside /var/run/netns/NAME instead of this namespace (one node per netns)
  --min-sync-period-ms N   syncs start at least this far apart (default 1000)
  --iptables FLAVOUR       iptables tools to use (default iptables, nf_tables backend on Debian bookworm)
  --log-level LEVEL        pino level (default info)

Sets net.ipv4.conf.all.route_localnet=1 (node ports on 127.0.0.1) and a local route for the service CIDR.`;

export interface ProxyFlags {
  kubeconfig: string;
  nodeName: string;
  clusterCIDR: string | undefined;
  serviceCIDR: string;
  netns: string | undefined;
  minSyncIntervalMs: number;
  iptables: 'iptables' | 'iptables-nft' | 'iptables-legacy';
  logLevel: string;
}

const cidr = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** Parses the flags; throws with a message fit for the user on a bad one. */
export function parseFlags(argv: string[]): ProxyFlags | 'help' {
  const flags: Partial<ProxyFlags> & Pick<ProxyFlags, 'serviceCIDR' | 'minSyncIntervalMs' | 'iptables' | 'logLevel' | 'nodeName'> = {
    serviceCIDR: '10.96.0.0/12', minSyncIntervalMs: 1000, iptables: 'iptables', logLevel: 'info', nodeName: os.hostname(),
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
      case '--iptables': {
        const v = value();
        if (v !== 'iptables' && v !== 'iptables-nft' && v !== 'iptables-legacy') throw new Error('--iptables must be iptables, iptables-nft or iptables-legacy');
        flags.iptables = v;
        break;
      }
      default: throw new Error(`unknown flag ${arg}\n\n${usage}`);
    }
  }
  if (!flags.kubeconfig) throw new Error(`--kubeconfig is required\n\n${usage}`);
  return { ...flags, kubeconfig: flags.kubeconfig, clusterCIDR: flags.clusterCIDR, netns: flags.netns };
}

function checkCidr(flag: string, v: string): string {
  if (!cidr.test(v)) throw new Error(`${flag} must be an IPv4 CIDR like 10.244.0.0/16`);
  return v;
}

export async function main(argv: string[]): Promise<void> {
  const flags = parseFlags(argv);
  if (flags === 'help') {
    console.log(usage);
    return;
  }
  const logger = pino({ name: 'skiff-proxy', level: flags.logLevel });
  const target = flags.netns ? { netnsPath: `/var/run/netns/${flags.netns}` } : {};
  const server = new ProxyServer({
    client: new RestClient(loadKubeconfig(flags.kubeconfig)),
    runner: new RealIptablesRunner({ ...target, command: flags.iptables }),
    nodeNetwork: new RealNodeNetwork(target),
    logger,
    nodeName: flags.nodeName,
    clusterCIDR: flags.clusterCIDR,
    serviceCIDR: flags.serviceCIDR,
    minSyncIntervalMs: flags.minSyncIntervalMs,
  });
  await server.start();
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      server.stop().then(resolve, (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

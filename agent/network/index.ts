// The agent's pod-network room: what a node needs so pods on different nodes reach each other without
// an overlay (flannel's host-gw): routes to other nodes' pod CIDRs, a FORWARD accept for the cluster CIDR,
// and no NAT between pods.
import type { Logger } from 'pino';
import type { RestClient } from '../../client/index.js';
import { HostGatewayRoutes } from './host-gateway-routes.js';

/** The level-triggered keeper of routes and the SKIFF-FORWARD chain, from a Node informer. */
export { HostGatewayRoutes, defaultResyncMs, type HostGatewayRoutesOptions } from './host-gateway-routes.js';
/** Pure route logic: desired routes from Nodes, `ip route show` parsing, the command plan; the proto mark. */
export { desiredRoutes, parseRoutes, planRoutes, internalIP, isIpv4Network, defaultRouteProtocol, type RouteTable } from './routes.js';
/** Pure iptables logic: the owned chains (SKIFF-FORWARD, SKIFF-POD-NAT), their rules, the commands to get there. */
export { forwardChain, podNatChain, forwardChainRules, podNetworkChains, planOwnedChain, planForwardRules, type OwnedChain } from './forward-rules.js';
/** The host-command seam: the real runner (optionally in a network namespace) and a scripted fake. */
export { RealCommandRunner, FakeCommandRunner, type CommandRunner, type FakeAnswer } from './command-runner.js';

/** What the agent passes to startPodNetwork. */
export interface PodNetworkOptions {
  client: RestClient;
  nodeName: string;
  /** The cluster's pod network; the same value as the server's --cluster-cidr. */
  clusterCIDR: string;
  /** iptables flavour (the agent's --iptables). */
  iptables?: 'iptables' | 'iptables-legacy' | 'iptables-nft';
  /** Run the commands in this network namespace (tests); default: the agent's own. */
  netnsPath?: string;
  logger: Logger;
}

/**
 * Starts keeping host-gateway routes and FORWARD rules for this node; resolves after the first pass
 * (whose failures are logged and retried, not thrown). Stop it with `stop()` on shutdown: routes and
 * rules stay in place (a restarted agent adopts them).
 */
export async function startPodNetwork(options: PodNetworkOptions): Promise<HostGatewayRoutes> {
  const routes = new HostGatewayRoutes({
    client: options.client,
    nodeName: options.nodeName,
    clusterCIDR: options.clusterCIDR,
    logger: options.logger,
    ...(options.iptables ? { iptables: options.iptables } : {}),
    ...(options.netnsPath ? { netnsPath: options.netnsPath } : {}),
  });
  await routes.start();
  return routes;
}

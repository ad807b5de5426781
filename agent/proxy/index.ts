// The service proxy: Services and EndpointSlices rendered into one atomic update of the node's packet
// rules on every node, either kube-proxy's iptables mode (one iptables-restore payload) or its nftables
// mode (one `nft -f -` transaction on Skiff's own table).

/** The pure renderer: API objects → chains → iptables-restore text. */
export * from './rules/index.js';
/** The iptables seam (`IptablesRunner`) and its real implementation (optionally inside a netns). */
export { RealIptablesRunner, type IptablesRunner, type RealIptablesRunnerOptions, type RestoreOptions } from './iptables-runner.js';
/** An in-memory IptablesRunner that interprets payloads, for tests. */
export { FakeIptablesRunner } from './fake-iptables-runner.js';
/** Node settings the rules need (local route for the service CIDR, route_localnet), real and fake. */
export { RealNodeNetwork, FakeNodeNetwork, type NodeNetwork } from './node-network.js';
/** One child process, optionally in a network namespace, with stdin; `CommandError` on failure. */
export { runCommand, CommandError, type CommandTarget } from './run-command.js';
/** The loop every proxier mode shares (state, rate limiting, skip-if-unchanged, resyncs) and its surface. */
export { ProxierBase, type Proxier, type ProxierStats, type CommonProxierOptions, type SyncOutcome } from './proxier-base.js';
/** `IptablesProxier`: one iptables-restore per sync, full then partial. */
export { IptablesProxier, type ProxierOptions } from './proxier.js';
/** The nftables mode: Skiff's own `table ip skiff`, one `nft -f -` transaction per sync. */
export * as nftables from './nftables/index.js';
export { NftablesProxier, RealNftRunner, FakeNftRunner, type NftRunner, type NftablesProxierOptions } from './nftables/index.js';
/** Removing the other mode's rules when the mode changes (kube-proxy's CleanupLeftovers). */
export { removeIptablesRules, removeNftablesTable } from './leftovers.js';
/** `ProxyServer`: the proxier of the chosen mode fed by Service, EndpointSlice and Node informers. */
export { ProxyServer, type ProxyServerOptions, type ProxyMode } from './proxy-server.js';

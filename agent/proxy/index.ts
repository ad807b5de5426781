// The service proxy (kube-proxy's iptables mode): Services and EndpointSlices rendered into one
// iptables-restore payload and applied atomically on every node.

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
/** `IptablesProxier`: holds state, rate-limits and de-duplicates syncs, full then partial. */
export { IptablesProxier, type ProxierOptions, type ProxierStats } from './proxier.js';
/** `ProxyServer`: the proxier fed by Service, EndpointSlice and Node informers. */
export { ProxyServer, type ProxyServerOptions } from './proxy-server.js';

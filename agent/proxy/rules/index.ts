// The pure iptables rule renderer of the service proxy: API objects in, iptables-restore text out.
import type { EndpointSlice, Service } from '../../../api/types/index.js';
import { renderPayload, type ExistingChains } from './payload.js';
import { renderRules, type RenderOptions, type RenderedRules } from './render.js';
import { servicePorts } from './service-ports.js';

/** Chain-name constants and the stable chain hashes (sha256 → base32, 16 characters, as kube-proxy). */
export { natChains, filterChains, ownedChainPrefix, isProxyChain, podNetworkChains, serviceChain, endpointChain, chainHash, base32 } from './chain-names.js';
/** API objects → one entry per proxied service port with its ready endpoints. */
export { servicePorts, ServicePortsCache, serviceNameLabel, defaultAffinityTimeoutSeconds, type ServicePortInfo, type RuleProtocol } from './service-ports.js';
/** Service ports → the chains Skiff owns in the nat and filter tables. */
export { renderRules, RenderCache, masqueradeMark, type RenderOptions, type RenderedRules, type Chain } from './render.js';
/** Rendered chains → an `iptables-restore --noflush` payload (full, or partial against the last apply). */
export { renderPayload, renderedText, sameRendered, isEmptyPayload, chainNames, type ExistingChains, type PayloadOptions, type Table } from './payload.js';
/** The jump rules from built-in chains into Skiff's, and the payload that adds the missing ones. */
export { jumpRules, jumpRulesPayload, savedChainNames, type JumpRule } from './jump-rules.js';

/** Everything the renderer needs to know about the cluster and the node. */
export interface ProxyState {
  services: readonly Service[];
  endpointSlices: readonly EndpointSlice[];
  /** Addresses this node serves node ports on; empty means every local address. */
  nodeAddresses: readonly string[];
}

/** Renders the chains for a state: `renderRules(servicePorts(...))` with the node addresses applied. */
export function renderState(state: ProxyState, options: RenderOptions = {}): RenderedRules {
  return renderRules(servicePorts(state.services, state.endpointSlices), { ...options, nodeAddresses: state.nodeAddresses });
}

/** The whole payload for a state in one call: full sync against `existing` chains (stale ones deleted). */
export function renderProxyPayload(state: ProxyState, existing: ExistingChains, options: RenderOptions = {}): string {
  return renderPayload(renderState(state, options), { existing });
}

// The service proxy's nftables mode: Services and EndpointSlices rendered into Skiff's own table
// (`table ip skiff`) and applied as one `nft -f -` transaction per sync, partial after the first.

/** Table, chain, map and set names (stable hashes plus a readable suffix). */
export { tableName, tableFamily, chains, maps, servicePortBase, serviceChainName, externalChainName, affinitySetName } from './names.js';
/** The pure renderer: service ports → the table's content as a model. */
export { renderRuleset, NftRenderCache, type NftRuleset, type NftChain, type NftSet, type NftRenderOptions } from './ruleset.js';
/** Model → `nft -f` script: full (deleting what is stale) or partial against the last apply. */
export { renderScript, sameRuleset, type ExistingObjects, type ScriptOptions } from './script.js';
/** The nft seam and its real implementation (optionally inside a netns). */
export { RealNftRunner, listedNames, type NftRunner, type RealNftRunnerOptions } from './nft-runner.js';
/** An in-memory NftRunner that interprets scripts, for tests. */
export { FakeNftRunner } from './fake-nft-runner.js';
/** `NftablesProxier`: the nftables mode behind the shared proxier loop. */
export { NftablesProxier, type NftablesProxierOptions } from './proxier.js';

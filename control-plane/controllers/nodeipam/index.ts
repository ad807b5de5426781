// The nodeipam room's door: the controller that gives every Node a pod CIDR from the cluster CIDR.

/** The node IPAM controller (`--controllers` name `nodeipam`); run it with ONE worker per cluster. */
export { NodeIpamController, defaultClusterCIDR, defaultNodeCIDRMaskSize, type NodeIpamOptions } from './node-ipam-controller.js';
/** The cluster CIDR cut into node subnets (pure); its constructor validates a --cluster-cidr / --node-cidr-mask-size pair. */
export { CidrSet, cidrsOverlap, parseIpv4Cidr, formatIpv4Cidr, type Ipv4Net } from './cidr-set.js';

// Node-level settings the rules depend on, behind a seam so the proxier is testable without root.
//
// Local route for the service CIDR (`ip route replace local <serviceCIDR> dev lo`): for a process on the
// node, the kernel routes a packet (and picks its source address) at connect() time, before nat OUTPUT
// DNATs it. Without a route to the VIP, connect() fails (or the packet follows the default route off the
// node); an `unreachable` route would fail connect() before the DNAT rules are even consulted. A local route
// makes every VIP deliverable on the node: with a rule it is DNATed to an endpoint, without one it ends
// here: a filter-table REJECT (rendered for the whole service CIDR, after DNAT) or, failing that, the local
// stack's RST, so a VIP without a rule is refused on the node and never leaves it. The cost the brief warns
// about (the node "answers" for every VIP, so a host listener on 0.0.0.0 could accept VIP traffic) is what
// the catch-all REJECT closes; kube-proxy's IPVS mode makes the same trade with a dummy interface.
//
// route_localnet: node ports on 127.0.0.1 are DNATed to a non-loopback endpoint, which the kernel drops as
// a martian unless net.ipv4.conf.all.route_localnet=1. It is a per-netns sysctl; the FIREWALL chain in
// the filter table blocks what it would otherwise let in from the outside.
import { runCommand, type CommandTarget } from './run-command.js';

export interface NodeNetwork {
  /** Routes `serviceCIDR` locally (idempotent). */
  ensureLocalServiceRoute(serviceCIDR: string): Promise<void>;
  /** Sets net.ipv4.conf.all.route_localnet=1 (idempotent). */
  enableRouteLocalnet(): Promise<void>;
}

/** The real thing, with `ip` and /proc/sys, in the target network namespace. */
export class RealNodeNetwork implements NodeNetwork {
  constructor(private readonly target: CommandTarget = {}) {}

  async ensureLocalServiceRoute(serviceCIDR: string): Promise<void> {
    await runCommand(this.target, ['ip', 'route', 'replace', 'local', serviceCIDR, 'dev', 'lo', 'table', 'local']);
  }

  async enableRouteLocalnet(): Promise<void> {
    // Written from a process inside the namespace: /proc/sys/net shows the namespace of the reader.
    await runCommand(this.target, ['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet']);
  }
}

/** Records calls; for unit tests. */
export class FakeNodeNetwork implements NodeNetwork {
  readonly calls: string[] = [];

  async ensureLocalServiceRoute(serviceCIDR: string): Promise<void> {
    this.calls.push(`route local ${serviceCIDR}`);
  }

  async enableRouteLocalnet(): Promise<void> {
    this.calls.push('route_localnet=1');
  }
}

// The node's pod network on Docker: once the kubelet tells the runtime the node's pod CIDR (CRI
// UpdateRuntimeConfig, as upstream's kubelet does when Node.spec.podCIDR is set), new sandboxes join a
// bridge network `skiff-pods-<cidr with . and / as ->` with that subnet and gateway .1, so pod IPs come
// from the CIDR the control plane gave this node and other nodes can route to them. Until then sandboxes
// stay on Docker's default bridge. Nothing is persisted here: the network itself lives in Docker, and a
// restarted runtime learns the CIDR again from the kubelet's next UpdateRuntimeConfig.
import type Dockerode from 'dockerode';
import type { Logger } from 'pino';
import { isIPv4 } from '../../api/names.js';
import { dockerMessage, dockerStatusCode, failedPrecondition, invalidArgument } from './errors.js';

/** Label on the networks Skiff makes, holding the pod CIDR (to tell them from anyone else's). */
export const podCidrNetworkLabel = 'io.skiff.pod-cidr';
/** How long a create that lost a race waits for the winner's network to show, in ms. */
const raceWaitMs = 5_000;

/** Prefix of the pod network's name. */
export const podNetworkPrefix = 'skiff-pods-';

/** The Docker network name for a pod CIDR: `10.244.1.0/24` → `skiff-pods-10-244-1-0-24`. */
export function podNetworkName(podCIDR: string): string {
  return `${podNetworkPrefix}${podCIDR.replace(/[./]/g, '-')}`;
}

/** The normalised IPv4 CIDR and its gateway (first host address); throws INVALID_ARGUMENT otherwise. */
export function podSubnet(podCIDR: string): { subnet: string; gateway: string } {
  const [ip, bitsText, extra] = podCIDR.split('/');
  const bits = Number(bitsText);
  if (extra !== undefined || !ip || !isIPv4(ip) || !/^\d{1,2}$/.test(bitsText ?? '') || bits > 30) {
    throw invalidArgument(`pod CIDR "${podCIDR}" is not an IPv4 CIDR with a prefix length up to /30`);
  }
  const octets = ip.split('.').map(Number);
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const base = value - (value % size);
  const text = (v: number): string => [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
  return { subnet: `${text(base)}/${bits}`, gateway: text(base + 1) };
}

/** The sandboxes' network: the configured pod network, or Docker's default bridge. */
export class PodNetwork {
  private configured: { podCIDR: string; name: string; subnet: string; gateway: string } | undefined;
  /** Serialises configure/ensure so two UpdateRuntimeConfig calls do not race each other here. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly docker: Dockerode,
    private readonly log: Logger,
  ) {}

  /** The pod CIDR last configured, or undefined (default bridge). */
  get podCIDR(): string | undefined {
    return this.configured?.podCIDR;
  }

  /**
   * Sets the node's pod CIDR and makes sure its network exists. An empty CIDR changes nothing (upstream's
   * runtimes ignore it too). A different CIDR than before moves NEW sandboxes to the new network; the old
   * one is removed when no container uses it any more.
   */
  configure(podCIDR: string): Promise<void> {
    return this.serial(async () => {
      if (!podCIDR) return;
      const { subnet, gateway } = podSubnet(podCIDR);
      const previous = this.configured;
      const next = { podCIDR, name: podNetworkName(subnet), subnet, gateway };
      await this.ensure(next);
      this.configured = next;
      if (previous && previous.name !== next.name) await this.removeIfUnused(previous.name);
      if (previous?.name !== next.name) this.log.info({ podCIDR: subnet, network: next.name, gateway }, 'pod network configured');
    });
  }

  /**
   * The Docker network mode for a new (non-host-network) sandbox: the pod network, re-created first if
   * someone removed it, or `bridge` when no pod CIDR is configured.
   */
  sandboxNetworkMode(): Promise<string> {
    return this.serial(async () => {
      const c = this.configured;
      if (!c) return 'bridge';
      await this.ensure(c);
      return c.name;
    });
  }

  /** Whether sandboxes can get a network now: the pod network (or the default bridge) exists. */
  async ready(): Promise<{ ok: true } | { ok: false; reason: string; message: string }> {
    const name = this.configured?.name ?? 'bridge';
    try {
      await this.docker.getNetwork(name).inspect();
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: this.configured ? 'PodNetworkMissing' : 'BridgeNetworkMissing', message: `docker network ${name}: ${dockerMessage(err)}` };
    }
  }

  private serial<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async ensure(want: { name: string; subnet: string; gateway: string; podCIDR: string }): Promise<void> {
    const existing = await this.find(want.name);
    if (existing) return this.check(existing, want);
    try {
      await this.docker.createNetwork({
        Name: want.name,
        CheckDuplicate: true,
        Driver: 'bridge',
        IPAM: { Driver: 'default', Config: [{ Subnet: want.subnet, Gateway: want.gateway }] },
        Labels: { [podCidrNetworkLabel]: want.subnet },
      });
      this.log.info({ network: want.name, subnet: want.subnet }, 'created pod network');
    } catch (err) {
      // Another runtime on this engine created it between our look and our create: Docker answers 409
      // (name taken) or, when the racers pass the name check together, "Pool overlaps" for the loser.
      // The winner's network may be listed only a moment later (Docker reserves the pool first), so look
      // for it for a short while before giving up.
      if (!(await this.appears(want.name))) throw failedPrecondition(`cannot create pod network ${want.name} (${want.subnet}): ${dockerMessage(err)}`);
    }
    await this.dedupe(want.name);
    const made = await this.find(want.name);
    if (!made) throw failedPrecondition(`pod network ${want.name} vanished right after it was created`);
    this.check(made, want);
  }

  /** Polls for a network of this name for up to raceWaitMs. */
  private async appears(name: string): Promise<boolean> {
    const deadline = Date.now() + raceWaitMs;
    for (;;) {
      if (await this.find(name)) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The network with exactly this name (Docker's name filter matches substrings). */
  private async find(name: string): Promise<Dockerode.NetworkInspectInfo | undefined> {
    const list = await this.docker.listNetworks({ filters: { name: [name] } });
    return list.filter((n) => n.Name === name).sort((a, b) => a.Id.localeCompare(b.Id))[0];
  }

  /**
   * Docker's duplicate-name check is best effort: two creates racing can both succeed. Every racer keeps
   * the same one (lowest id) and removes the others, so all sandboxes end up on one network.
   */
  private async dedupe(name: string): Promise<void> {
    const same = (await this.docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name).sort((a, b) => a.Id.localeCompare(b.Id));
    for (const extra of same.slice(1)) {
      await this.docker.getNetwork(extra.Id).remove().catch((err: unknown) => {
        if (dockerStatusCode(err) !== 404) this.log.warn({ network: name, id: extra.Id, err: dockerMessage(err) }, 'could not remove a duplicate pod network');
      });
    }
  }

  private check(net: Dockerode.NetworkInspectInfo, want: { name: string; subnet: string }): void {
    const subnets = (net.IPAM?.Config ?? []).map((c) => c.Subnet);
    if (!subnets.includes(want.subnet)) {
      throw failedPrecondition(`docker network ${want.name} exists with subnet(s) ${subnets.join(', ') || 'none'}, not ${want.subnet}; remove it`);
    }
  }

  private async removeIfUnused(name: string): Promise<void> {
    try {
      const info = await this.docker.getNetwork(name).inspect();
      if (Object.keys(info.Containers ?? {}).length > 0) return;
      await this.docker.getNetwork(name).remove();
      this.log.info({ network: name }, 'removed the previous pod network');
    } catch (err) {
      // Busy (a sandbox joined meanwhile) or already gone: it is left for whoever empties it.
      this.log.debug({ network: name, err: dockerMessage(err) }, 'previous pod network not removed');
    }
  }
}

// ClusterIPs and NodePorts for Services. Each address or port is reserved by creating one store key
// (/registry/ipallocations/<ip>, /registry/nodeportallocations/<port>): the store's create is atomic,
// so two concurrent creates — even on two API servers sharing etcd — can never get the same one.
// Leaks after a crash between reservation and the Service write are possible; upstream repairs those
// with a periodic controller, which Skiff does not have yet.
import { AlreadyExistsError, InvalidError, NotFoundError, type FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { Store } from '../storage/store.js';
import { isRecord } from './body.js';
import { formatIpv4, isAllocatable, parseCidr, parseIpv4, type Ipv4Range } from './ip-range.js';

export interface PortRange {
  min: number;
  max: number;
}

const ipPrefix = '/registry/ipallocations/';
const portPrefix = '/registry/nodeportallocations/';
const randomAttempts = 20;

/** A reservation in progress: undo it if the Service write fails, or release what the old object no longer uses once it succeeds. */
export interface AllocationPlan {
  rollback(): Promise<void>;
  commit(): Promise<void>;
}

function invalid(svc: KubeObject, errors: FieldError[]): InvalidError {
  return new InvalidError({ kind: 'Service', name: svc.metadata.name ?? '' }, errors);
}

export function parsePortRange(text: string): PortRange {
  const m = /^(\d+)-(\d+)$/.exec(text);
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (!m || min < 1 || max > 65535 || min > max) throw new Error(`invalid node port range "${text}"`);
  return { min, max };
}

function portsOf(svc: KubeObject | undefined): Record<string, unknown>[] {
  const ports = isRecord(svc?.spec) ? svc.spec.ports : undefined;
  return Array.isArray(ports) ? ports.filter(isRecord) : [];
}

function clusterIpOf(svc: KubeObject | undefined): string | undefined {
  const ip = isRecord(svc?.spec) ? svc.spec.clusterIP : undefined;
  return typeof ip === 'string' && ip !== '' && ip !== 'None' ? ip : undefined;
}

function needsNodePorts(type: unknown): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}

export class ServiceAllocator {
  readonly range: Ipv4Range;

  constructor(
    private readonly store: Store,
    serviceCIDR: string,
    readonly ports: PortRange,
  ) {
    this.range = parseCidr(serviceCIDR);
  }

  /** The first address of the range, reserved for the `kubernetes` Service (10.96.0.1 by default). */
  get apiServerIp(): string {
    return formatIpv4(this.range.base + 1);
  }

  private async reserve(key: string, owner: string): Promise<boolean> {
    try {
      await this.store.create(key, { apiVersion: 'v1', kind: 'Allocation', metadata: { name: key.split('/').pop() ?? '' }, owner });
      return true;
    } catch (e) {
      if (e instanceof AlreadyExistsError) return false;
      throw e;
    }
  }

  private async release(key: string): Promise<void> {
    try {
      await this.store.delete(key);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }

  /** Random tries first (cheap when the range is sparse), then a scan from a random start. */
  private async reserveAny(prefix: string, first: number, count: number, skip: (n: number) => boolean, owner: string, format: (n: number) => string): Promise<number | undefined> {
    for (let i = 0; i < randomAttempts; i++) {
      const n = first + Math.floor(Math.random() * count);
      if (!skip(n) && (await this.reserve(prefix + format(n), owner))) return n;
    }
    const taken = new Set((await this.store.list(prefix)).items.map((item) => item.key.slice(prefix.length)));
    const start = Math.floor(Math.random() * count);
    for (let i = 0; i < count; i++) {
      const n = first + ((start + i) % count);
      if (skip(n) || taken.has(format(n))) continue;
      if (await this.reserve(prefix + format(n), owner)) return n;
    }
    return undefined;
  }

  /**
   * Fills in and reserves `svc`'s clusterIP and nodePorts (keeping `old`'s on update). Mutates `svc.spec`.
   * Only the `kubernetes` Service in `default` may take the range's first address.
   */
  async plan(svc: KubeObject, old?: KubeObject): Promise<AllocationPlan> {
    const allowApiServerIp = svc.metadata.name === 'kubernetes' && svc.metadata.namespace === 'default';
    const spec = isRecord(svc.spec) ? svc.spec : (svc.spec = {});
    const owner = `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
    const reserved: string[] = [];
    const toRelease: string[] = [];
    const plan: AllocationPlan = {
      rollback: async () => {
        for (const key of reserved) await this.release(key);
      },
      commit: async () => {
        for (const key of toRelease) await this.release(key);
      },
    };
    try {
      await this.planClusterIp(svc, spec, old, owner, allowApiServerIp, reserved, toRelease);
      await this.planNodePorts(svc, spec, old, owner, reserved, toRelease);
    } catch (e) {
      await plan.rollback();
      throw e;
    }
    return plan;
  }

  private async planClusterIp(svc: KubeObject, spec: Record<string, unknown>, old: KubeObject | undefined, owner: string, allowApiServerIp: boolean, reserved: string[], toRelease: string[]): Promise<void> {
    const oldIp = clusterIpOf(old);
    const wants = spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
    if (!wants) {
      if (oldIp) toRelease.push(ipPrefix + oldIp);
      return;
    }
    const requested = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : Array.isArray(spec.clusterIPs) && typeof spec.clusterIPs[0] === 'string' ? spec.clusterIPs[0] : undefined;
    let ip: string;
    if (oldIp && (requested === undefined || requested === oldIp)) {
      ip = oldIp;
    } else if (oldIp) {
      throw invalid(svc, [{ field: 'spec.clusterIPs[0]', type: 'FieldValueInvalid', detail: `Invalid value: "${requested ?? ''}": may not change once set` }]);
    } else if (requested !== undefined) {
      const n = parseIpv4(requested);
      const fail = (why: string): InvalidError =>
        invalid(svc, [{ field: 'spec.clusterIPs', type: 'FieldValueInvalid', detail: `Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: ${why}` }]);
      if (n === undefined || !isAllocatable(this.range, n) || (n === this.range.base + 1 && !allowApiServerIp)) {
        throw fail(`the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.range.cidr}`);
      }
      if (!(await this.reserve(ipPrefix + requested, owner))) throw fail('provided IP is already allocated');
      reserved.push(ipPrefix + requested);
      ip = requested;
    } else {
      const n = await this.reserveAny(ipPrefix, this.range.base + 2, this.range.size - 3, () => false, owner, formatIpv4);
      if (n === undefined) {
        throw invalid(svc, [{ field: 'spec.clusterIPs', type: 'FieldValueInvalid', detail: 'Invalid value: []string{}: failed to allocate a serviceIP: range is full' }]);
      }
      ip = formatIpv4(n);
      reserved.push(ipPrefix + ip);
    }
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }

  private async planNodePorts(svc: KubeObject, spec: Record<string, unknown>, old: KubeObject | undefined, owner: string, reserved: string[], toRelease: string[]): Promise<void> {
    const oldPorts = portsOf(old);
    const oldNodePorts = new Set(oldPorts.map((p) => p.nodePort).filter((n): n is number => typeof n === 'number'));
    const kept = new Set<number>();
    const ports = portsOf(svc);
    for (const [i, port] of ports.entries()) {
      if (!needsNodePorts(spec.type)) {
        delete port.nodePort;
        continue;
      }
      let wanted = port.nodePort;
      if (wanted === undefined || wanted === 0) {
        const previous = oldPorts.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
        if (typeof previous?.nodePort === 'number' && !kept.has(previous.nodePort)) wanted = previous.nodePort;
      }
      if (typeof wanted === 'number' && oldNodePorts.has(wanted) && !kept.has(wanted)) {
        kept.add(wanted);
        port.nodePort = wanted;
        continue;
      }
      const field = `spec.ports[${i}].nodePort`;
      if (typeof wanted === 'number' && wanted !== 0) {
        if (!Number.isInteger(wanted) || wanted < this.ports.min || wanted > this.ports.max) {
          throw invalid(svc, [{ field, type: 'FieldValueInvalid', detail: `Invalid value: ${wanted}: provided port is not in the valid range. The range of valid ports is ${this.ports.min}-${this.ports.max}` }]);
        }
        if (!(await this.reserve(portPrefix + wanted, owner))) {
          throw invalid(svc, [{ field, type: 'FieldValueInvalid', detail: `Invalid value: ${wanted}: provided port is already allocated` }]);
        }
        reserved.push(portPrefix + wanted);
        continue;
      }
      const n = await this.reserveAny(portPrefix, this.ports.min, this.ports.max - this.ports.min + 1, () => false, owner, String);
      if (n === undefined) {
        throw invalid(svc, [{ field, type: 'FieldValueInvalid', detail: 'Invalid value: 0: failed to allocate a nodePort: range is full' }]);
      }
      port.nodePort = n;
      reserved.push(portPrefix + n);
    }
    for (const n of oldNodePorts) if (!kept.has(n)) toRelease.push(portPrefix + n);
  }

  /** Frees everything a deleted Service held. */
  async releaseService(svc: KubeObject): Promise<void> {
    const ip = clusterIpOf(svc);
    if (ip) await this.release(ipPrefix + ip);
    for (const p of portsOf(svc)) if (typeof p.nodePort === 'number') await this.release(portPrefix + p.nodePort);
  }
}

// Stands in for the kubelet in controller tests: nothing runs pods here, so this marks pods of one
// namespace Running and Ready (with a pod IP) through the status subresource, as a kubelet would report
// them. `hold()` stops it readying new pods, to look at a rollout mid-way.
import pino from 'pino';
import type { Pod } from '../../api/index.js';
import { Informer, type RestClient } from '../../client/index.js';
import { podsResource } from '../../control-plane/controllers/resources.js';
import { markPodReady } from './harness.js';

export class FakeKubelet {
  private readonly informer: Informer<Pod>;
  private nextIp = 2;
  private held = false;
  private readonly inFlight = new Set<string>();
  private readonly pending: Promise<unknown>[] = [];

  constructor(
    private readonly client: RestClient,
    namespace: string,
    private readonly delayMs = 20,
  ) {
    this.informer = new Informer<Pod>(client, podsResource, { namespace, logger: pino({ level: 'silent' }) });
    this.informer.addEventHandler({ onAdd: (p) => this.consider(p), onUpdate: (_o, p) => this.consider(p) });
  }

  async start(): Promise<void> {
    this.informer.start();
    await this.informer.waitForSync(10_000);
  }

  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    for (const p of this.informer.list()) this.consider(p);
  }

  /** Pods this kubelet made ready, by name -> IP. */
  readonly ips = new Map<string, string>();

  private consider(pod: Pod): void {
    if (this.held || pod.metadata.deletionTimestamp) return;
    if ((pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')) return;
    const name = pod.metadata.name ?? '';
    if (this.inFlight.has(name)) return;
    this.inFlight.add(name);
    const ip = `10.244.0.${this.nextIp++}`;
    this.pending.push(
      new Promise((r) => setTimeout(r, this.delayMs))
        .then(() => markPodReady(this.client, pod, ip))
        .then(() => this.ips.set(name, ip))
        .catch(() => undefined)
        .finally(() => this.inFlight.delete(name)),
    );
  }

  async stop(): Promise<void> {
    await this.informer.stop();
    await Promise.allSettled(this.pending);
  }
}

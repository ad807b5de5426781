// The pod lifecycle event generator, as upstream's GenericPLEG: every second it relists all sandboxes and
// containers from the CRI, groups them by pod uid label, and wakes the worker of every pod whose set of
// (id, state) changed, so that a container that died or was killed outside Skiff is noticed within a
// second or two. It also tells housekeeping which pod uids exist in the runtime.
import type { Logger } from 'pino';
import type { Clock, Timer } from '../../client/index.js';
import { managedByLabel, nodeLabel, podUidLabel } from './labels.js';
import type { RuntimeService } from './runtime.js';

export const relistPeriodMs = 1000;

export class Pleg {
  private fingerprints = new Map<string, string>();
  private timer: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly runtime: RuntimeService,
    private readonly nodeName: string,
    private readonly clock: Clock,
    private readonly onPodChanged: (uid: string) => void,
    private readonly log: Logger,
    private readonly periodMs = relistPeriodMs,
  ) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Pod uids the runtime held at the last relist. */
  runtimeUids(): string[] {
    return [...this.fingerprints.keys()];
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(() => {
      void this.relist()
        .catch((err: unknown) => this.log.warn({ err: String(err) }, 'relist failed'))
        .finally(() => this.schedule(this.periodMs));
    }, ms);
  }

  /** One relist: lists, diffs, wakes. */
  async relist(): Promise<void> {
    const selector = { [nodeLabel]: this.nodeName };
    const [sbs, cts] = await Promise.all([this.runtime.listPodSandbox({ filter: { label_selector: selector } }), this.runtime.listContainers({ filter: { label_selector: selector } })]);
    const parts = new Map<string, string[]>();
    const add = (labels: Record<string, string>, entry: string): void => {
      const uid = labels[podUidLabel];
      if (!uid || labels[managedByLabel] !== 'true' || labels[nodeLabel] !== this.nodeName) return;
      const list = parts.get(uid) ?? [];
      list.push(entry);
      parts.set(uid, list);
    };
    for (const s of sbs.items) add(s.labels, `s:${s.id}:${s.state}`);
    for (const c of cts.containers) add(c.labels, `c:${c.id}:${c.state}`);
    const next = new Map<string, string>();
    for (const [uid, list] of parts) next.set(uid, list.sort().join(','));
    const changed = new Set<string>();
    for (const [uid, fp] of next) if (this.fingerprints.get(uid) !== fp) changed.add(uid);
    for (const uid of this.fingerprints.keys()) if (!next.has(uid)) changed.add(uid);
    this.fingerprints = next;
    for (const uid of changed) this.onPodChanged(uid);
  }
}

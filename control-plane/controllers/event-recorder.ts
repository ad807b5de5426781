// Events the controllers record about what they did (client-go's EventRecorder, reduced): core/v1 Events
// named `<object>.<unique>`, with a repeat of the same object, reason and message within ten minutes
// counted on the existing Event (upstream's EventCorrelator) instead of creating another. Recording never
// blocks or fails a reconcile: writes run in the background and errors are only logged at debug.
import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../../api/errors.js';
import type { CoreEvent } from '../../api/index.js';
import type { KubeObject } from '../../api/object.js';
import { requireResource } from '../../api/resources.js';
import type { Clock, Logger, RestClient } from '../../client/index.js';
import { timestamp } from './time.js';

const eventsResource = requireResource('', 'v1', 'events');
const aggregateWindowMs = 10 * 60 * 1000;
const maxRemembered = 4096;
/** Events being written at once; beyond this they wait, so a burst of pod creations is not doubled in requests. */
const maxInFlight = 4;

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  atMs: number;
}

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Records that `component` did something to `obj`. Returns at once. */
  event(component: string, obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.throttled(() => this.write(component, obj, type, reason, message)).catch((err: unknown) => {
      this.log.debug({ err, object: obj.metadata.name, reason }, 'event not recorded');
    });
  }

  private async throttled(fn: () => Promise<void>): Promise<void> {
    if (this.inFlight >= maxInFlight) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    try {
      await fn();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  private async write(component: string, obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const namespace = obj.metadata.namespace || 'default';
    const key = [obj.metadata.uid, component, reason, message].join('\u0000');
    const now = timestamp(this.clock);
    const nowMs = this.clock.now();
    const prior = this.seen.get(key);
    if (prior && nowMs - prior.atMs < aggregateWindowMs) {
      prior.count++;
      prior.atMs = nowMs;
      try {
        await this.client.patch(eventsResource, prior.name, { count: prior.count, lastTimestamp: now }, { namespace: prior.namespace });
        return;
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    const name = `${obj.metadata.name ?? 'unknown'}.${randomBytes(8).toString('hex')}`;
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component },
      reportingComponent: component,
      reportingInstance: component,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    await this.client.create(eventsResource, event, { namespace });
    this.remember(key, { name, namespace, count: 1, firstTimestamp: now, atMs: nowMs });
  }

  private remember(key: string, seen: Seen): void {
    this.seen.set(key, seen);
    if (this.seen.size > maxRemembered) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}

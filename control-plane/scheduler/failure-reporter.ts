// Tells users why a pod is not scheduled, as upstream's handleSchedulingFailure does: a Warning event
// `FailedScheduling` on the pod (core/v1 Event, source default-scheduler) and the pod's PodScheduled
// condition False/Unschedulable with the same message.
//
// No spam: the caller reports at most once per scheduling attempt, and attempts are spaced by the
// queue's back-off and parking. A repeat of the same message for the same pod bumps the previous
// event's count and lastTimestamp (the event correlator's aggregation) instead of writing a new one,
// and the condition is written only when its reason or message changes.
import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../../api/errors.js';
import type { CoreEvent } from '../../api/types/event.js';
import type { Pod, PodCondition } from '../../api/types/pod.js';
import { findResource, type ResourceInfo } from '../../api/resources.js';
import type { Clock } from '../../client/clock.js';
import type { Logger } from '../../client/log.js';
import type { RestClient } from '../../client/rest-client.js';

/** Upstream's default scheduler name, also the events' source component. */
export const defaultSchedulerName = 'default-scheduler';

const podsResource = findResource('', 'v1', 'pods') as ResourceInfo;
const eventsResource = findResource('', 'v1', 'events') as ResourceInfo;

interface LastEvent {
  name: string;
  message: string;
  count: number;
}

export interface FailureReporterOptions {
  client: RestClient;
  clock: Clock;
  logger: Logger;
  schedulerName: string;
  /** reportingInstance of the events (upstream: `<scheduler name>-<host name>`). */
  instance: string;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The PodScheduled=False condition list, or undefined when the pod already carries exactly that. */
export function unschedulableConditions(pod: Pod, message: string, nowIso: string): PodCondition[] | undefined {
  const conditions = pod.status?.conditions ?? [];
  const old = conditions.find((c) => c.type === 'PodScheduled');
  if (old && old.status === 'False' && old.reason === 'Unschedulable' && old.message === message) return undefined;
  const next: PodCondition = {
    type: 'PodScheduled',
    status: 'False',
    reason: 'Unschedulable',
    message,
    lastProbeTime: null,
    lastTransitionTime: old?.status === 'False' ? (old.lastTransitionTime ?? nowIso) : nowIso,
  };
  return [...conditions.filter((c) => c.type !== 'PodScheduled'), next];
}

export class FailureReporter {
  private readonly lastEvents = new Map<string, LastEvent>();

  constructor(private readonly options: FailureReporterOptions) {}

  /** Writes the event and the condition; logs (does not throw) API errors, the next attempt retries. */
  async report(key: string, pod: Pod, message: string): Promise<void> {
    await Promise.all([this.recordEvent(key, pod, message), this.updateCondition(pod, message)]);
  }

  /** The pod was bound or deleted: its aggregation state goes. */
  forget(key: string): void {
    this.lastEvents.delete(key);
  }

  private async recordEvent(key: string, pod: Pod, message: string): Promise<void> {
    const { client, clock } = this.options;
    const namespace = pod.metadata.namespace ?? 'default';
    const now = isoSeconds(clock.now());
    const last = this.lastEvents.get(key);
    try {
      if (last && last.message === message) {
        const count = last.count + 1;
        await client.patch(eventsResource, last.name, { count, lastTimestamp: now }, { namespace });
        this.lastEvents.set(key, { ...last, count });
        return;
      }
    } catch (err) {
      if (!(err instanceof NotFoundError)) {
        this.options.logger.warn({ err, pod: key }, 'updating FailedScheduling event failed');
        return;
      }
      // The event expired (TTL) or was deleted: write a fresh one below.
    }
    const name = `${pod.metadata.name ?? ''}.${randomBytes(8).toString('hex')}`;
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        resourceVersion: pod.metadata.resourceVersion,
      },
      reason: 'FailedScheduling',
      message,
      type: 'Warning',
      source: { component: this.options.schedulerName },
      reportingComponent: this.options.schedulerName,
      reportingInstance: this.options.instance,
      action: 'Scheduling',
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await client.create(eventsResource, event, { namespace });
      this.lastEvents.set(key, { name, message, count: 1 });
    } catch (err) {
      this.options.logger.warn({ err, pod: key }, 'writing FailedScheduling event failed');
    }
  }

  private async updateCondition(pod: Pod, message: string): Promise<void> {
    const conditions = unschedulableConditions(pod, message, isoSeconds(this.options.clock.now()));
    if (!conditions) return;
    const namespace = pod.metadata.namespace ?? 'default';
    try {
      // A merge patch replaces the list whole: fine here, nobody else writes conditions of an unbound pod.
      await this.options.client.patch(podsResource, pod.metadata.name ?? '', { status: { conditions } }, { namespace, subresource: 'status' });
    } catch (err) {
      if (err instanceof NotFoundError) return;
      this.options.logger.warn({ err, pod: `${namespace}/${pod.metadata.name ?? ''}` }, 'updating PodScheduled condition failed');
    }
  }
}

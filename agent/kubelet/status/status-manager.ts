// Writes pod statuses through the status subresource, only when they changed: against what this kubelet
// last wrote for the pod and against what the API server holds. A merge patch carries the whole status and
// the pod uid as a precondition (a recreated pod of the same name is never patched with a stale status).
import type { Pod, PodStatus } from '../../../api/index.js';
import { NotFoundError, ConflictError } from '../../../api/errors.js';
import type { Logger } from 'pino';
import type { RestClient } from '../../../client/index.js';
import { podsResource } from '../resources.js';
import { podKey } from '../labels.js';

/** Where statuses go: the API server in production, a recorder in tests. */
export interface StatusWriter {
  patchStatus(pod: Pod, status: PodStatus): Promise<void>;
}

/** Canonical JSON (sorted keys) for comparing statuses. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => {
    if (val && typeof val === 'object' && !Array.isArray(val)) {
      return Object.fromEntries(Object.entries(val as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return val;
  });
}

/** Patches pods/status on the API server. */
export class ApiStatusWriter implements StatusWriter {
  constructor(private readonly client: RestClient) {}

  async patchStatus(pod: Pod, status: PodStatus): Promise<void> {
    await this.client.patch(podsResource, pod.metadata.name ?? '', { metadata: { uid: pod.metadata.uid }, status }, { namespace: pod.metadata.namespace, subresource: 'status' });
  }
}

export class StatusManager {
  private readonly lastWritten = new Map<string, string>();

  constructor(
    private readonly writer: StatusWriter,
    private readonly log: Logger,
  ) {}

  /** Writes `status` unless it equals what was written last or what `pod` already carries. Answers whether it wrote. */
  async setStatus(pod: Pod, status: PodStatus): Promise<boolean> {
    const uid = pod.metadata.uid ?? '';
    const text = canonical(status);
    if (this.lastWritten.get(uid) === text) return false;
    if (canonical(pod.status ?? {}) === text) {
      this.lastWritten.set(uid, text);
      return false;
    }
    try {
      await this.writer.patchStatus(pod, status);
      this.lastWritten.set(uid, text);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof ConflictError) {
        this.log.debug({ pod: podKey(pod), err: String(err) }, 'pod status not written: pod gone or replaced');
        return false;
      }
      throw err;
    }
  }

  /** The status last written for the pod, if any. */
  last(uid: string): PodStatus | undefined {
    const t = this.lastWritten.get(uid);
    return t ? (JSON.parse(t) as PodStatus) : undefined;
  }

  forget(uid: string): void {
    this.lastWritten.delete(uid);
  }
}

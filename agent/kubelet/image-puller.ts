// Image pulls per imagePullPolicy, as upstream's imageManager.EnsureImageExists: Never needs the image
// present (ErrImageNeverPull), IfNotPresent pulls when absent, Always pulls every time. A failed pull shows
// ErrImagePull, and further attempts back off (ImagePullBackOff) per image.
import type { Container, PullPolicy } from '../../api/index.js';
import type { Backoff } from './backoff.js';
import type { ImageService } from './runtime.js';
import type { Waiting } from './status/index.js';

/** Upstream defaulting: `:latest` or untagged images pull Always, others IfNotPresent. */
export function pullPolicyOf(c: Container): PullPolicy {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image = c.image ?? '';
  const afterSlash = image.slice(image.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  const tag = afterSlash.includes(':') ? afterSlash.slice(afterSlash.indexOf(':') + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export type EnsureImageResult = { ok: true; imageRef: string } | { ok: false; waiting: Waiting };

export class ImagePuller {
  /** When each (pod, image) last failed to pull: the back-off runs from there. */
  private readonly lastFailureMs = new Map<string, number>();

  constructor(
    private readonly images: ImageService,
    private readonly backoff: Backoff,
  ) {}

  /** Makes sure the container's image is present; answers its reference or the waiting reason. */
  async ensure(podUid: string, c: Container, nowMs: number): Promise<EnsureImageResult> {
    const image = c.image ?? '';
    const policy = pullPolicyOf(c);
    const status = await this.images.imageStatus({ image: { image } });
    if (status.image && policy !== 'Always') return { ok: true, imageRef: status.image.id };
    if (policy === 'Never') {
      return { ok: false, waiting: { reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` } };
    }
    const key = `${podUid}/${image}`;
    const failedAt = this.lastFailureMs.get(key);
    if (failedAt !== undefined && this.backoff.isInBackOffSince(key, failedAt)) {
      return { ok: false, waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
    }
    try {
      const r = await this.images.pullImage({ image: { image } });
      this.backoff.reset(key);
      this.lastFailureMs.delete(key);
      return { ok: true, imageRef: r.image_ref };
    } catch (err) {
      this.backoff.next(key, nowMs);
      this.lastFailureMs.set(key, nowMs);
      return { ok: false, waiting: { reason: 'ErrImagePull', message: err instanceof Error ? err.message : String(err) } };
    }
  }

  /** Ms until the pull of (pod, image) may be retried; 0 when it may now. */
  retryInMs(podUid: string, image: string): number {
    const key = `${podUid}/${image}`;
    const failedAt = this.lastFailureMs.get(key);
    return failedAt === undefined ? 0 : this.backoff.remainingMs(key, failedAt);
  }

  /** Forgets a pod's pull failures. */
  forgetPod(podUid: string): void {
    for (const k of [...this.lastFailureMs.keys()]) if (k.startsWith(`${podUid}/`)) this.lastFailureMs.delete(k);
    this.backoff.resetPrefix(`${podUid}/`);
  }
}

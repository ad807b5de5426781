// The one-line errors a join ends with. `refused` is the cluster (or the pin) saying no: a wrong CA hash,
// an invalid or expired token, a denied request. `failed` is everything that might work on a retry: the
// server unreachable, no certificate in time. Messages never carry the token's secret.

export class JoinError extends Error {
  constructor(
    readonly kind: 'refused' | 'failed',
    detail: string,
  ) {
    super(`join ${kind}: ${detail}`);
    this.name = 'JoinError';
  }
}

export const joinRefused = (detail: string): JoinError => new JoinError('refused', detail);
export const joinFailed = (detail: string): JoinError => new JoinError('failed', detail);

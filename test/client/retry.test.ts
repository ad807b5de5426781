import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../api/errors.js';
import { FakeClock } from '../../client/clock.js';
import { retryOnConflict } from '../../client/retry.js';

const conflict = (): ConflictError => new ConflictError({ kind: 'pods', name: 'web' });

describe('retryOnConflict', () => {
  it('retries after conflicts until the write succeeds', async () => {
    let calls = 0;
    const result = await retryOnConflict(
      async () => {
        calls++;
        if (calls < 3) throw conflict();
        return 'written';
      },
      { delayMs: 1 },
    );
    expect(result).toBe('written');
    expect(calls).toBe(3);
  });

  it('rethrows the last conflict once the attempts run out', async () => {
    let calls = 0;
    const err = await retryOnConflict(
      async () => {
        calls++;
        throw conflict();
      },
      { steps: 4, delayMs: 1 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(calls).toBe(4);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const err = await retryOnConflict(async () => {
      calls++;
      throw new NotFoundError({ kind: 'pods', name: 'web' });
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(calls).toBe(1);
  });

  it('waits the growing delay between attempts on the injected clock', async () => {
    const clock = new FakeClock();
    const at: number[] = [];
    const done = retryOnConflict(
      async () => {
        at.push(clock.now());
        if (at.length < 3) throw conflict();
      },
      { clock, delayMs: 100, factor: 2, jitter: 0 },
    );
    await clock.advance(1000);
    await done;
    expect(at).toEqual([0, 100, 300]);
  });
});

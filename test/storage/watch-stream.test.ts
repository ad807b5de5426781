import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import type { StoreEvent } from '../../control-plane/storage/store.js';
import { WatchStream } from '../../control-plane/storage/watch-stream.js';

function event(revision: number): StoreEvent {
  return { type: 'ADDED', key: `/registry/pods/default/p${revision}`, object: { metadata: { name: `p${revision}` } }, revision };
}

function recorder(): { seen: (number | string)[]; handlers: { onEvent(e: StoreEvent<KubeObject>): void; onError(e: Error): void } } {
  const seen: (number | string)[] = [];
  return { seen, handlers: { onEvent: (e) => seen.push(e.revision), onError: (e) => seen.push(`error: ${e.message}`) } };
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('WatchStream', () => {
  it('delivers on a later turn, in order, dropping revisions at or below the last queued one', async () => {
    const { seen, handlers } = recorder();
    const stream = new WatchStream('/registry/pods/', 2, handlers);
    for (const r of [1, 2, 3, 4, 4, 3, 5]) stream.push(event(r));
    expect(seen).toEqual([]);
    await nextTurn();
    expect(seen).toEqual([3, 4, 5]);
    expect(stream.lastQueuedRevision).toBe(5);
  });

  it('reports a failure once, after the events queued before it, and nothing afterwards', async () => {
    const { seen, handlers } = recorder();
    let stops = 0;
    const stream = new WatchStream('/registry/pods/', 0, handlers, () => stops++);
    stream.push(event(1));
    stream.fail(new Error('gone'));
    stream.fail(new Error('again'));
    stream.push(event(2));
    await nextTurn();
    expect(seen).toEqual([1, 'error: gone']);
    expect(stops).toBe(1);
  });

  it('delivers nothing after stop, not even events already queued', async () => {
    const { seen, handlers } = recorder();
    const stream = new WatchStream('/registry/pods/', 0, handlers);
    stream.push(event(1));
    stream.stop();
    stream.stop();
    stream.fail(new Error('late'));
    await nextTurn();
    expect(seen).toEqual([]);
  });

  it('ends the stream with onError when a handler throws', async () => {
    const errors: Error[] = [];
    const seen: number[] = [];
    const stream = new WatchStream('/registry/pods/', 0, {
      onEvent: (e) => {
        seen.push(e.revision);
        if (e.revision === 2) throw new Error('handler broke');
      },
      onError: (e) => errors.push(e),
    });
    for (const r of [1, 2, 3]) stream.push(event(r));
    await nextTurn();
    stream.push(event(4));
    await nextTurn();
    expect(seen).toEqual([1, 2]);
    expect(errors.map((e) => e.message)).toEqual(['handler broke']);
    expect(stream.active).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCriLog, selectLog } from '../../agent/kubelet/logs/container-log.js';
import { logOptionsOf } from '../../agent/kubelet/logs/log-server.js';

const file = [
  '2026-01-01T00:00:01.000000000Z stdout F one',
  '2026-01-01T00:00:02.000000000Z stderr F two',
  '2026-01-01T00:00:03.000000000Z stdout P thr',
  '2026-01-01T00:00:03.100000000Z stdout F ee',
  '2026-01-01T00:00:04.000000000Z stdout F four',
  '',
].join('\n');

describe('CRI log reading', () => {
  it.each([
    [{}, 'one\ntwo\nthree\nfour\n'],
    [{ tailLines: 2 }, 'three\nfour\n'],
    [{ tailLines: 0 }, ''],
    [{ sinceMs: Date.parse('2026-01-01T00:00:02Z') }, 'two\nthree\nfour\n'],
    [{ timestamps: true, tailLines: 1 }, '2026-01-01T00:00:04.000000000Z four\n'],
    [{ limitBytes: 6 }, 'one\ntw'],
  ])('selects with %j', (opts, out) => {
    expect(selectLog(file, opts)).toBe(out);
  });

  it('keeps an incomplete last line and an open partial record for the next chunk', () => {
    const carry = {};
    const a = parseCriLog('2026-01-01T00:00:01Z stdout P ab\n2026-01-01T00:00:01Z stdout F c', carry);
    expect(a.messages).toEqual([]);
    const b = parseCriLog(`${a.rest}d\n`, carry);
    expect(b.messages.map((m) => m.text)).toEqual(['abcd\n']);
  });

  it('reads upstream query parameters', () => {
    const q = new URLSearchParams('follow=true&tailLines=10&sinceSeconds=5&timestamps=true&previous=false&limitBytes=100');
    expect(logOptionsOf(q, 10_000)).toEqual({ follow: true, tailLines: 10, sinceMs: 5_000, timestamps: true, previous: false, limitBytes: 100 });
    expect(() => logOptionsOf(new URLSearchParams('tailLines=x'), 0)).toThrow(/invalid tailLines/);
  });
});

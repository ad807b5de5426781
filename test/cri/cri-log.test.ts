import { describe, expect, it } from 'vitest';
import { compareTimestamps, dockerMessageToRecords, dockerSince, formatCriLogLine, lastTimestampsByStream, parseCriLogLine, timestampToNanos } from '../../agent/cri/cri-log.js';

const ts = '2016-10-06T00:17:09.669794202Z';

describe('CRI log lines', () => {
  it.each([
    [{ timestamp: ts, stream: 'stdout' as const, partial: false, content: 'log line' }, `${ts} stdout F log line\n`],
    [{ timestamp: ts, stream: 'stderr' as const, partial: true, content: 'part' }, `${ts} stderr P part\n`],
    [{ timestamp: ts, stream: 'stdout' as const, partial: false, content: '' }, `${ts} stdout F \n`],
  ])('formats %j', (rec, line) => {
    expect(formatCriLogLine(rec)).toBe(line);
    expect(parseCriLogLine(line.slice(0, -1))).toEqual(rec);
  });

  it.each([
    [`${ts} hello\n`, 'stdout', [{ timestamp: ts, stream: 'stdout', partial: false, content: 'hello' }]],
    [`${ts} no newline`, 'stderr', [{ timestamp: ts, stream: 'stderr', partial: true, content: 'no newline' }]],
    [`${ts} a\r\nb\n`, 'stdout', [
      { timestamp: ts, stream: 'stdout', partial: false, content: 'a' },
      { timestamp: ts, stream: 'stdout', partial: false, content: 'b' },
    ]],
    [`${ts} \n`, 'stdout', [{ timestamp: ts, stream: 'stdout', partial: false, content: '' }]],
    ['garbage without timestamp\n', 'stdout', []],
  ])('splits Docker message %j', (msg, stream, records) => {
    expect(dockerMessageToRecords(msg, stream as 'stdout' | 'stderr')).toEqual(records);
  });

  it('converts timestamps to nanoseconds and Docker since values', () => {
    expect(timestampToNanos(ts)).toBe(1475713029669794202n);
    expect(timestampToNanos('0001-01-01T00:00:00Z')).toBe(0n);
    expect(timestampToNanos('2016-10-06T00:17:09Z')).toBe(1475713029000000000n);
    expect(dockerSince(ts)).toBe('1475713029.669794202');
  });

  it('orders timestamps by value, not by text width', () => {
    expect(compareTimestamps('2016-10-06T00:17:09.5Z', '2016-10-06T00:17:09.499999999Z')).toBeGreaterThan(0);
    expect(compareTimestamps(ts, ts)).toBe(0);
  });

  it('finds the last complete line of a file tail, ignoring a torn write', () => {
    const tail = `${ts} stdout F one\n2016-10-06T00:17:10.000000001Z stdout F two\n2016-10-06T00:17:11.0Z std`;
    expect(lastTimestampsByStream(tail)).toEqual({ stdout: '2016-10-06T00:17:10.000000001Z' });
    expect(lastTimestampsByStream('')).toEqual({});
  });

  it('finds the last line of each stream, since the two interleave out of order', () => {
    const tail = [
      '2016-10-06T00:17:10.5Z stderr F e1',
      '2016-10-06T00:17:10.4Z stdout F o1',
      '2016-10-06T00:17:10.6Z stdout F o2',
      '2016-10-06T00:17:10.7Z stderr F torn',
    ].join('\n');
    expect(lastTimestampsByStream(tail)).toEqual({ stdout: '2016-10-06T00:17:10.6Z', stderr: '2016-10-06T00:17:10.5Z' });
    expect(lastTimestampsByStream(`${ts} stdout F only\n`)).toEqual({ stdout: ts });
  });
});

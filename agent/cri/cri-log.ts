// The CRI container log format, which the kubelet's `kubectl logs` reader parses:
//   2016-10-06T00:17:09.669794202Z stdout F log line
// one line per record: RFC3339Nano timestamp, stream, tag (F = full line, P = partial: the record was
// split and continues on the next line), then the content without its newline.

export type LogStream = 'stdout' | 'stderr';

/** One record as it appears in a CRI log file. */
export interface CriLogRecord {
  timestamp: string;
  stream: LogStream;
  partial: boolean;
  content: string;
}

/** Renders one record as a CRI log line, newline included. */
export function formatCriLogLine(r: CriLogRecord): string {
  return `${r.timestamp} ${r.stream} ${r.partial ? 'P' : 'F'} ${r.content}\n`;
}

/** Parses one CRI log line (without its newline); undefined if it is not one. */
export function parseCriLogLine(line: string): CriLogRecord | undefined {
  const m = /^(\S+) (stdout|stderr) ([FP]) (.*)$/s.exec(line);
  if (!m) return undefined;
  return { timestamp: m[1]!, stream: m[2] as LogStream, partial: m[3] === 'P', content: m[4]! };
}

/**
 * Splits one Docker log message, as Docker's logs API sends it with `timestamps=1`
 * (`<RFC3339Nano fixed width> <message>`), into CRI records. A message that does not end with a newline
 * is one Docker split (16 KiB partials) and so is tagged P. A message holding several newlines (a TTY's
 * raw stream) gives one record per line.
 */
export function dockerMessageToRecords(message: string, stream: LogStream): CriLogRecord[] {
  const space = message.indexOf(' ');
  if (space <= 0) return [];
  const timestamp = message.slice(0, space);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(timestamp)) return [];
  const body = message.slice(space + 1);
  const lines = body.split('\n');
  const records: CriLogRecord[] = [];
  lines.forEach((line, i) => {
    const last = i === lines.length - 1;
    if (last && line === '') return; // the text after a trailing newline
    records.push({ timestamp, stream, partial: last, content: line.replace(/\r$/, '') });
  });
  return records;
}

/**
 * Compares two RFC3339Nano UTC timestamps by value (Docker writes fixed-width nanoseconds, but a hand-made
 * file might not). Returns <0, 0 or >0.
 */
export function compareTimestamps(a: string, b: string): number {
  const na = timestampToNanos(a);
  const nb = timestampToNanos(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Nanoseconds since the epoch of an RFC3339(Nano) timestamp; 0n for Docker's zero time or garbage. */
export function timestampToNanos(ts: string): bigint {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return 0n;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms) || ms <= 0) return 0n;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

/** Docker's `since` parameter (`<seconds>.<nanoseconds>`) for a timestamp. */
export function dockerSince(ts: string): string {
  const n = timestampToNanos(ts);
  const s = n / 1_000_000_000n;
  const frac = (n % 1_000_000_000n).toString().padStart(9, '0');
  return `${s}.${frac}`;
}

/**
 * The timestamp of the last complete line of each stream in the tail of a log file. Per stream, because
 * Docker copies stdout and stderr in separate goroutines: each stream's timestamps only ever grow, but the
 * two interleave slightly out of order in the file.
 */
export function lastTimestampsByStream(tail: string): Partial<Record<LogStream, string>> {
  const lines = tail.split('\n');
  const out: Partial<Record<LogStream, string>> = {};
  // The last element follows the final newline and so may be a torn write: only complete lines count.
  for (let i = lines.length - 2; i >= 0 && (!out.stdout || !out.stderr); i--) {
    const rec = parseCriLogLine(lines[i]!);
    if (rec && !out[rec.stream]) out[rec.stream] = rec.timestamp;
  }
  return out;
}

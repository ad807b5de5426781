// Reading CRI container log files for `kubectl logs`, as upstream's kuberuntime logs reader: records
// `<RFC3339Nano> <stream> <F|P> <content>` are joined across partial (P) records into messages, then
// sinceTime/sinceSeconds, tailLines, timestamps and limitBytes apply. Pure: text in, text out.

export interface LogOptions {
  /** Only messages at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Only the last N messages. */
  tailLines?: number;
  /** Prefix each message with its RFC3339Nano timestamp. */
  timestamps?: boolean;
  /** Stop after this many bytes. */
  limitBytes?: number;
}

export interface LogMessage {
  timestamp: string;
  stream: 'stdout' | 'stderr';
  /** The content with its newline (none for a final partial record). */
  text: string;
}

/** Parses complete lines of a CRI log; a trailing line without a newline is left in `rest`. */
export function parseCriLog(text: string, carry: { partial?: LogMessage } = {}): { messages: LogMessage[]; rest: string } {
  const messages: LogMessage[] = [];
  const end = text.lastIndexOf('\n');
  const complete = end >= 0 ? text.slice(0, end) : '';
  const rest = end >= 0 ? text.slice(end + 1) : text;
  if (end < 0) return { messages, rest };
  for (const line of complete.split('\n')) {
    const m = /^(\S+) (stdout|stderr) ([FP]) (.*)$/s.exec(line);
    if (!m) continue;
    const [, timestamp, stream, tag, content] = m as unknown as [string, string, 'stdout' | 'stderr', string, string];
    const prev = carry.partial;
    const msg: LogMessage = prev ? { ...prev, text: prev.text + content } : { timestamp, stream, text: content };
    if (tag === 'P') {
      carry.partial = msg;
      continue;
    }
    carry.partial = undefined;
    messages.push({ ...msg, text: `${msg.text}\n` });
  }
  return { messages, rest };
}

function timestampMs(ts: string): number {
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Renders messages as `kubectl logs` prints them. */
export function renderMessages(messages: LogMessage[], timestamps = false): string {
  return messages.map((m) => (timestamps ? `${m.timestamp} ${m.text}` : m.text)).join('');
}

/** Applies since, tail and limitBytes to a whole log; answers the text to send. */
export function selectLog(text: string, opts: LogOptions): string {
  let { messages } = parseCriLog(text.endsWith('\n') ? text : `${text}\n`);
  if (opts.sinceMs !== undefined) messages = messages.filter((m) => timestampMs(m.timestamp) >= opts.sinceMs!);
  if (opts.tailLines !== undefined && opts.tailLines >= 0) messages = opts.tailLines === 0 ? [] : messages.slice(-opts.tailLines);
  const out = renderMessages(messages, opts.timestamps);
  return opts.limitBytes !== undefined ? Buffer.from(out).subarray(0, opts.limitBytes).toString() : out;
}

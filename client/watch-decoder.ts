// Watch framing: the API server streams one JSON WatchEvent per line over a chunked response. Chunk
// boundaries fall anywhere, inside a line or inside a multi-byte UTF-8 character, so bytes are decoded
// with a StringDecoder and lines are only parsed once their newline has arrived.
import { StringDecoder } from 'node:string_decoder';
import type { WatchEvent } from '../api/object.js';

const eventTypes = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

export class WatchDecoder<T = unknown> {
  private readonly text = new StringDecoder('utf8');
  private partial = '';

  /** Feeds a chunk; answers the events completed by it, in order. Throws on a malformed line. */
  write(chunk: Buffer | string): WatchEvent<T>[] {
    this.partial += typeof chunk === 'string' ? chunk : this.text.write(chunk);
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.flatMap((line) => parseLine<T>(line));
  }

  /** The stream ended: parses a last line that had no trailing newline. */
  end(): WatchEvent<T>[] {
    const rest = this.partial + this.text.end();
    this.partial = '';
    return parseLine<T>(rest);
  }
}

function parseLine<T>(line: string): WatchEvent<T>[] {
  const trimmed = line.trim();
  if (trimmed.length === 0) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new Error(`watch: malformed event line: ${trimmed.slice(0, 200)}`);
  }
  const ev = parsed as { type?: unknown; object?: unknown };
  if (typeof ev.type !== 'string' || !eventTypes.has(ev.type) || typeof ev.object !== 'object' || ev.object === null) {
    throw new Error(`watch: not a watch event: ${trimmed.slice(0, 200)}`);
  }
  return [parsed as WatchEvent<T>];
}

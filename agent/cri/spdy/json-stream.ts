// The resize stream carries JSON objects back to back with no framing (Go's json.Encoder on one side,
// json.Decoder on the other), so chunks must be cut at object boundaries, not at write boundaries.

/** Feeds text in; calls `onObject` with each complete top-level `{...}` value's text. */
export class JsonObjectSplitter {
  private buf = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;

  constructor(private readonly onObject: (text: string) => void, private readonly maxBytes = 64 * 1024) {}

  push(chunk: string): void {
    const base = this.buf.length;
    this.buf += chunk;
    for (let i = base; i < this.buf.length; i++) {
      const c = this.buf[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"' && this.depth > 0) this.inString = true;
      else if (c === '{') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (c === '}' && this.depth > 0) {
        this.depth--;
        if (this.depth === 0) this.onObject(this.buf.slice(this.start, i + 1));
      }
    }
    if (this.depth === 0) this.buf = '';
    else if (this.buf.length > this.maxBytes) {
      // A runaway object: drop it rather than buffer without bound.
      this.buf = '';
      this.depth = 0;
      this.inString = false;
    } else if (this.start > 0) {
      this.buf = this.buf.slice(this.start);
      this.start = 0;
    }
  }
}

// One SPDY stream as a Node Duplex: what the peer sends on it is readable, what we write goes out as data
// frames. end() sends FIN (a half close); destroy() before both halves closed sends RST_STREAM CANCEL.
import { Duplex } from 'node:stream';
import type { SpdyHeaders } from './headers.js';

/** What a stream needs from its session; implemented by SpdySession. */
export interface StreamOwner {
  sendData(stream: SpdyStream, chunk: Buffer, fin: boolean): Promise<void>;
  sendReply(stream: SpdyStream, headers: SpdyHeaders): Promise<void>;
  sendWindowUpdate(stream: SpdyStream, delta: number): void;
  streamDestroyed(stream: SpdyStream): void;
}

export class SpdyStream extends Duplex {
  /** Bytes we may still send before the peer must open the window (when the peer does flow control). */
  sendWindow: number;
  /** The headers the stream was opened with (SYN_STREAM). */
  readonly headers: SpdyHeaders;
  /** The peer's SYN_REPLY headers, for a stream we opened. */
  replyHeaders: SpdyHeaders | undefined;
  localClosed = false;
  remoteClosed = false;
  /** RST_STREAM status if the peer reset the stream. */
  resetStatus: number | undefined;
  private unacked = 0;
  private replyWaiters: ((h: SpdyHeaders) => void)[] = [];

  constructor(
    readonly id: number,
    headers: SpdyHeaders,
    private readonly owner: StreamOwner,
    initialWindow: number,
  ) {
    super({ allowHalfOpen: true });
    this.headers = headers;
    this.sendWindow = initialWindow;
    // A write that fails because the connection went away is not the writer's bug: the stream is torn
    // down with the session and consumers see 'close' (and resetStatus), so 'error' needs no listener.
    this.on('error', () => undefined);
  }

  /**
   * Accepts a peer-initiated stream (SYN_REPLY), as spdystream servers do for every stream. Never rejects:
   * the only failure is a connection already gone, and that tears this stream down (see 'close').
   */
  reply(headers: SpdyHeaders = {}): Promise<void> {
    return this.owner.sendReply(this, headers).catch(() => undefined);
  }

  /** Resolves with the peer's SYN_REPLY headers. */
  waitReply(): Promise<SpdyHeaders> {
    if (this.replyHeaders) return Promise.resolve(this.replyHeaders);
    return new Promise((resolve) => this.replyWaiters.push(resolve));
  }

  /** @internal Called by the session on SYN_REPLY. */
  onReply(headers: SpdyHeaders): void {
    this.replyHeaders = headers;
    for (const w of this.replyWaiters.splice(0)) w(headers);
    this.emit('reply', headers);
  }

  /** @internal Called by the session on a data frame. */
  onData(data: Buffer): void {
    if (this.remoteClosed || this.destroyed) return;
    if (data.length === 0) return;
    this.unacked += data.length;
    // The window reopens as the consumer takes data; with room in the buffer that is now.
    if (this.push(data)) this.ack();
  }

  /** @internal Called by the session on FIN from the peer. */
  onRemoteFin(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.push(null);
  }

  /** @internal Called by the session on RST_STREAM or when the connection goes. */
  onReset(status: number | undefined): void {
    this.resetStatus = status;
    this.localClosed = true;
    this.remoteClosed = true;
    this.destroy();
  }

  private ack(): void {
    if (this.unacked > 0 && !this.remoteClosed) this.owner.sendWindowUpdate(this, this.unacked);
    this.unacked = 0;
  }

  override _read(): void {
    this.ack();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.owner.sendData(this, chunk, false).then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.owner.sendData(this, Buffer.alloc(0), true).then(() => cb(), cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.owner.streamDestroyed(this);
    cb(err);
  }
}

// A SPDY/3.1 session over one byte stream (an upgraded HTTP socket), in server or client mode: frame
// parsing, one header compressor and decompressor per direction, the stream registry, per-stream flow
// control, PING replies and GOAWAY on close. Writes go through one ordered queue, because header blocks
// must be compressed in the order their frames hit the wire; inbound frames are handled in order too.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  encodeFrame, flagFin, flagUnidirectional, FrameParser, initialWindowSize, RstStatus, settingInitialWindowSize,
  SpdyProtocolError, type Frame,
} from './frames.js';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './headers.js';
import { SpdyStream, type StreamOwner } from './stream.js';

/** Largest data frame we send; SPDY allows 16 MiB, peers' buffers like less. */
const maxDataFrame = 16 * 1024;

export interface SpdySessionOptions {
  /** `server` opens even stream ids and answers odd pings; `client` the opposite. */
  mode: 'server' | 'client';
  /** Bytes that arrived with the HTTP upgrade, before the socket was handed over. */
  head?: Buffer;
}

export interface SpdySessionEvents {
  stream: [SpdyStream];
  goaway: [number];
  close: [];
  error: [Error];
}

export class SpdySession extends EventEmitter<SpdySessionEvents> implements StreamOwner {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly parser = new FrameParser();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private out: Promise<void> = Promise.resolve();
  private inbound: Promise<void> = Promise.resolve();
  private nextStreamId: number;
  private nextPingId: number;
  private lastPeerStreamId = 0;
  private initialSendWindow = initialWindowSize;
  /**
   * Whether the peer has ever opened a window. Until it does we do not stall on the send window:
   * moby/spdystream (kubectl's SPDY) ignores flow control and never sends WINDOW_UPDATE.
   */
  private peerFlowControl = false;
  private readonly windowWaiters = new Map<number, (() => void)[]>();
  private readonly pingWaiters = new Map<number, () => void>();
  private goingAway = false;
  private closed = false;

  constructor(private readonly socket: Duplex, private readonly opts: SpdySessionOptions) {
    super();
    this.nextStreamId = opts.mode === 'client' ? 1 : 2;
    this.nextPingId = opts.mode === 'client' ? 1 : 2;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.teardown());
    socket.on('error', () => this.teardown());
    socket.on('end', () => this.teardown());
    if (opts.head?.length) this.receive(opts.head);
  }

  /** Whether the session can still carry frames. */
  get isOpen(): boolean {
    return !this.closed && !this.goingAway;
  }

  /** Opens a stream (SYN_STREAM). */
  open(headers: SpdyHeaders, opts: { fin?: boolean } = {}): SpdyStream {
    if (!this.isOpen) throw new Error('SPDY session is closed');
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(id, headers, this, this.initialSendWindow);
    this.streams.set(id, stream);
    if (opts.fin) stream.localClosed = true;
    void this.enqueue(async () => {
      const headerBlock = await this.compressor.compress(headers);
      return encodeFrame({ kind: 'synStream', streamId: id, associatedId: 0, priority: 0, flags: opts.fin ? flagFin : 0, headerBlock });
    });
    if (opts.fin) stream.end();
    return stream;
  }

  /** Sends a PING and resolves when the peer echoes it. */
  ping(): Promise<void> {
    const id = this.nextPingId;
    this.nextPingId += 2;
    return new Promise((resolve) => {
      this.pingWaiters.set(id, resolve);
      void this.enqueue(() => encodeFrame({ kind: 'ping', id }));
    });
  }

  /** Sends GOAWAY after everything already queued, then ends the connection and every stream. */
  async close(status = 0): Promise<void> {
    if (this.closed) return;
    if (!this.goingAway) {
      this.goingAway = true;
      await this.enqueue(() => encodeFrame({ kind: 'goAway', lastGoodStreamId: this.lastPeerStreamId, status }));
    }
    await this.out.catch(() => undefined);
    // end() then wait: destroying a socket cancels writes still queued in libuv, and the last frames
    // (an exit status, GOAWAY) are the ones the peer most needs.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.socket.once('finish', done);
      this.socket.once('close', done);
      this.socket.end();
    });
    this.teardown();
  }

  // ---- StreamOwner

  async sendData(stream: SpdyStream, chunk: Buffer, fin: boolean): Promise<void> {
    if (stream.localClosed) {
      if (chunk.length) throw new Error(`SPDY stream ${stream.id} is closed for writing`);
      return;
    }
    let off = 0;
    do {
      if (this.peerFlowControl) {
        while (stream.sendWindow <= 0 && !this.closed && !stream.destroyed) await this.waitWindow(stream.id);
      }
      if (this.closed) throw new Error('SPDY session closed');
      const room = this.peerFlowControl ? Math.max(stream.sendWindow, 0) : Infinity;
      const n = Math.min(chunk.length - off, room, maxDataFrame);
      const data = chunk.subarray(off, off + n);
      off += n;
      stream.sendWindow -= n;
      const last = off >= chunk.length;
      if (last && fin) {
        stream.localClosed = true;
        this.forgetIfDone(stream);
      }
      await this.enqueue(() => encodeFrame({ kind: 'data', streamId: stream.id, flags: last && fin ? flagFin : 0, data }));
    } while (off < chunk.length);
  }

  sendReply(stream: SpdyStream, headers: SpdyHeaders): Promise<void> {
    return this.enqueue(async () => {
      const headerBlock = await this.compressor.compress(headers);
      return encodeFrame({ kind: 'synReply', streamId: stream.id, flags: 0, headerBlock });
    });
  }

  // WINDOW_UPDATE and RST_STREAM are best effort: they fail only when the connection is gone, and then
  // there is no window left to open and no stream left to reset.
  sendWindowUpdate(stream: SpdyStream, delta: number): void {
    if (this.closed) return;
    void this.enqueue(() => encodeFrame({ kind: 'windowUpdate', streamId: stream.id, delta })).catch(() => undefined);
  }

  streamDestroyed(stream: SpdyStream): void {
    const wasOpen = !(stream.localClosed && stream.remoteClosed);
    stream.localClosed = true;
    stream.remoteClosed = true;
    this.streams.delete(stream.id);
    this.wakeWindow(stream.id);
    if (wasOpen && !this.closed) {
      void this.enqueue(() => encodeFrame({ kind: 'rstStream', streamId: stream.id, status: RstStatus.cancel })).catch(() => undefined);
    }
  }

  // ---- internals

  private enqueue(make: () => Buffer | Promise<Buffer>): Promise<void> {
    const next = this.out.then(async () => {
      if (this.closed) throw new Error('SPDY session closed');
      const bytes = await make();
      if (this.socket.destroyed || this.socket.writableEnded) throw new Error('SPDY connection closed');
      if (!this.socket.write(bytes)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.socket.off('drain', done);
            this.socket.off('close', done);
            resolve();
          };
          this.socket.on('drain', done);
          this.socket.on('close', done);
        });
      }
    });
    // The queue itself never rejects, so one failed write does not poison the ones after it.
    this.out = next.catch(() => undefined);
    return next;
  }

  private receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    for (const f of frames) {
      this.inbound = this.inbound.then(() => this.handle(f)).catch((err: Error) => this.fail(err));
    }
  }

  private fail(err: Error): void {
    if (this.closed) return;
    if (this.listenerCount('error') > 0) this.emit('error', err);
    // GOAWAY status 1 is PROTOCOL_ERROR, 11 INTERNAL_ERROR; a failing close means the socket is gone already.
    void this.close(err instanceof SpdyProtocolError ? 1 : 11).catch(() => undefined);
  }

  private async handle(f: Frame): Promise<void> {
    if (this.closed) return;
    switch (f.kind) {
      case 'synStream': {
        // Always inflate, even for a stream we refuse: the zlib context spans every block.
        const headers = await this.decompressor.decompress(f.headerBlock);
        const peerParity = this.opts.mode === 'server' ? 1 : 0;
        if (f.streamId % 2 !== peerParity || f.streamId <= this.lastPeerStreamId) {
          await this.enqueue(() => encodeFrame({ kind: 'rstStream', streamId: f.streamId, status: RstStatus.protocolError }));
          return;
        }
        this.lastPeerStreamId = f.streamId;
        if (this.goingAway) {
          await this.enqueue(() => encodeFrame({ kind: 'rstStream', streamId: f.streamId, status: RstStatus.refusedStream }));
          return;
        }
        const stream = new SpdyStream(f.streamId, headers, this, this.initialSendWindow);
        this.streams.set(f.streamId, stream);
        if (f.flags & flagUnidirectional) stream.localClosed = true;
        if (f.flags & flagFin) stream.onRemoteFin();
        this.emit('stream', stream);
        return;
      }
      case 'synReply': {
        const headers = await this.decompressor.decompress(f.headerBlock);
        const stream = this.streams.get(f.streamId);
        if (!stream) return;
        stream.onReply(headers);
        if (f.flags & flagFin) this.remoteFin(stream);
        return;
      }
      case 'headers': {
        await this.decompressor.decompress(f.headerBlock);
        const stream = this.streams.get(f.streamId);
        if (stream && f.flags & flagFin) this.remoteFin(stream);
        return;
      }
      case 'data': {
        const stream = this.streams.get(f.streamId);
        if (!stream) {
          if (f.streamId > this.lastPeerStreamId && f.streamId % 2 === (this.opts.mode === 'server' ? 1 : 0)) {
            await this.enqueue(() => encodeFrame({ kind: 'rstStream', streamId: f.streamId, status: RstStatus.invalidStream }));
          }
          return;
        }
        stream.onData(f.data);
        if (f.flags & flagFin) this.remoteFin(stream);
        return;
      }
      case 'rstStream': {
        const stream = this.streams.get(f.streamId);
        this.streams.delete(f.streamId);
        stream?.onReset(f.status);
        return;
      }
      case 'settings': {
        for (const e of f.entries) {
          if (e.id !== settingInitialWindowSize) continue;
          const delta = e.value - this.initialSendWindow;
          this.initialSendWindow = e.value;
          for (const s of this.streams.values()) s.sendWindow += delta;
          for (const id of this.streams.keys()) this.wakeWindow(id);
        }
        return;
      }
      case 'ping': {
        const ours = f.id % 2 === (this.opts.mode === 'client' ? 1 : 0);
        if (ours) {
          this.pingWaiters.get(f.id)?.();
          this.pingWaiters.delete(f.id);
        } else {
          await this.enqueue(() => encodeFrame({ kind: 'ping', id: f.id }));
        }
        return;
      }
      case 'goAway':
        this.goingAway = true;
        this.emit('goaway', f.status);
        return;
      case 'windowUpdate': {
        // Stream 0 is SPDY/3.1's session window; we only enforce per-stream windows.
        if (f.streamId === 0) return;
        this.peerFlowControl = true;
        const stream = this.streams.get(f.streamId);
        if (!stream) return;
        stream.sendWindow += f.delta;
        this.wakeWindow(f.streamId);
        return;
      }
      case 'unknown':
        return;
    }
  }

  private remoteFin(stream: SpdyStream): void {
    stream.onRemoteFin();
    this.forgetIfDone(stream);
  }

  private forgetIfDone(stream: SpdyStream): void {
    if (stream.localClosed && stream.remoteClosed) this.streams.delete(stream.id);
  }

  private waitWindow(id: number): Promise<void> {
    return new Promise((resolve) => {
      const list = this.windowWaiters.get(id) ?? [];
      list.push(resolve);
      this.windowWaiters.set(id, list);
    });
  }

  private wakeWindow(id: number): void {
    const list = this.windowWaiters.get(id);
    this.windowWaiters.delete(id);
    for (const w of list ?? []) w();
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.streams.values()]) s.onReset(undefined);
    this.streams.clear();
    for (const id of [...this.windowWaiters.keys()]) this.wakeWindow(id);
    for (const w of this.pingWaiters.values()) w();
    this.pingWaiters.clear();
    this.compressor.close();
    this.decompressor.close();
    if (!this.socket.destroyed) this.socket.destroy();
    this.emit('close');
  }
}

// Docker's multiplexed stream framing (attach, logs and exec without a TTY): each frame is an 8-byte header
// [stream type, 0, 0, 0, payload length as big-endian uint32] then the payload. Type 0 stdin, 1 stdout,
// 2 stderr. Parsed here rather than with docker-modem's demuxer because the log copier needs each frame's
// boundaries (one frame is one log message).

export type FrameHandler = (stream: 'stdout' | 'stderr', payload: Buffer) => void;

/** Feeds bytes in as they arrive; calls `onFrame` once per complete frame. */
export class DockerFrameParser {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: FrameHandler) {}

  push(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= 8) {
      const size = this.buffered.readUInt32BE(4);
      if (this.buffered.length < 8 + size) return;
      const type = this.buffered[0];
      const payload = this.buffered.subarray(8, 8 + size);
      this.buffered = this.buffered.subarray(8 + size);
      this.onFrame(type === 2 ? 'stderr' : 'stdout', payload);
    }
  }
}

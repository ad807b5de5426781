// SPDY/3.1 framing (pure). Every frame has an 8-byte header. Control frames: bit 0 set, a 15-bit version
// (3), a 16-bit type, 8 bits of flags, a 24-bit length. Data frames: bit 0 clear, a 31-bit stream id, flags,
// length. Header blocks inside SYN_STREAM/SYN_REPLY/HEADERS stay compressed here; see headers.ts.

export const spdyVersion = 3;

export const FrameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const flagFin = 0x01;
export const flagUnidirectional = 0x02;

/** RST_STREAM status codes used here. */
export const RstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6, flowControlError: 7 } as const;

/** SETTINGS id carrying the peer's initial per-stream window. */
export const settingInitialWindowSize = 7;

/** The default per-stream flow-control window. */
export const initialWindowSize = 64 * 1024;

export type Frame =
  | { kind: 'synStream'; streamId: number; associatedId: number; priority: number; flags: number; headerBlock: Buffer }
  | { kind: 'synReply'; streamId: number; flags: number; headerBlock: Buffer }
  | { kind: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { kind: 'rstStream'; streamId: number; status: number }
  | { kind: 'settings'; flags: number; entries: { flags: number; id: number; value: number }[] }
  | { kind: 'ping'; id: number }
  | { kind: 'goAway'; lastGoodStreamId: number; status: number }
  | { kind: 'windowUpdate'; streamId: number; delta: number }
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'unknown'; type: number; flags: number; payload: Buffer };

const mask31 = 0x7fffffff;

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > 0xffffff) throw new Error('SPDY frame too large');
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | spdyVersion, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([h, payload]);
}

function u32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** Serialises a frame. */
export function encodeFrame(f: Frame): Buffer {
  switch (f.kind) {
    case 'synStream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(f.streamId & mask31, 0);
      fixed.writeUInt32BE(f.associatedId & mask31, 4);
      fixed[8] = (f.priority & 0x7) << 5;
      fixed[9] = 0; // slot, unused by SPDY/3.1
      return control(FrameType.synStream, f.flags, Buffer.concat([fixed, f.headerBlock]));
    }
    case 'synReply':
      return control(FrameType.synReply, f.flags, Buffer.concat([u32s(f.streamId & mask31), f.headerBlock]));
    case 'headers':
      return control(FrameType.headers, f.flags, Buffer.concat([u32s(f.streamId & mask31), f.headerBlock]));
    case 'rstStream':
      return control(FrameType.rstStream, 0, u32s(f.streamId & mask31, f.status));
    case 'settings': {
      const body = Buffer.alloc(4 + 8 * f.entries.length);
      body.writeUInt32BE(f.entries.length, 0);
      f.entries.forEach((e, i) => {
        body.writeUInt32BE(((e.flags & 0xff) << 24 | (e.id & 0xffffff)) >>> 0, 4 + 8 * i);
        body.writeUInt32BE(e.value >>> 0, 8 + 8 * i);
      });
      return control(FrameType.settings, f.flags, body);
    }
    case 'ping':
      return control(FrameType.ping, 0, u32s(f.id));
    case 'goAway':
      return control(FrameType.goAway, 0, u32s(f.lastGoodStreamId & mask31, f.status));
    case 'windowUpdate':
      return control(FrameType.windowUpdate, 0, u32s(f.streamId & mask31, f.delta & mask31));
    case 'data': {
      if (f.data.length > 0xffffff) throw new Error('SPDY frame too large');
      const h = Buffer.alloc(8);
      h.writeUInt32BE(f.streamId & mask31, 0);
      h.writeUInt32BE(((f.flags & 0xff) << 24 | f.data.length) >>> 0, 4);
      return Buffer.concat([h, f.data]);
    }
    case 'unknown':
      return control(f.type, f.flags, f.payload);
  }
}

/** Raised for bytes that are not valid SPDY/3 framing; the session answers with GOAWAY. */
export class SpdyProtocolError extends Error {}

function need(p: Buffer, n: number, what: string): void {
  if (p.length < n) throw new SpdyProtocolError(`${what} frame too short (${p.length} < ${n})`);
}

function decodeControl(type: number, flags: number, p: Buffer): Frame {
  switch (type) {
    case FrameType.synStream:
      need(p, 10, 'SYN_STREAM');
      return { kind: 'synStream', streamId: p.readUInt32BE(0) & mask31, associatedId: p.readUInt32BE(4) & mask31, priority: p[8]! >> 5, flags, headerBlock: p.subarray(10) };
    case FrameType.synReply:
      need(p, 4, 'SYN_REPLY');
      return { kind: 'synReply', streamId: p.readUInt32BE(0) & mask31, flags, headerBlock: p.subarray(4) };
    case FrameType.headers:
      need(p, 4, 'HEADERS');
      return { kind: 'headers', streamId: p.readUInt32BE(0) & mask31, flags, headerBlock: p.subarray(4) };
    case FrameType.rstStream:
      need(p, 8, 'RST_STREAM');
      return { kind: 'rstStream', streamId: p.readUInt32BE(0) & mask31, status: p.readUInt32BE(4) };
    case FrameType.settings: {
      need(p, 4, 'SETTINGS');
      const n = p.readUInt32BE(0);
      need(p, 4 + 8 * n, 'SETTINGS');
      const entries = Array.from({ length: n }, (_, i) => {
        const head = p.readUInt32BE(4 + 8 * i);
        return { flags: head >>> 24, id: head & 0xffffff, value: p.readUInt32BE(8 + 8 * i) };
      });
      return { kind: 'settings', flags, entries };
    }
    case FrameType.ping:
      need(p, 4, 'PING');
      return { kind: 'ping', id: p.readUInt32BE(0) };
    case FrameType.goAway:
      need(p, 4, 'GOAWAY');
      // SPDY/2 GOAWAY had no status; tolerate a short one.
      return { kind: 'goAway', lastGoodStreamId: p.readUInt32BE(0) & mask31, status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
    case FrameType.windowUpdate:
      need(p, 8, 'WINDOW_UPDATE');
      return { kind: 'windowUpdate', streamId: p.readUInt32BE(0) & mask31, delta: p.readUInt32BE(4) & mask31 };
    default:
      return { kind: 'unknown', type, flags, payload: p };
  }
}

/** Incremental decoder: push bytes as they arrive, get back every complete frame. */
export class FrameParser {
  private buffered: Buffer = Buffer.alloc(0);

  /** Limits one frame's payload, so a hostile length cannot make us buffer without bound. */
  constructor(private readonly maxPayload = 16 * 1024 * 1024) {}

  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buffered.length >= 8) {
      const b = this.buffered;
      const word = b.readUInt32BE(4);
      const flags = word >>> 24;
      const length = word & 0xffffff;
      if (length > this.maxPayload) throw new SpdyProtocolError(`frame of ${length} bytes exceeds the limit`);
      if (b.length < 8 + length) break;
      const payload = b.subarray(8, 8 + length);
      if (b[0]! & 0x80) {
        const version = b.readUInt16BE(0) & 0x7fff;
        if (version !== spdyVersion) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        out.push(decodeControl(b.readUInt16BE(2), flags, payload));
      } else {
        out.push({ kind: 'data', streamId: b.readUInt32BE(0) & mask31, flags, data: payload });
      }
      this.buffered = b.subarray(8 + length);
    }
    return out;
  }
}

// SPDY/3 header blocks: a uint32 count, then per pair a uint32-length name and a uint32-length value
// (several values of one name joined by NUL), all compressed with zlib. Each direction of a connection
// has ONE zlib context for its whole life, primed with the fixed dictionary, and every block ends with a
// sync flush, so a block that is skipped (never inflated) desynchronises everything after it.
import zlib from 'node:zlib';
import { headerDictionary } from './dictionary.js';
import { SpdyProtocolError } from './frames.js';

/** Header names are lower-case on the wire; values are strings (multi-valued ones NUL-joined). */
export type SpdyHeaders = Record<string, string>;

/** The uncompressed header block for `headers` (names lower-cased). */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Parses an uncompressed header block. */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  let at = 0;
  const read = (): Buffer => {
    if (at + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length) throw new SpdyProtocolError('truncated header block');
    const s = block.subarray(at, at + len);
    at += len;
    return s;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  at = 4;
  const headers: SpdyHeaders = {};
  for (let i = 0; i < count; i++) {
    const name = read().toString('utf8').toLowerCase();
    const value = read().toString('utf8');
    headers[name] = name in headers ? `${headers[name]}\0${value}` : value;
  }
  return headers;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Runs one chunk through a long-lived zlib stream and returns what a sync flush yields. */
function flushThrough(z: zlib.Deflate | zlib.Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const onData = (c: Buffer): void => void out.push(c);
    const onError = (err: Error): void => {
      z.off('data', onData);
      reject(new SpdyProtocolError(`header block: ${err.message}`));
    };
    z.on('data', onData);
    z.once('error', onError);
    z.write(input);
    z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      // Output of the flush is pushed before this callback runs; let any same-tick 'data' land first.
      setImmediate(() => {
        z.off('data', onData);
        z.off('error', onError);
        resolve(Buffer.concat(out));
      });
    });
  });
}

/**
 * One direction's compressor. Calls must not overlap (the session serialises them), since the zlib
 * context is shared across blocks.
 */
export class HeaderCompressor {
  private readonly z = zlib.createDeflate({ dictionary: headerDictionary });

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return flushThrough(this.z, encodeHeaderBlock(headers));
  }

  close(): void {
    this.z.destroy();
  }
}

/** One direction's decompressor; calls must not overlap. */
export class HeaderDecompressor {
  private readonly z = zlib.createInflate({ dictionary: headerDictionary });

  async decompress(block: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await flushThrough(this.z, block));
  }

  close(): void {
    this.z.destroy();
  }
}

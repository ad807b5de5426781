// SPDY/3.1 framing, header compression with the fixed dictionary, negotiation and the resize splitter:
// pure logic, checked against byte sequences built by hand from the spec.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeHeaderBlock, encodeFrame, encodeHeaderBlock, expectedStreams, FrameParser, HeaderCompressor, HeaderDecompressor,
  headerDictionary, JsonObjectSplitter, negotiate, offeredProtocols, SpdyProtocolError, spdyExecProtocols, wantsSpdy, type Frame,
} from '../../agent/cri/spdy/index.js';

function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const byte of b) {
    a = (a + byte) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

describe('SPDY frames', () => {
  const cases: [string, Frame][] = [
    ['SYN_STREAM', { kind: 'synStream', streamId: 5, associatedId: 0, priority: 3, flags: 0x01, headerBlock: Buffer.from('abc') }],
    ['SYN_REPLY', { kind: 'synReply', streamId: 7, flags: 0, headerBlock: Buffer.from([1, 2, 3]) }],
    ['HEADERS', { kind: 'headers', streamId: 9, flags: 0x01, headerBlock: Buffer.from([9]) }],
    ['RST_STREAM', { kind: 'rstStream', streamId: 3, status: 5 }],
    ['SETTINGS', { kind: 'settings', flags: 0, entries: [{ flags: 0, id: 7, value: 131072 }, { flags: 1, id: 4, value: 100 }] }],
    ['PING', { kind: 'ping', id: 0xfffffffe }],
    ['GOAWAY', { kind: 'goAway', lastGoodStreamId: 11, status: 0 }],
    ['WINDOW_UPDATE', { kind: 'windowUpdate', streamId: 1, delta: 65536 }],
    ['DATA with FIN', { kind: 'data', streamId: 0x7ffffffd, flags: 0x01, data: Buffer.from('payload') }],
    ['empty DATA', { kind: 'data', streamId: 2, flags: 0, data: Buffer.alloc(0) }],
  ];
  it.each(cases)('%s survives encode then decode', (_name, frame) => {
    expect(new FrameParser().push(encodeFrame(frame))).toEqual([frame]);
  });

  it('decodes a SYN_STREAM built byte by byte from the spec', () => {
    const block = Buffer.from('zzz');
    const bytes = Buffer.from([
      0x80, 0x03, 0x00, 0x01, // control bit, version 3, type 1 (SYN_STREAM)
      0x03, 0x00, 0x00, 0x0d, // flags FIN|UNIDIRECTIONAL, length 13
      0x00, 0x00, 0x00, 0x03, // stream id 3
      0x00, 0x00, 0x00, 0x01, // associated-to stream id 1
      0x40, 0x00, // priority 2 (top 3 bits), unused, slot 0
      ...block,
    ]);
    expect(new FrameParser().push(bytes)).toEqual([{ kind: 'synStream', streamId: 3, associatedId: 1, priority: 2, flags: 3, headerBlock: block }]);
    expect(encodeFrame({ kind: 'synStream', streamId: 3, associatedId: 1, priority: 2, flags: 3, headerBlock: block })).toEqual(bytes);
  });

  it('encodes a data frame with the control bit clear and a 24-bit length', () => {
    const bytes = encodeFrame({ kind: 'data', streamId: 1, flags: 1, data: Buffer.from('hi') });
    expect([...bytes]).toEqual([0, 0, 0, 1, 1, 0, 0, 2, 0x68, 0x69]);
  });

  it('reassembles frames split across chunks and returns several from one chunk', () => {
    const a = encodeFrame({ kind: 'ping', id: 1 });
    const b = encodeFrame({ kind: 'data', streamId: 1, flags: 0, data: Buffer.from('x'.repeat(100)) });
    const all = Buffer.concat([a, b]);
    const p = new FrameParser();
    const got: Frame[] = [];
    for (let i = 0; i < all.length; i += 7) got.push(...p.push(all.subarray(i, i + 7)));
    expect(got.map((f) => f.kind)).toEqual(['ping', 'data']);
    expect(new FrameParser().push(all)).toHaveLength(2);
  });

  it('rejects another SPDY version and oversized frames', () => {
    const v2 = encodeFrame({ kind: 'ping', id: 1 });
    v2.writeUInt16BE(0x8002, 0);
    expect(() => new FrameParser().push(v2)).toThrow(SpdyProtocolError);
    const big = encodeFrame({ kind: 'data', streamId: 1, flags: 0, data: Buffer.alloc(2000) });
    expect(() => new FrameParser(1000).push(big)).toThrow(/exceeds/);
  });
});

describe('SPDY header blocks', () => {
  it('lays out count, then length-prefixed lower-case names and values', () => {
    const block = encodeHeaderBlock({ StreamType: 'error' });
    expect([...block]).toEqual([0, 0, 0, 1, 0, 0, 0, 10, ...Buffer.from('streamtype'), 0, 0, 0, 5, ...Buffer.from('error')]);
    expect(decodeHeaderBlock(block)).toEqual({ streamtype: 'error' });
  });

  it('joins repeated names with NUL and rejects truncated blocks', () => {
    const twice = Buffer.concat([Buffer.from([0, 0, 0, 2]), encodeHeaderBlock({ a: '1' }).subarray(4), encodeHeaderBlock({ a: '2' }).subarray(4)]);
    expect(decodeHeaderBlock(twice)).toEqual({ a: '1\u00002' });
    expect(() => decodeHeaderBlock(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 0x61]))).toThrow(SpdyProtocolError);
  });

  it('has the spec dictionary: length-prefixed words then the unprefixed tail', () => {
    expect(headerDictionary.length).toBe(1423);
    expect(headerDictionary.subarray(0, 11)).toEqual(Buffer.from([0, 0, 0, 7, ...Buffer.from('options')]));
    expect(headerDictionary.subarray(-6).toString('latin1')).toBe('enq=0.');
    expect(headerDictionary.toString('latin1')).toContain('\u0000\u0000\u0000\u0006origin100101201');
  });

  it('compresses with the dictionary (zlib header names it) and decompresses across blocks with one context', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    try {
      const first = { streamtype: 'stdout', port: '8080', requestid: '0' };
      const second = { streamtype: 'stderr', port: '8080', requestid: '0' };
      const z1 = await c.compress(first);
      // RFC 1950: FDICT (bit 5 of FLG) set, then DICTID = Adler-32 of the dictionary.
      expect(z1[1]! & 0x20).toBe(0x20);
      expect(z1.readUInt32BE(2)).toBe(adler32(headerDictionary));
      // A sync flush ends each block with the empty stored block 00 00 ff ff.
      expect([...z1.subarray(-4)]).toEqual([0, 0, 0xff, 0xff]);
      const z2 = await c.compress(second);
      expect(z2.length).toBeLessThan(z1.length); // the shared context already knows these names
      expect(await d.decompress(z1)).toEqual(first);
      expect(await d.decompress(z2)).toEqual(second);
      // Without the dictionary the first block cannot be inflated.
      expect(() => zlib.inflateSync(z1, { finishFlush: zlib.constants.Z_SYNC_FLUSH })).toThrow();
    } finally {
      c.close();
      d.close();
    }
  });
});

describe('SPDY negotiation', () => {
  it.each([
    ['client order wins', ['v3.channel.k8s.io', 'v4.channel.k8s.io'], { ok: true, protocol: 'v3.channel.k8s.io', echoed: true }],
    ['v5 is WebSocket-only, falls to v4', ['v5.channel.k8s.io', 'v4.channel.k8s.io'], { ok: true, protocol: 'v4.channel.k8s.io', echoed: true }],
    ['no header: legacy protocol, not echoed', [], { ok: true, protocol: 'channel.k8s.io', echoed: false }],
    ['nothing in common', ['v9.channel.k8s.io'], { ok: false }],
  ])('%s', (_n, offered, want) => {
    expect(negotiate(offered, spdyExecProtocols, 'channel.k8s.io')).toEqual(want);
  });

  it('reads repeated and comma-joined X-Stream-Protocol-Version values in order', () => {
    expect(offeredProtocols(['v4.channel.k8s.io, v3.channel.k8s.io', 'v2.channel.k8s.io'])).toEqual(['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io']);
    expect(offeredProtocols(undefined)).toEqual([]);
  });

  it.each([['SPDY/3.1', true], ['spdy/3.1', true], ['websocket', false], [undefined, false]])('Upgrade %s asks for SPDY: %s', (h, want) => {
    expect(wantsSpdy(h)).toBe(want);
  });

  it.each([
    ['v4', 'v4.channel.k8s.io', { stdin: true, stdout: true, stderr: true, tty: false }, ['error', 'stdin', 'stdout', 'stderr']],
    ['v4 tty', 'v4.channel.k8s.io', { stdin: false, stdout: true, stderr: true, tty: true }, ['error', 'stdout', 'resize']],
    ['v2 tty has no resize', 'v2.channel.k8s.io', { stdin: false, stdout: true, stderr: false, tty: true }, ['error', 'stdout']],
  ] as const)('expected streams for %s', (_n, protocol, shape, want) => {
    expect(expectedStreams(protocol, shape)).toEqual(want);
  });
});

describe('resize stream splitting', () => {
  it('cuts back-to-back JSON objects at object boundaries, whatever the chunking', () => {
    const got: string[] = [];
    const s = new JsonObjectSplitter((t) => got.push(t));
    const text = '{"Width":80,"Height":24}{"Width":"{}","Height":1}\n{"Width":100,"Height":50}';
    for (let i = 0; i < text.length; i += 5) s.push(text.slice(i, i + 5));
    expect(got.map((t) => JSON.parse(t) as unknown)).toEqual([{ Width: 80, Height: 24 }, { Width: '{}', Height: 1 }, { Width: 100, Height: 50 }]);
  });
});

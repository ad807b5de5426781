// The protobuf wire format, read-only: varints, length-delimited fields and the two fixed widths.
// Enough to walk any message; what the fields mean lives in messages.ts.
import { BadRequestError } from '../../../api/errors.js';

export interface WireField {
  number: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wireType: number;
  /** The varint's value (wire type 0), as a signed 64-bit number. */
  varint?: bigint;
  /** The bytes of a length-delimited field (wire type 2). */
  bytes?: Uint8Array;
}

const malformed = (): BadRequestError => new BadRequestError('the protobuf body is malformed');

function readVarint(buf: Uint8Array, start: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  let p = start;
  for (let i = 0; i < 10; i++) {
    const byte = buf[p++];
    if (byte === undefined) throw malformed();
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [BigInt.asIntN(64, result), p];
    shift += 7n;
  }
  throw malformed();
}

/** Every field of one message, in wire order. */
export function readFields(buf: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let p = 0;
  while (p < buf.length) {
    const [key, afterKey] = readVarint(buf, p);
    p = afterKey;
    const number = Number(BigInt.asUintN(64, key) >> 3n);
    const wireType = Number(key & 7n);
    if (number <= 0) throw malformed();
    if (wireType === 0) {
      const [value, next] = readVarint(buf, p);
      fields.push({ number, wireType, varint: value });
      p = next;
    } else if (wireType === 2) {
      const [length, next] = readVarint(buf, p);
      const end = next + Number(length);
      if (length < 0n || end > buf.length) throw malformed();
      fields.push({ number, wireType, bytes: buf.subarray(next, end) });
      p = end;
    } else if (wireType === 1 || wireType === 5) {
      p += wireType === 1 ? 8 : 4;
      if (p > buf.length) throw malformed();
      fields.push({ number, wireType });
    } else {
      throw malformed();
    }
  }
  return fields;
}

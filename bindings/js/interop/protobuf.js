// A small Protocol Buffers wire-format writer and reader: just what ONNX files need (varints,
// 32-bit floats, length-delimited bytes/strings/messages, packed repeated fields). Message
// layouts live in onnx_proto.js; this file knows nothing about ONNX.
//
// The reader never trusts a length: every length and varint is checked against the bytes
// left, nesting is bounded, and malformed input throws RnnlabError BAD_MODEL_FILE.
import { fail } from '../errors.js';

/** Wire types. */
export const VARINT = 0;
export const FIXED64 = 1;
export const BYTES = 2;
export const FIXED32 = 5;

const utf8 = new TextEncoder();

/** Appends protobuf fields to a growing byte buffer. */
export class ProtoWriter {
  #buf = new Uint8Array(256);
  #len = 0;

  #room(n) {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  /** @param {number | bigint} v a non-negative integer, or a negative one (10-byte two's complement) */
  #varint(v) {
    let x = BigInt.asUintN(64, BigInt(v));
    this.#room(10);
    while (x >= 0x80n) {
      this.#buf[this.#len++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.#buf[this.#len++] = Number(x);
  }

  #tag(field, wire) {
    this.#varint(field * 8 + wire);
  }

  /**
   * An integer field (int32, int64, enum, bool).
   * @param {number} field @param {number | bigint | boolean} v
   */
  int(field, v) {
    this.#tag(field, VARINT);
    this.#varint(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return this;
  }

  /** A float field. @param {number} field @param {number} v */
  float(field, v) {
    this.#tag(field, FIXED32);
    this.#room(4);
    new DataView(this.#buf.buffer).setFloat32(this.#len, v, true);
    this.#len += 4;
    return this;
  }

  /** A length-delimited field of raw bytes. @param {number} field @param {Uint8Array} bytes */
  bytes(field, bytes) {
    this.#tag(field, BYTES);
    this.#varint(bytes.length);
    this.#room(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
    return this;
  }

  /** A string field (UTF-8). @param {number} field @param {string} s */
  string(field, s) {
    return this.bytes(field, utf8.encode(s));
  }

  /** An embedded message. @param {number} field @param {ProtoWriter} m */
  message(field, m) {
    return this.bytes(field, m.finish());
  }

  /** A packed repeated int64/int32 field. @param {number} field @param {ArrayLike<number>} values */
  packedInts(field, values) {
    const inner = new ProtoWriter();
    for (let i = 0; i < values.length; i++) inner.#varint(values[i]);
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated float field. @param {number} field @param {Float32Array} values */
  packedFloats(field, values) {
    const le = new Uint8Array(values.length * 4);
    const view = new DataView(le.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    return this.bytes(field, le);
  }

  /** The bytes written so far. */
  finish() {
    return this.#buf.slice(0, this.#len);
  }
}

/**
 * One decoded field: `value` is a bigint for varints, a Uint8Array view for length-delimited
 * fields, a DataView-read number for fixed32/fixed64.
 * @typedef {{field: number, wire: number, value: bigint | number | Uint8Array}} ProtoField
 */

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits one message into its fields (sub-messages stay bytes, decoded on demand).
 * @param {Uint8Array} bytes
 * @param {string} where what is being read, for errors
 * @returns {ProtoField[]}
 */
export function readFields(bytes, where) {
  /** @type {ProtoField[]} */
  const out = [];
  let at = 0;
  const varint = () => {
    let x = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (at >= bytes.length) fail('BAD_MODEL_FILE', where, 'is truncated (in a varint)');
      const b = bytes[at++];
      x |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, x);
    }
    return fail('BAD_MODEL_FILE', where, 'has a varint longer than 10 bytes');
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field < 1 || field > 536870911) fail('BAD_MODEL_FILE', where, `has an invalid field number ${field}`);
    let value;
    if (wire === VARINT) value = varint();
    else if (wire === FIXED32 || wire === FIXED64) {
      const n = wire === FIXED32 ? 4 : 8;
      if (at + n > bytes.length) fail('BAD_MODEL_FILE', where, 'is truncated (in a fixed-size field)');
      const view = new DataView(bytes.buffer, bytes.byteOffset + at, n);
      value = n === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true);
      at += n;
    } else if (wire === BYTES) {
      const n = varint();
      if (n > BigInt(bytes.length - at)) fail('BAD_MODEL_FILE', where, `declares ${n} bytes but only ${bytes.length - at} remain`);
      value = bytes.subarray(at, at + Number(n));
      at += Number(n);
    } else fail('BAD_MODEL_FILE', where, `uses wire type ${wire}, which this reader does not accept`);
    out.push({ field, wire, value });
  }
  return out;
}

/**
 * Reads a string field's bytes.
 * @param {ProtoField} f @param {string} where
 */
export function asString(f, where) {
  if (!(f.value instanceof Uint8Array)) fail('BAD_MODEL_FILE', where, 'is not a string');
  try {
    return decoder.decode(f.value);
  } catch {
    return fail('BAD_MODEL_FILE', where, 'is not valid UTF-8');
  }
}

/**
 * Reads a bytes/message field.
 * @param {ProtoField} f @param {string} where
 */
export function asBytes(f, where) {
  if (!(f.value instanceof Uint8Array)) fail('BAD_MODEL_FILE', where, 'is not length-delimited');
  return f.value;
}

/**
 * Reads an int64 varint as a signed safe integer.
 * @param {ProtoField} f @param {string} where
 */
export function asInt(f, where) {
  if (typeof f.value !== 'bigint') fail('BAD_MODEL_FILE', where, 'is not a varint');
  const v = BigInt.asIntN(64, f.value);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) fail('BAD_MODEL_FILE', where, `is ${v}, beyond the range this reader handles`);
  return Number(v);
}

/**
 * Reads a repeated int64 field (packed or not) into `into`.
 * @param {ProtoField} f @param {string} where @param {number[]} into
 */
export function readInts(f, where, into) {
  if (f.wire === VARINT) {
    into.push(asInt(f, where));
    return;
  }
  const bytes = asBytes(f, where);
  let at = 0;
  while (at < bytes.length) {
    let x = 0n;
    let done = false;
    for (let shift = 0n; shift < 70n && !done; shift += 7n) {
      if (at >= bytes.length) fail('BAD_MODEL_FILE', where, 'is truncated (in a packed varint)');
      const b = bytes[at++];
      x |= BigInt(b & 0x7f) << shift;
      done = b < 0x80;
    }
    if (!done) fail('BAD_MODEL_FILE', where, 'has a varint longer than 10 bytes');
    into.push(asInt({ field: f.field, wire: VARINT, value: BigInt.asUintN(64, x) }, where));
  }
}

/**
 * Reads a repeated float field (packed or not) into `into`.
 * @param {ProtoField} f @param {string} where @param {number[]} into
 */
export function readFloats(f, where, into) {
  if (f.wire === FIXED32) {
    into.push(/** @type {number} */ (f.value));
    return;
  }
  const bytes = asBytes(f, where);
  if (bytes.length % 4 !== 0) fail('BAD_MODEL_FILE', where, `holds ${bytes.length} bytes, not a whole number of floats`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < bytes.length; i += 4) into.push(view.getFloat32(i, true));
}

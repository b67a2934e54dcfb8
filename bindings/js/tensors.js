// Normalises the data arguments users pass ({data, shape}, typed arrays, plain or nested
// arrays) into a typed array plus an optional shape, checking types, lengths and values.
import { describe } from './check.js';
import { fail } from './errors.js';

/** @typedef {{data: Float32Array | Int32Array, shape: number[] | null}} Tensor */

const INT_TYPES = [Int32Array, Int16Array, Int8Array, Uint8Array, Uint8ClampedArray, Uint16Array, Uint32Array];
const FLOAT_TYPES = [Float32Array, Float64Array];

function isNumericView(v) {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) &&
    !(typeof BigInt64Array !== 'undefined' && (v instanceof BigInt64Array || v instanceof BigUint64Array));
}

// Flattens a nested array of numbers, inferring its (rectangular) shape.
function flattenNested(v, field) {
  const shape = [];
  for (let level = v; Array.isArray(level); level = level[0]) {
    if (level.length === 0) fail('SHAPE_MISMATCH', field, 'has an empty dimension');
    shape.push(level.length);
  }
  const out = [];
  const walk = (node, depth, path) => {
    if (depth === shape.length) {
      if (typeof node !== 'number') fail('INVALID_ARGUMENT', field, `element [${path}] is ${describe(node)}, expected a number`);
      out.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      fail('SHAPE_MISMATCH', field,
        `is not rectangular: element [${path}] should be an array of length ${shape[depth]}, got ${describe(node)}`);
    }
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, path ? `${path}, ${i}` : `${i}`);
  };
  walk(v, 0, '');
  return { values: out, shape };
}

function checkShape(shape, field) {
  if (!Array.isArray(shape) || shape.length === 0) {
    fail('INVALID_ARGUMENT', `${field}.shape`, `must be a non-empty array of dimensions, got ${describe(shape)}`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 0x7fffffff) {
      fail('SHAPE_MISMATCH', `${field}.shape`, `dimension ${i} must be a positive integer, got ${describe(d)}`);
    }
  }
  return shape.slice();
}

function toFloat32(v, field) {
  if (v instanceof Float32Array) return v;
  if (isNumericView(v)) return new Float32Array(/** @type {any} */ (v));
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number') fail('INVALID_ARGUMENT', field, `element ${i} is ${describe(v[i])}, expected a number`);
    }
    return new Float32Array(v);
  }
  return fail('INVALID_ARGUMENT', field, `must be a Float32Array, an array of numbers or {data, shape}, got ${describe(v)}`);
}

function toInt32(v, field) {
  if (v instanceof Int32Array) return v;
  if (INT_TYPES.some((T) => v instanceof T)) {
    const out = new Int32Array(/** @type {any} */ (v));
    if (v instanceof Uint32Array) {
      for (let i = 0; i < v.length; i++) {
        if (v[i] > 0x7fffffff) fail('INVALID_CONFIG', field, `element ${i} is ${v[i]}, above the int32 range`);
      }
    }
    return out;
  }
  if (FLOAT_TYPES.some((T) => v instanceof T)) {
    fail('INVALID_ARGUMENT', field, `must hold integer ids (an Int32Array or an array of integers), got ${describe(v)}`);
  }
  if (Array.isArray(v)) {
    const out = new Int32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (typeof e !== 'number' || !Number.isInteger(e) || e < -0x80000000 || e > 0x7fffffff) {
        fail('INVALID_ARGUMENT', field, `element ${i} is ${describe(e)}, expected an integer id`);
      }
      out[i] = e;
    }
    return out;
  }
  return fail('INVALID_ARGUMENT', field, `must be an Int32Array, an array of integers or {data, shape}, got ${describe(v)}`);
}

/**
 * Reads a data argument: {data, shape}, a typed array, an array of numbers, or a nested
 * array (whose shape is inferred). `shape` is null when the caller gave a flat array.
 * @param {unknown} v
 * @param {string} field
 * @param {'float' | 'int'} kind
 * @returns {Tensor}
 */
export function tensor(v, field, kind) {
  const convert = kind === 'float' ? toFloat32 : toInt32;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && 'data' in v) {
    const obj = /** @type {{data: unknown, shape?: unknown}} */ (v);
    const data = convert(obj.data, `${field}.data`);
    if (obj.shape === undefined) return { data, shape: null };
    const shape = checkShape(obj.shape, field);
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) {
      fail('SHAPE_MISMATCH', field, `shape [${shape.join(', ')}] holds ${n} values but data has ${data.length}`);
    }
    return { data, shape };
  }
  if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) {
    const { values, shape } = flattenNested(v, field);
    return { data: convert(values, field), shape };
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const data = convert(v, field);
    return { data, shape: null };
  }
  return fail('INVALID_ARGUMENT', field,
    `must be ${kind === 'float' ? 'a Float32Array' : 'an Int32Array'}, an array or {data, shape}, got ${describe(v)}`);
}

/**
 * Throws NON_FINITE_DATA naming the first NaN or Infinity.
 * @param {Float32Array} data
 * @param {string} field
 * @param {number[] | null} [shape] to report the position as an index tuple
 */
export function requireFinite(data, field, shape = null) {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      fail('NON_FINITE_DATA', field, `contains ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} at ${position(i, shape)}`);
    }
  }
}

/**
 * "[2, 5]" for flat index i of shape, or "flat index i".
 * @param {number} i
 * @param {number[] | null} shape
 */
export function position(i, shape) {
  if (!shape || shape.length < 2) return `index ${i}`;
  const idx = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(i % shape[d]);
    i = Math.floor(i / shape[d]);
  }
  return `[${idx.join(', ')}]`;
}

/**
 * Throws unless every id is in [0, limit) (entries whose mask weight is 0 are skipped).
 * @param {Int32Array} ids
 * @param {number} limit
 * @param {string} field
 * @param {number[] | null} shape
 * @param {string} what e.g. 'vocabSize' (for the message)
 * @param {Float32Array | null} [mask]
 */
export function requireIds(ids, limit, field, shape, what, mask = null) {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if ((id < 0 || id >= limit) && !(mask && mask[i] === 0)) {
      fail('INVALID_CONFIG', field, `id ${id} at ${position(i, shape)} is outside [0, ${limit}) (${what} = ${limit})`);
    }
  }
}

/**
 * Checks a shape against the expected one; `null` entries in `expected` match anything.
 * @param {number[]} shape
 * @param {(number | null)[]} expected
 * @param {string} field
 * @param {string} hint what the dimensions mean, e.g. '[batch, steps, inputSize]'
 */
export function requireShape(shape, expected, field, hint) {
  const ok = shape.length === expected.length && expected.every((e, i) => e === null || e === shape[i]);
  if (!ok) {
    const want = expected.map((e) => (e === null ? '*' : e)).join(', ');
    fail('SHAPE_MISMATCH', field, `has shape [${shape.join(', ')}], expected [${want}] = ${hint}`);
  }
}

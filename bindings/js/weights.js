// Named weights ({name: {shape, data}}) in and out of a handle; shared by Model and Seq2Seq.
import { describe } from './check.js';
import { fail } from './errors.js';
import { requireFinite, tensor } from './tensors.js';

/**
 * Copies the handle's weights out: {name: {shape, data: Float32Array}} in parameter order.
 * @param {import('./runtime.js').Runtime} rt
 * @param {any} h
 */
export function readWeights(rt, h) {
  const list = h._getWeights();
  rt.check();
  /** @type {Record<string, {shape: number[], data: Float32Array}>} */
  const out = {};
  for (const t of list) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    out[t.name] = { shape: t.shape, data: rt.copy(t.data, n) };
  }
  h._releaseResults();
  return out;
}

/**
 * Checks `weights` and sets them (all tensors are required; names and shapes are checked by
 * the core against the model's own).
 * @param {import('./runtime.js').Runtime} rt
 * @param {any} h
 * @param {unknown} weights
 */
export function writeWeights(rt, h, weights) {
  if (weights === null || typeof weights !== 'object' || Array.isArray(weights) || ArrayBuffer.isView(weights)) {
    fail('INVALID_ARGUMENT', 'weights', `must be an object {name: {shape, data}} as getWeights() returns, got ${describe(weights)}`);
  }
  const names = Object.keys(weights);
  if (names.length === 0) fail('SHAPE_MISMATCH', 'weights', 'is empty; every tensor of the model is required');
  const lines = [];
  const parts = [];
  let total = 0;
  for (const name of names) {
    if (name.length === 0 || /[\t\n]/.test(name)) fail('INVALID_CONFIG', 'weights', `tensor name ${JSON.stringify(name)} is not valid`);
    const entry = /** @type {Record<string, unknown>} */ (weights)[name];
    if (entry === null || typeof entry !== 'object' || !('shape' in entry) || !('data' in entry)) {
      fail('INVALID_ARGUMENT', `weights.${name}`, `must be {shape, data}, got ${describe(entry)}`);
    }
    const t = tensor(entry, `weights.${name}`, 'float');
    if (!t.shape) fail('INVALID_ARGUMENT', `weights.${name}.shape`, 'must be an array of dimensions');
    const data = /** @type {Float32Array} */ (t.data);
    requireFinite(data, `weights.${name}`, t.shape);
    lines.push(`${name}\t${/** @type {number[]} */ (t.shape).join(',')}`);
    parts.push(data);
    total += data.length;
  }
  const flat = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    flat.set(p, at);
    at += p.length;
  }
  const [address] = rt.stage([flat]);
  h._setWeights(lines.join('\n'), address, total);
  rt.check();
}

// Shared by the JS tests (not a test file itself: the runner picks up *.test.mjs only).
import assert from 'node:assert/strict';
import { init, RnnlabError } from '../../bindings/js/index.js';

/** The API on the build under test: RNNLAB_TEST_SIMD=0 runs the suites on the baseline build. */
export function load() {
  return init({ simd: process.env.RNNLAB_TEST_SIMD === '0' ? false : 'auto' });
}

/**
 * Asserts that fn() throws an RnnlabError with this code (and field, when given); returns it.
 * @param {() => unknown} fn
 * @param {string} code
 * @param {string} [field]
 * @param {RegExp} [message]
 */
export function throwsRnnlab(fn, code, field, message) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected an RnnlabError ${code}, nothing was thrown`);
  assert.ok(error instanceof RnnlabError, `expected an RnnlabError, got ${error}`);
  assert.ok(error instanceof Error);
  assert.equal(error.code, code, `code of: ${error.message}`);
  if (field !== undefined) assert.equal(error.field, field, `field of: ${error.message}`);
  if (message) assert.match(error.message, message);
  if (error.field) assert.ok(error.message.startsWith(`${error.field}: `), `message names the field: ${error.message}`);
  return error;
}

/** The same for a promise. */
export async function rejectsRnnlab(promise, code, field) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof RnnlabError, `expected an RnnlabError ${code}, got ${error}`);
  assert.equal(error.code, code, error.message);
  if (field !== undefined) assert.equal(error.field, field, error.message);
  return error;
}

/**
 * TS-S-style data (bench/CONFIGS.md): y(t) = sin(0.1 t) + 0.5 sin(0.031 t) + noise,
 * windows of `steps` values, target = the next value.
 */
export function sineWindows({ points = 4000, steps = 32, noise = 0.05, seed = 7 } = {}) {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  const series = new Float32Array(points);
  for (let t = 0; t < points; t++) {
    // Box-Muller noise.
    const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    series[t] = Math.sin(0.1 * t) + 0.5 * Math.sin(0.031 * t) + noise * g;
  }
  const n = points - steps;
  const x = new Float32Array(n * steps);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x.set(series.subarray(i, i + steps), i * steps);
    y[i] = series[i + steps];
  }
  return { series, x: { data: x, shape: [n, steps, 1] }, y, n, steps };
}

/** A small batch for a features model: x [B, T, I], y [B, O]. */
export function batch(B, T, I = 1, O = 1, seed = 1) {
  const x = new Float32Array(B * T * I);
  const y = new Float32Array(B * O);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(0.37 * i + seed);
  for (let i = 0; i < y.length; i++) y[i] = Math.cos(0.21 * i + seed);
  return { x: { data: x, shape: [B, T, I] }, y };
}

/** Token ids [B, T] below vocab. */
export function ids(B, T, vocab, seed = 1) {
  const a = new Int32Array(B * T);
  for (let i = 0; i < a.length; i++) a[i] = (i * 7 + seed * 3) % vocab;
  return a;
}

export { RnnlabError };

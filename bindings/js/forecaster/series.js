// The series a user hands to fit(): checked, missing values (NaN, null, undefined, +-Infinity)
// filled by linear interpolation (the ends by the nearest value) and counted.
import { describe } from '../check.js';
import { fail } from '../errors.js';

/** Fewest finite values a series needs. */
export const MIN_VALUES = 8;
/** Most values fit() takes (longer series: pass the most recent part). */
export const MAX_VALUES = 10_000_000;

/**
 * @param {unknown} values number[] (null for missing) | Float32Array | Float64Array
 * @returns {{values: Float64Array, missing: number}}
 */
export function cleanSeries(values) {
  const ok = Array.isArray(values) || values instanceof Float32Array || values instanceof Float64Array;
  if (!ok) fail('INVALID_ARGUMENT', 'values', `must be an array of numbers, a Float32Array or a Float64Array, got ${describe(values)}`);
  const src = /** @type {ArrayLike<unknown>} */ (values);
  if (src.length > MAX_VALUES) fail('TOO_LARGE', 'values', `has ${src.length} values; at most ${MAX_VALUES} are taken (pass the most recent part)`);
  const n = src.length;
  const out = new Float64Array(n);
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (typeof v === 'number' && Number.isFinite(v)) {
      out[i] = v;
      finite++;
    } else if (v === null || v === undefined || typeof v === 'number') out[i] = NaN;
    else fail('INVALID_ARGUMENT', 'values', `value ${i} is ${describe(v)}; expected a number (or null / NaN for a missing value)`);
  }
  if (finite < MIN_VALUES) {
    fail('INVALID_CONFIG', 'values', `has ${finite} finite values; a forecast needs at least ${MIN_VALUES}`);
  }
  // Leading and trailing gaps take the nearest value; inner gaps a straight line.
  let first = 0;
  while (!Number.isFinite(out[first])) first++;
  for (let i = 0; i < first; i++) out[i] = out[first];
  let prev = first;
  for (let i = first + 1; i < n; i++) {
    if (!Number.isFinite(out[i])) continue;
    for (let j = prev + 1; j < i; j++) out[j] = out[prev] + ((out[i] - out[prev]) * (j - prev)) / (i - prev);
    prev = i;
  }
  for (let i = prev + 1; i < n; i++) out[i] = out[prev];
  return { values: out, missing: n - finite };
}

// The space a member works in: the series divided by its scale, optionally log-transformed
// (positive, multiplicative series), minus additive seasonal indices (in log space they are
// multiplicative). `to` and `from` map values at absolute time t between the user's units and it.

/**
 * @typedef {object} Space
 * @property {number} scale  the series is divided by this first (values near 1e9 or 1e-9 become O(1))
 * @property {boolean} log   log-transform after scaling (only for positive series)
 * @property {{period: number, indices: number[]}[]} seasons additive seasonal indices, one per
 *   phase (t mod period), for each period removed (none, one, or two as in MSTL)
 */

/**
 * A value in the member's space.
 * @param {Space} s
 * @param {number} x value in the user's units
 * @param {number} t absolute time index (0 = the first value of the fitted series)
 */
export function toSpace(s, x, t) {
  let v = x / s.scale;
  if (s.log) v = Math.log(Math.max(v, 1e-300));
  for (const q of s.seasons) v -= q.indices[t % q.period];
  return v;
}

/**
 * Back to the user's units.
 * @param {Space} s
 * @param {number} z value in the member's space
 * @param {number} t absolute time index
 */
export function fromSpace(s, z, t) {
  let v = z;
  for (const q of s.seasons) v += q.indices[t % q.period];
  if (s.log) v = Math.exp(Math.min(v, 700));
  return v * s.scale;
}

/**
 * The values x[from..to) mapped into the space, as a Float64Array.
 * @param {Space} s
 * @param {ArrayLike<number>} x
 * @param {number} offset absolute time of x[0]
 */
export function seriesInSpace(s, x, offset = 0) {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = toSpace(s, x[i], offset + i);
  return out;
}

// The smoothing base of the hybrid network member: ES-RNN's division of labour, exponential
// smoothing carries the level (and trend), the network learns what it misses. The base is the
// best smoothing member's kind (SES, damped Holt or Theta) refitted in the network's space; its
// state is run along the series with fixed parameters, so every training window has the base's
// forecast from its own origin, and a forecast chained past the network's horizon moves the
// state over the values it predicted. (Fitted by network.js: this file is needed by forecasts.)

/**
 * @typedef {object} Base
 * @property {'ses' | 'holt' | 'theta'} kind
 * @property {number} alpha
 * @property {number} beta  trend gain (Holt)
 * @property {number} phi   trend damping (Holt)
 * @property {number} slope the Theta line's slope
 * @property {number} init  the first trend (Holt)
 */

/** @typedef {{l: number, b: number, count: number}} BaseState after some values */

/**
 * The state after the first value.
 * @param {Base} base
 * @param {number} first
 * @returns {BaseState}
 */
export function startState(base, first) {
  return { l: first, b: base.kind === 'holt' ? base.init : 0, count: 1 };
}

/**
 * The state after one more value v (updated in place and returned).
 * @param {Base} base
 * @param {BaseState} st
 * @param {number} v
 */
export function advance(base, st, v) {
  if (base.kind === 'holt') {
    const f = st.l + base.phi * st.b;
    const e = v - f;
    st.l = f + base.alpha * e;
    st.b = base.phi * st.b + base.beta * e;
  } else st.l += base.alpha * (v - st.l);
  st.count++;
  return st;
}

/**
 * The base's forecast k + 1 steps ahead of the state (k from 0), as the members forecast.
 * @param {Base} base
 * @param {BaseState} st
 * @param {number} k
 */
export function baseForecast(base, st, k) {
  if (base.kind === 'holt') {
    const p = base.phi;
    // phi + phi^2 + ... + phi^(k+1)
    const damp = p === 1 ? k + 1 : (p * (1 - Math.pow(p, k + 1))) / (1 - p);
    return st.l + damp * st.b;
  }
  if (base.kind === 'theta') {
    const a = base.alpha;
    return st.l + 0.5 * base.slope * (k + (1 - Math.pow(1 - a, st.count)) / a);
  }
  return st.l;
}

/**
 * The states along z: entry t is the state after z[0..t) (t from 1 to z.length), as three
 * arrays (level, trend, count).
 * @param {Base} base
 * @param {ArrayLike<number>} z
 */
export function statesAlong(base, z) {
  const n = z.length;
  const L = new Float64Array(n + 1);
  const B = new Float64Array(n + 1);
  const C = new Float64Array(n + 1);
  const st = startState(base, z[0]);
  for (let t = 1; t <= n; t++) {
    L[t] = st.l;
    B[t] = st.b;
    C[t] = st.count;
    if (t < n) advance(base, st, z[t]);
  }
  return {
    /** @param {number} t */
    at: (t) => ({ l: L[t], b: B[t], count: C[t] }),
  };
}

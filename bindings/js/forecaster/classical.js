// The classical candidates, fitted in a member's space: naive, seasonal naive, drift, simple
// exponential smoothing, damped Holt and Theta. Smoothing parameters by grid search on the
// one-step squared error (cheap, deterministic, good enough against the inner validation).

const ALPHAS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** SES over z: the best alpha and the final level. */
export function fitSes(z) {
  let best = { alpha: 1, level: z[z.length - 1], sse: Infinity };
  for (const a of ALPHAS) {
    let l = z[0];
    let sse = 0;
    for (let i = 1; i < z.length; i++) {
      const e = z[i] - l;
      sse += e * e;
      l += a * e;
    }
    if (sse < best.sse) best = { alpha: a, level: l, sse };
  }
  return best;
}

/** Damped additive-trend exponential smoothing over z. */
export function fitHolt(z) {
  const n = z.length;
  let best = { level: z[n - 1], trend: 0, phi: 0.9, sse: Infinity, alpha: 1, beta: 0 };
  const init = n > 1 ? (z[Math.min(n - 1, 3)] - z[0]) / Math.min(n - 1, 3) : 0;
  for (const phi of [0.8, 0.9, 0.95, 0.98]) {
    for (const a of [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1]) {
      for (const bf of [0.01, 0.05, 0.1, 0.2, 0.4]) {
        const b = a * bf;
        let l = z[0];
        let t = init;
        let sse = 0;
        for (let i = 1; i < n; i++) {
          const f = l + phi * t;
          const e = z[i] - f;
          sse += e * e;
          const nl = f + a * e;
          t = phi * t + b * e;
          l = nl;
        }
        if (sse < best.sse) best = { level: l, trend: t, phi, sse, alpha: a, beta: b };
      }
    }
  }
  return best;
}

/** OLS slope of z over time. */
export function slope(z) {
  const n = z.length;
  if (n < 2) return 0;
  const tm = (n - 1) / 2;
  let mz = 0;
  for (let i = 0; i < n; i++) mz += z[i];
  mz /= n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - tm) * (z[i] - mz);
    den += (i - tm) * (i - tm);
  }
  return num / den;
}

/**
 * The state of a classical member of `kind` fitted on z (its space's values).
 * @param {string} kind
 * @param {Float64Array} z
 * @param {number} period the seasonal naive's period
 */
export function fitClassical(kind, z, period = 0) {
  const n = z.length;
  const recent = n > 5000 ? z.subarray(n - 5000) : z;
  switch (kind) {
    case 'naive':
      return { level: z[n - 1] };
    case 'seasonalNaive':
      return { last: Array.from(z.subarray(n - period)) };
    case 'drift':
      return { level: z[n - 1], slope: n > 1 ? (z[n - 1] - z[0]) / (n - 1) : 0 };
    case 'ses': {
      const s = fitSes(recent);
      return { level: s.level, alpha: s.alpha };
    }
    case 'holt': {
      const s = fitHolt(recent);
      return { level: s.level, trend: s.trend, phi: s.phi, alpha: s.alpha, beta: s.beta };
    }
    case 'theta': {
      const s = fitSes(recent);
      return { level: s.level, alpha: s.alpha, slope: slope(recent), count: recent.length };
    }
    default:
      throw new Error(`unknown classical kind ${kind}`);
  }
}

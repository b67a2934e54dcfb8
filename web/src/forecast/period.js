// Detects a season length from the training part of a series: the highest peak of the
// autocorrelation of the linearly detrended values. Only the training rows are looked at,
// so the seasonal-naive baseline learns nothing from the validation part either.

/**
 * @param {ArrayLike<number>} values training rows, oldest first
 * @param {number} [maxLag] longest season considered (default: a third of the rows, at most 400)
 * @returns {{period: number, acf: number}} period 1 (no season) when no peak stands out
 */
export function detectPeriod(values, maxLag) {
  const n = values.length;
  const L = Math.min(maxLag ?? Math.floor(n / 3), Math.floor(n / 2), 400);
  if (L < 2) return { period: 1, acf: 0 };
  // Least-squares line through the points, removed so a trend does not look like a season.
  let st = 0;
  let sv = 0;
  for (let t = 0; t < n; t++) {
    st += t;
    sv += values[t];
  }
  const mt = st / n;
  const mv = sv / n;
  let cov = 0;
  let vt = 0;
  for (let t = 0; t < n; t++) {
    cov += (t - mt) * (values[t] - mv);
    vt += (t - mt) * (t - mt);
  }
  const slope = vt > 0 ? cov / vt : 0;
  const r = new Float64Array(n);
  let var0 = 0;
  for (let t = 0; t < n; t++) {
    r[t] = values[t] - mv - slope * (t - mt);
    var0 += r[t] * r[t];
  }
  if (var0 === 0) return { period: 1, acf: 0 };
  const acf = new Float64Array(L + 2);
  for (let k = 1; k <= L + 1; k++) {
    let s = 0;
    for (let t = k; t < n; t++) s += r[t] * r[t - k];
    acf[k] = s / var0;
  }
  // A peak must clear the usual significance band (2 / sqrt(n)) and a floor of 0.2.
  const threshold = Math.max(0.2, 2 / Math.sqrt(n));
  let best = { period: 1, acf: 0 };
  for (let k = 2; k <= L; k++) {
    if (acf[k] > acf[k - 1] && acf[k] >= acf[k + 1] && acf[k] > threshold && acf[k] > best.acf) {
      best = { period: k, acf: acf[k] };
    }
  }
  return best;
}

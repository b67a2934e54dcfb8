// Season detection and seasonal indices. Candidates are the peaks of the autocorrelation
// function of the series with its trend taken out two ways (a straight line removed, and first
// differences), strongest first; the inner validation decides among them and "no season".

/**
 * Autocorrelations at lags 0..maxLag.
 * @param {Float64Array} x
 * @param {number} maxLag
 */
export function autocorrelation(x, maxLag) {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let den = 0;
  for (let i = 0; i < n; i++) den += (x[i] - mean) ** 2;
  const acf = new Float64Array(maxLag + 1);
  if (den <= 0) return acf;
  for (let k = 0; k <= maxLag; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += (x[i] - mean) * (x[i - k] - mean);
    acf[k] = s / den;
  }
  return acf;
}

function detrended(x) {
  const n = x.length;
  let st = 0, sx = 0, stt = 0, stx = 0;
  for (let i = 0; i < n; i++) {
    st += i;
    sx += x[i];
    stt += i * i;
    stx += i * x[i];
  }
  const slope = (n * stx - st * sx) / Math.max(1e-300, n * stt - st * st);
  const icpt = (sx - slope * st) / n;
  return Float64Array.from(x, (v, i) => v - icpt - slope * i);
}

/**
 * The longest period seasonCandidates looks for in n values.
 * @param {number} n
 */
export function seasonCandidatesMaxLag(n) {
  return Math.min(Math.floor(Math.min(n, 6000) / 2.2), 1200);
}

/**
 * Candidate periods, strongest first (at most `max`).
 * @param {Float64Array} x the series (transformed, oldest first)
 * @param {number} max
 * @returns {{period: number, strength: number}[]}
 */
export function seasonCandidates(x, max = 3) {
  const recent = x.length > 6000 ? x.subarray(x.length - 6000) : x;
  const n = recent.length;
  const maxLag = seasonCandidatesMaxLag(n);
  if (maxLag < 2) return [];
  const diff = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) diff[i - 1] = recent[i] - recent[i - 1];
  /** @type {Map<number, number>} */
  const found = new Map();
  const threshold = Math.max(0.1, 2 / Math.sqrt(n));
  for (const series of [detrended(recent), diff]) {
    const acf = autocorrelation(series, maxLag + 1);
    for (let p = 2; p <= maxLag; p++) {
      if (acf[p] > threshold && acf[p] > acf[p - 1] && acf[p] >= acf[p + 1]) {
        found.set(p, Math.max(found.get(p) ?? -1, acf[p]));
      }
    }
  }
  // A peak at a multiple of a stronger one is its harmonic: drop it.
  const peaks = [...found].map(([period, strength]) => ({ period, strength })).sort((a, b) => b.strength - a.strength);
  const kept = [];
  for (const c of peaks) {
    if (kept.some((k) => c.period % k.period === 0 || Math.abs(c.period / k.period - Math.round(c.period / k.period)) < 0.05)) continue;
    kept.push(c);
    if (kept.length === max) break;
  }
  return kept;
}

/**
 * Weight of a cycle relative to the next one: a season that changes is followed (as the
 * seasonal smoothing of Holt-Winters does), recent cycles count most.
 */
const DECAY = 0.8;

/**
 * Additive seasonal indices of period m (classical decomposition: deviations from a centred
 * moving average, averaged per phase of the absolute time with weights decaying by DECAY per
 * cycle back, centred to sum to zero).
 * @param {Float64Array} x
 * @param {number} m
 * @param {number} offset absolute time of x[0]
 * @returns {number[]}
 */
export function seasonalIndices(x, m, offset = 0) {
  const n = x.length;
  const start = Math.max(0, n - Math.max(20 * m, 2000));
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  const half = Math.floor(m / 2);
  // Prefix sums for the moving average.
  const pre = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) pre[i + 1] = pre[i] + x[i];
  for (let t = Math.max(start, half); t + half < n && t - half >= 0; t++) {
    let ma;
    if (m % 2) ma = (pre[t + half + 1] - pre[t - half]) / m;
    else {
      if (t + half >= n) break;
      // 2 x m moving average: half weights at both ends.
      ma = (pre[t + half] - pre[t - half + 1] + 0.5 * (x[t - half] + x[t + half])) / m;
    }
    const phase = (offset + t) % m;
    const w = Math.pow(DECAY, (n - 1 - t) / m);
    sums[phase] += w * (x[t] - ma);
    counts[phase] += w;
  }
  const idx = new Array(m);
  let mean = 0;
  for (let k = 0; k < m; k++) {
    idx[k] = counts[k] ? sums[k] / counts[k] : 0;
    mean += idx[k];
  }
  mean /= m;
  for (let k = 0; k < m; k++) idx[k] -= mean;
  return idx;
}

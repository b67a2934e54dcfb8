// Split-conformal prediction intervals. Calibration: the errors of the chosen forecast at the
// inner-validation origins and at older origins (a quarter horizon apart), per horizon step;
// for a forecast made on a log scale they are relative errors (divided by the last value before
// their origin, multiplied back by the series' last value), since such a series' errors grow
// with its level. At the origins the classical members were chosen on, the errors are those of
// the choice made without the origin (fit.js): the chosen forecast's own errors there are
// optimistic. Their mean absolute value per step, weighted toward the newest origins (one
// RECENCY origins older counts e^-1 times as much: a series' error level drifts, as its
// volatility does), smoothed and made non-decreasing, is the step's scale s_h; the errors divided
// by it are the scores. The band at level p reaches s_h times the (1 - p')/2 quantile of the
// signed scores (actual minus forecast) below the forecast and s_h times their (1 + p')/2
// quantile above it, p' the level corrected for the finite sample (below): a forecast that ran
// persistently low at the origins gets more room above. Beyond the largest score (p' > 1) the
// band is symmetric: s_h times the largest absolute score, stretched as a normal tail would be.
// Past the calibrated steps s_h keeps growing as it grew over the second half of them (s ~ h^b,
// b between 0 for a stationary series and 1/2 for a random walk). The errors of one origin are
// strongly correlated (one bad origin makes all its steps bad), so the finite-sample correction
// counts origins, not errors: p' = ceil((K + 1) p) / K for K "effective" origins. One origin
// counts as ORIGIN_WEIGHT independent errors, set on the development set (20 series of R's
// datasets, pooled 80% coverage, classical members only): every error independent gave 73%, 6
// per origin 74%, 3 76%, 2 79% (95% intervals: 88%, 94%, 95%, 96%). Only the signed scores
// are kept (the absolute ones are derived from them), to 6 significant digits: the forecaster
// file stays small (a treering fit: 231 KB) and a loaded forecaster reads exactly what the
// fitted one uses.

/** Independent errors one origin is worth in the finite-sample correction (see above). */
const ORIGIN_WEIGHT = 3;

/** Origins (a quarter horizon apart) over which an origin's weight in the scale falls by e. */
const RECENCY = 8;

/**
 * @typedef {object} Calibration
 * @property {number[]} unit   s_h for the calibrated steps (user's units)
 * @property {number[]} [signed] sorted normalised signed errors, actual minus forecast
 * @property {number[]} [scores] sorted normalised absolute errors: what files saved before the
 *   signed errors were kept hold instead (their bands are symmetric); derived from `signed` else
 * @property {number} origins how many origins they come from (weighted, see ORIGIN_WEIGHT)
 * @property {number} growth exponent b of s_h ~ h^b past the calibrated steps
 * @property {number} [level] relative errors: the widths are multiplied by it (the series' last value)
 */

/**
 * @param {Float64Array[]} errors one row per origin: forecast minus actual per step (NaN where
 *   the origin's horizon ran past the data)
 * @param {number} floor smallest scale allowed (e.g. 1e-9 of the series' scale)
 * @param {number[]} [ages] per row, how many origin strides older than the newest origin it is
 *   (default: all equally recent)
 * @returns {Calibration}
 */
export function calibrate(errors, floor, ages) {
  const H = errors[0].length;
  const raw = new Float64Array(H);
  const weights = errors.map((_, j) => Math.exp(-(ages?.[j] ?? 0) / RECENCY));
  for (let k = 0; k < H; k++) {
    let sum = 0;
    let count = 0;
    errors.forEach((row, j) => {
      if (Number.isFinite(row[k])) {
        sum += weights[j] * Math.abs(row[k]);
        count += weights[j];
      }
    });
    raw[k] = count ? sum / count : NaN;
  }
  // Fill steps no origin reached, smooth over three steps, then never narrower than an earlier step.
  for (let k = 0; k < H; k++) if (!Number.isFinite(raw[k])) raw[k] = k > 0 ? raw[k - 1] * Math.sqrt((k + 1) / k) : floor;
  const unit = new Array(H);
  let max = floor;
  for (let k = 0; k < H; k++) {
    const a = raw[Math.max(0, k - 1)];
    const c = raw[Math.min(H - 1, k + 1)];
    const v = (a + 2 * raw[k] + c) / 4;
    max = Math.max(max, v);
    unit[k] = max;
  }
  const signed = [];
  for (const row of errors) {
    for (let k = 0; k < H; k++) if (Number.isFinite(row[k])) signed.push(Number((-row[k] / unit[k]).toPrecision(6)));
  }
  signed.sort((a, b) => a - b);
  const half = Math.floor(H / 2);
  const growth = H >= 4 && unit[half - 1] > 0
    ? Math.min(0.5, Math.max(0, Math.log(unit[H - 1] / unit[half - 1]) / Math.log(H / half)))
    : 0.5;
  return { unit, signed, origins: ORIGIN_WEIGHT * errors.length, growth };
}

/** The absolute scores of calibrations that keep only the signed ones, sorted once. */
const absoluteScores = new WeakMap();

/** @param {Calibration} cal sorted normalised absolute errors */
function scoresOf(cal) {
  if (cal.scores) return cal.scores;
  let s = absoluteScores.get(cal);
  if (!s) {
    s = (cal.signed ?? []).map(Math.abs).sort((a, b) => a - b);
    absoluteScores.set(cal, s);
  }
  return s;
}

/** s_h for step i (0-based) in the user's units: calibrated, or extrapolated past the calibrated steps. */
function stepScale(cal, i) {
  const H = cal.unit.length;
  const u = i < H ? cal.unit[i] : cal.unit[H - 1] * Math.pow((i + 1) / H, cal.growth ?? 0.5);
  return u * (cal.level ?? 1);
}

/**
 * Half-widths of the symmetric interval at `level` for steps 1..h.
 * @param {Calibration} cal
 * @param {number} level in (0, 1)
 * @param {number} h
 */
export function halfWidths(cal, level, h) {
  const s = scoresOf(cal);
  const N = s.length;
  let q;
  const K = Math.max(1, cal.origins ?? N);
  if (N === 0) q = 0;
  else {
    const k = Math.ceil((K + 1) * level);
    if (k <= K) q = s[Math.min(N - 1, Math.ceil((k / K) * N) - 1)];
    else {
      // Beyond what the calibration set can certify: stretch the largest score as a normal
      // tail would (ratio of the normal quantiles at the level and at K / (K + 1)).
      q = s[N - 1] * normalQuantile(0.5 + level / 2) / normalQuantile(0.5 + K / (K + 1) / 2);
    }
  }
  const out = new Float64Array(h);
  for (let i = 0; i < h; i++) out[i] = q * stepScale(cal, i);
  return out;
}

/**
 * The interval at `level` for steps 1..h as distances below and above the forecast: split as
 * the signed scores are (see the top of this file), symmetric past the largest score and for
 * calibrations without signed scores.
 * @param {Calibration} cal
 * @param {number} level in (0, 1)
 * @param {number} h
 * @returns {{below: Float64Array, above: Float64Array}}
 */
export function bandWidths(cal, level, h) {
  const s = cal.signed;
  const N = s?.length ?? 0;
  const K = Math.max(1, cal.origins ?? N);
  const k = Math.ceil((K + 1) * level);
  if (N === 0 || k > K) {
    const w = halfWidths(cal, level, h);
    return { below: w, above: w };
  }
  // The central k/K of the signed scores: as many beyond each end.
  const beyond = Math.min(N - 1, Math.ceil(((1 + k / K) / 2) * N) - 1);
  const up = Math.max(0, s[beyond]);
  const down = Math.max(0, -s[N - 1 - beyond]);
  const below = new Float64Array(h);
  const above = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    const u = stepScale(cal, i);
    below[i] = down * u;
    above[i] = up * u;
  }
  return { below, above };
}

/** Inverse of the standard normal distribution function (Acklam's rational approximation). */
export function normalQuantile(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

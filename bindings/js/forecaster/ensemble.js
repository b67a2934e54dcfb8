// The forecast from the members' validation errors: the median of the three candidates with
// the lowest mean absolute error over the choice origins (fewer when fewer exist), one per
// method and season (not the same method with and without a log transform). On the first
// development set this robust combination beat choosing among every single member, means of
// the best 2, medians of the best 5 and the network with the best 2 classical members by the
// same validation error (the choice among them overfitted the few origins); one member per
// method brought the worst series of both development sets down (BJsales 1.29 to 1.17) at a
// small cost in the mean.
// Two guards against a median that ignores what the origins showed, or reads too much into them
// (both from the short-series benchmark, bench/forecast/short.mjs):
// - a member whose error is more than WORSE_THAN_BEST times the best classical one's is left
//   out: a strong season that only seasonal naive captures is not outvoted by two level
//   forecasts;
// - where the choice origins cover few values (at most THIN_EVIDENCE), a trend member (drift,
//   damped Holt, Theta) or the networks join only if they beat the best level-only member at
//   the origins consistently (paired per-origin errors: mean difference beyond TREND_Z standard
//   errors): a short series' last stretch of trend wins a validation of a few values by luck,
//   and extrapolated it is the forecast furthest off when the series turns.
import { combine } from './members.js';

/**
 * @typedef {object} Scored
 * @property {string} name
 * @property {Float64Array[]} forecasts one per origin (user units)
 * @property {number} mae mean absolute error over origins and steps
 * @property {Float64Array[]} [all] classical members: forecasts at every choice origin
 * @property {number} [score] what the members are ranked by (default: mae)
 * @property {{kind: string, periods: number[], period: number, log: boolean}} [cfg] the method
 */

/** Members combined. */
const TOP = 3;

/** Members scoring worse than this multiple of the best member's error are not combined. */
export const WORSE_THAN_BEST = 1.5;

/** Choice origins covering at most this many values are thin evidence for a trend. */
export const THIN_EVIDENCE = 20;

/** Standard errors by which a trend member must beat the best level-only member on thin evidence. */
const TREND_Z = 2;

/** Members that extrapolate a trend. */
const TREND_KINDS = new Set(['drift', 'holt', 'theta']);

/**
 * Mean absolute error of forecasts at the origins against the actual values.
 * @param {Float64Array[]} forecasts
 * @param {Float64Array} x
 * @param {number[]} origins
 */
export function mae(forecasts, x, origins) {
  let sum = 0;
  let count = 0;
  origins.forEach((o, k) => {
    const f = forecasts[k];
    for (let i = 0; i < f.length && o + i < x.length; i++) {
      sum += Math.abs(f[i] - x[o + i]);
      count++;
    }
  });
  return count ? sum / count : Infinity;
}

/** Mean absolute error of each origin's forecast. */
function perOrigin(forecasts, x, origins) {
  return origins.map((o, k) => mae([forecasts[k]], x, [o]));
}

/**
 * Trend members and networks (their indices) without enough evidence to be combined: on thin
 * evidence, those whose per-origin errors are not lower than the best level-only member's by
 * more than TREND_Z standard errors of the paired differences (the networks at the near origins,
 * the classical members at all the choice origins).
 * @param {Scored[]} members
 * @param {Float64Array} x
 * @param {number[]} origins the near origins (every member's `forecasts`)
 * @param {number[]} selection the choice origins (classical members' `all` forecasts)
 */
export function unsupportedTrends(members, x, origins, selection) {
  const out = new Set();
  if (!selection.length || x.length - selection[0] > THIN_EVIDENCE) return out;
  const level = members
    .filter((m) => m.cfg && !TREND_KINDS.has(m.cfg.kind) && m.cfg.kind !== 'network' && m.all && Number.isFinite(m.score))
    .sort((a, b) => /** @type {number} */ (a.score) - /** @type {number} */ (b.score))[0];
  if (!level) return out;
  const ref = perOrigin(/** @type {Float64Array[]} */ (level.all), x, selection);
  const refNear = perOrigin(level.forecasts, x, origins);
  members.forEach((m, i) => {
    if (!m.cfg || !(TREND_KINDS.has(m.cfg.kind) || m.cfg.kind === 'network')) return;
    // The networks were only forecast from the near origins (and kept their best checkpoint there).
    const d = m.all ? perOrigin(m.all, x, selection).map((e, k) => e - ref[k]) : perOrigin(m.forecasts, x, origins).map((e, k) => e - refNear[k]);
    const k = d.length;
    const mean = d.reduce((a, v) => a + v, 0) / k;
    const sd = k > 1 ? Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / (k - 1)) : Infinity;
    if (!(mean + (TREND_Z * sd) / Math.sqrt(k) < 0)) out.add(i);
  });
  return out;
}

/**
 * The combination of the best members.
 * @param {Scored[]} members (classical ones with `all`: their forecasts at the choice origins)
 * @param {Float64Array} x
 * @param {number[]} origins the near origins (every member's `forecasts`)
 * @param {number[]} [selection] the choice origins (for the evidence guard; none: no guard)
 * @returns {{members: number[], how: 'median' | 'mean', mae: number, forecasts: Float64Array[], label: string, left: {worse: number[], trends: number[]}}}
 */
export function choose(members, x, origins, selection = []) {
  const key = (i) => members[i].score ?? members[i].mae;
  const dropped = unsupportedTrends(members, x, origins, selection);
  const order = members.map((m, i) => i).filter((i) => Number.isFinite(key(i)) && !dropped.has(i)).sort((a, b) => key(a) - key(b));
  // One member per method and season (the log and plain versions of a method are near
  // duplicates: a median over them would be that one method in disguise).
  const picked = [];
  const methods = new Set();
  const worse = [];
  // The bound is set by the best classical member: the networks' errors at the origins are
  // optimistic (their checkpoint was chosen there), so they do not push the others out.
  const firstClassical = order.find((i) => members[i].cfg?.kind !== 'network');
  const bound = firstClassical === undefined ? Infinity : key(firstClassical) * WORSE_THAN_BEST;
  for (const i of order) {
    const cfg = members[i].cfg;
    const method = cfg ? `${cfg.kind}:${cfg.periods.join('+')}:${cfg.period}` : members[i].name;
    if (methods.has(method)) continue;
    if (key(i) > bound) {
      worse.push(i);
      break;
    }
    methods.add(method);
    picked.push(i);
    if (picked.length === TOP) break;
  }
  // Two members: their mean (the median of two).
  const how = picked.length === 2 ? 'mean' : 'median';
  const label = picked.length === 1 ? members[picked[0]].name : `${how} of the best ${picked.length}`;
  const forecasts = origins.map((_, k) => combine(picked.map((i) => members[i].forecasts[k]), how));
  return { members: picked, how, mae: mae(forecasts, x, origins), forecasts, label, left: { worse, trends: [...dropped] } };
}

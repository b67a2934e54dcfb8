// The forecast from the members' validation errors: the median of the three candidates with
// the lowest mean absolute error over the choice origins (fewer when fewer exist), one per
// method and season (not the same method with and without a log transform). On the first
// development set this robust combination beat choosing among every single member, means of
// the best 2, medians of the best 5 and the network with the best 2 classical members by the
// same validation error (the choice among them overfitted the few origins), and keeping only
// the members within 10% or 25% of the best one; one member per method brought the worst
// series of both development sets down (BJsales 1.29 to 1.17) at a small cost in the mean.
import { combine } from './members.js';

/**
 * @typedef {object} Scored
 * @property {string} name
 * @property {Float64Array[]} forecasts one per origin (user units)
 * @property {number} mae mean absolute error over origins and steps
 * @property {number} [score] what the members are ranked by (default: mae)
 * @property {{kind: string, periods: number[], period: number, log: boolean}} [cfg] the method
 */

/** Members combined. */
const TOP = 3;

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

/**
 * The combination of the best members.
 * @param {Scored[]} members
 * @param {Float64Array} x
 * @param {number[]} origins
 * @returns {{members: number[], how: 'median' | 'mean', mae: number, forecasts: Float64Array[], label: string}}
 */
export function choose(members, x, origins) {
  const key = (i) => members[i].score ?? members[i].mae;
  const order = members.map((m, i) => i).filter((i) => Number.isFinite(key(i))).sort((a, b) => key(a) - key(b));
  // One member per method and season (the log and plain versions of a method are near
  // duplicates: a median over them would be that one method in disguise).
  const picked = [];
  const methods = new Set();
  for (const i of order) {
    const cfg = members[i].cfg;
    const method = cfg ? `${cfg.kind}:${cfg.periods.join('+')}:${cfg.period}` : members[i].name;
    if (methods.has(method)) continue;
    methods.add(method);
    picked.push(i);
    if (picked.length === TOP) break;
  }
  // Two members: their mean (the median of two).
  const how = picked.length === 2 ? 'mean' : 'median';
  const label = picked.length === 1 ? members[picked[0]].name : `${how} of the best ${picked.length}`;
  const forecasts = origins.map((_, k) => combine(picked.map((i) => members[i].forecasts[k]), how));
  return { members: picked, how, mae: mae(forecasts, x, origins), forecasts, label };
}

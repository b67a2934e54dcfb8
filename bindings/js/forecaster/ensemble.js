// Choosing the forecast from the members' inner-validation errors: every member alone and a
// few robust combinations of the best ones (median of 3 or 5, mean of 2, the network with the
// best classical member) compete on the mean absolute error over all origins and steps.
import { combine } from './members.js';

/**
 * @typedef {object} Scored
 * @property {string} name
 * @property {Float64Array[]} forecasts one per origin (user units)
 * @property {number} mae mean absolute error over origins and steps
 */

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
 * The best combination of members.
 * @param {Scored[]} members
 * @param {Float64Array} x
 * @param {number[]} origins
 * @param {number} network index of the network member in `members` (-1 if none)
 * @returns {{members: number[], how: 'median' | 'mean', mae: number, forecasts: Float64Array[], label: string}}
 */
export function choose(members, x, origins, network) {
  const order = members.map((m, i) => i).filter((i) => Number.isFinite(members[i].mae)).sort((a, b) => members[a].mae - members[b].mae);
  /** @type {{members: number[], how: 'median' | 'mean', label: string}[]} */
  const options = order.map((i) => ({ members: [i], how: 'median', label: members[i].name }));
  if (order.length >= 2) options.push({ members: order.slice(0, 2), how: 'mean', label: 'mean of the best 2' });
  if (order.length >= 3) options.push({ members: order.slice(0, 3), how: 'median', label: 'median of the best 3' });
  if (order.length >= 5) options.push({ members: order.slice(0, 5), how: 'median', label: 'median of the best 5' });
  if (network >= 0) {
    const best = order.find((i) => i !== network);
    if (best !== undefined) options.push({ members: [network, best], how: 'mean', label: `mean of the network and ${members[best].name}` });
  }
  let winner = null;
  for (const opt of options) {
    const forecasts = origins.map((_, k) => combine(opt.members.map((i) => members[i].forecasts[k]), opt.how));
    // A single member must win by 2% over a combination: combinations are the safer bet.
    const score = mae(forecasts, x, origins) * (opt.members.length === 1 ? 1.02 : 1);
    if (!winner || score < winner.score) winner = { ...opt, forecasts, score, mae: mae(forecasts, x, origins) };
  }
  return /** @type {any} */ (winner);
}

// Forecasts of each kind of member from its fitted state (synchronous: forecast() and
// loadForecaster() need no fitting code). A member works in a Space (space.js); its state holds
// what it needs at the end of the series it was fitted on, so any horizon can be asked for.
import { advance, baseForecast } from './base.js';
import { fromSpace } from './space.js';

/**
 * @typedef {object} Member
 * @property {string} kind   'naive' | 'seasonalNaive' | 'drift' | 'ses' | 'holt' | 'theta' | 'network'
 * @property {import('./space.js').Space} space where it works
 * @property {number} n      absolute time of the first forecast step
 * @property {Record<string, any>} state
 */

/**
 * The member's forecast in its space, h steps.
 * @param {Member} m
 * @param {number} h
 * @param {import('../model.js').Model[]} models the networks of the forecaster
 * @returns {Float64Array}
 */
export function forecastInSpace(m, h, models) {
  const s = m.state;
  const out = new Float64Array(h);
  switch (m.kind) {
    case 'naive':
      out.fill(s.level);
      break;
    case 'seasonalNaive':
      for (let i = 0; i < h; i++) out[i] = s.last[i % s.last.length];
      break;
    case 'drift':
      for (let i = 0; i < h; i++) out[i] = s.level + (i + 1) * s.slope;
      break;
    case 'ses':
      out.fill(s.level);
      break;
    case 'holt': {
      // Damped trend: level + (phi + phi^2 + ... + phi^h) trend.
      let damp = 0;
      let p = 1;
      for (let i = 0; i < h; i++) {
        p *= s.phi;
        damp += p;
        out[i] = s.level + damp * s.trend;
      }
      break;
    }
    case 'theta': {
      // SES plus half the linear trend (the theta = 0 line), as in Hyndman & Billah (2003).
      const a = s.alpha;
      const tail = (1 - Math.pow(1 - a, s.count)) / a;
      for (let i = 0; i < h; i++) out[i] = s.level + 0.5 * s.slope * (i + tail);
      break;
    }
    case 'network':
      networkForecast(s, h, models, out);
      break;
    default:
      throw new Error(`unknown member kind ${m.kind}`);
  }
  return out;
}

/** Network horizons chained at most; past them the member holds its last forecast (forecast() stays fast). */
export const MAX_BLOCKS = 8;

/**
 * The median over the member's networks of their direct multi-step forecasts; past a
 * network's own horizon its forecasts are fed back as input (block by block).
 */
function networkForecast(s, h, models, out) {
  const runs = s.nets.map((/** @type {{model: number, window: number, horizon: number}} */ net) => {
    const z = Array.from(s.window.slice(s.window.length - net.window));
    const model = models[net.model];
    const res = new Float64Array(h);
    let done = 0;
    let blocks = 0;
    const x = new Float32Array(net.window);
    // A hybrid's network corrects its base's forecast (base.js); the base's state moves over
    // each block's values before the next.
    const st = s.base ? { ...s.base.state } : null;
    while (done < h && blocks++ < MAX_BLOCKS) {
      const last = z[z.length - 1];
      for (let i = 0; i < net.window; i++) x[i] = clampInput((z[z.length - net.window + i] - last) / s.unit);
      const y = model.predict({ data: x, shape: [1, net.window, 1] }).data;
      const from = done;
      for (let k = 0; k < net.horizon && done < h; k++) {
        const v = (st ? baseForecast(s.base.params, st, k) : last) + y[k] * s.unit;
        res[done++] = v;
        z.push(v);
      }
      if (st) for (let i = from; i < done; i++) advance(s.base.params, st, res[i]);
    }
    for (let i = done; i < h; i++) res[i] = res[done - 1];
    return res;
  });
  const col = new Float64Array(runs.length);
  for (let i = 0; i < h; i++) {
    for (let r = 0; r < runs.length; r++) col[r] = runs[r][i];
    out[i] = median(col);
  }
}

/** Network inputs are differences from the window's last value in units of the typical step. */
export function clampInput(v) {
  return v > 50 ? 50 : v < -50 ? -50 : v;
}

/**
 * Median of the values (sorts a copy).
 * @param {ArrayLike<number>} v
 */
export function median(v) {
  const a = Float64Array.from(v).sort();
  const k = a.length >> 1;
  return a.length % 2 ? a[k] : 0.5 * (a[k - 1] + a[k]);
}

/**
 * The member's forecast in the user's units.
 * @param {Member} m
 * @param {number} h
 * @param {any[]} models
 */
export function forecastMember(m, h, models) {
  const z = forecastInSpace(m, h, models);
  const sp = m.space;
  for (let i = 0; i < h; i++) z[i] = fromSpace(sp, z[i], m.n + i);
  return z;
}

/**
 * Combines member forecasts: the median (or the mean of two).
 * @param {Float64Array[]} forecasts
 * @param {'median' | 'mean'} how
 */
export function combine(forecasts, how) {
  const h = forecasts[0].length;
  const out = new Float64Array(h);
  const col = new Float64Array(forecasts.length);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < forecasts.length; j++) col[j] = forecasts[j][i];
    if (how === 'mean') {
      let sum = 0;
      for (let j = 0; j < col.length; j++) sum += col[j];
      out[i] = sum / col.length;
    } else if (col.length === 3) {
      // The median of three without sorting (the usual case).
      const [a, b, c] = col;
      out[i] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    } else {
      col.sort();
      const k = col.length >> 1;
      out[i] = col.length % 2 ? col[k] : 0.5 * (col[k - 1] + col[k]);
    }
  }
  return out;
}

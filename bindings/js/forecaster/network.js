// The network member: LSTMs that read a window of the series (in the member's space, as
// differences from the window's last value in units of the typical one-step change, the way
// ES-RNN and N-BEATS normalise by the last level) and output the next `horizon` values at once
// (MIMO). Trained on rolling windows whose targets end before the first inner-validation
// origin; the best checkpoint on the validation origins is kept. Several networks (seeds,
// window lengths) trained round-robin, so a deadline leaves all of them equally trained;
// their forecasts are combined by the median.
import { yieldToEventLoop } from '../fit.js';
import { advance, baseForecast, statesAlong } from './base.js';
import { fitClassical } from './classical.js';
import { MAX_BLOCKS, clampInput } from './members.js';

/** A small seeded generator (mulberry32) for sampling windows. */
function random(seedValue) {
  let a = (seedValue * 0x9e3779b1 + 0x6d2b79f5) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The base's parameters fitted on z.
 * @param {'ses' | 'holt' | 'theta'} kind
 * @param {Float64Array} z
 * @returns {Base}
 */
export function fitBase(kind, z) {
  const s = fitClassical(kind, z);
  const k = Math.min(z.length - 1, 3);
  return { kind, alpha: s.alpha, beta: s.beta ?? 0, phi: s.phi ?? 1, slope: s.slope ?? 0, init: k > 0 ? (z[k] - z[0]) / k : 0 };
}

/**
 * Plans the networks for a series: horizon, windows, size; null when the training part is
 * too short for a few windows.
 * @param {number} cut  values usable as training targets (z[0..cut))
 * @param {number} validationHorizon
 * @param {number} period detected season (0 if none), to let windows span a season
 * @param {number} count networks wanted
 */
export function planNetworks(cut, validationHorizon, period, count) {
  let horizon = Math.min(validationHorizon, 48);
  const minWindow = 4;
  // At least 6 training windows.
  horizon = Math.min(horizon, cut - minWindow - 5);
  if (horizon < 1 || count < 1) return null;
  const room = cut - horizon - 5;
  const base = Math.max(minWindow, Math.min(72, Math.max(2 * horizon, period > 0 && period <= 48 ? period + 1 : 0, 12)));
  const factors = [1, 0.6, 1.5, 0.8, 1.25];
  const nets = [];
  for (let j = 0; j < count; j++) {
    const w = Math.max(minWindow, Math.min(room, 72, Math.round(base * factors[j % factors.length])));
    nets.push({ window: w, horizon });
  }
  const windows = cut - horizon - nets[0].window + 1;
  return { nets, hidden: windows < 150 ? 16 : 32 };
}

/**
 * Trains the networks. Resolves with the nets (best checkpoints restored) and the member's
 * forecasts at the validation origins (in its space), or null if none could be trained.
 * @param {any} rnn
 * @param {Float64Array} z the whole series in the member's space
 * @param {{cut: number, origins: number[], horizon: number, period: number, count: number,
 *   seed: number, deadline: number, maxSteps: number, signal?: AbortSignal,
 *   base?: import('./base.js').Base,
 *   onRound?: (steps: number, best: number) => unknown}} o
 */
export async function trainNetworks(rnn, z, o) {
  const plan = planNetworks(o.cut, o.horizon, o.period, o.count);
  // No time left (a tight budget spent on the classical candidates): no networks.
  if (!plan || Date.now() >= o.deadline) return null;
  // Typical one-step change over the training part (the unit of inputs and targets).
  let unit = 0;
  for (let i = 1; i < o.cut; i++) unit += Math.abs(z[i] - z[i - 1]);
  unit /= Math.max(1, o.cut - 1);
  if (!(unit > 1e-12)) unit = 1;
  const rand = random(o.seed);
  // The hybrid: targets are what the base's forecast from the window's origin misses.
  const states = o.base ? statesAlong(o.base, z) : null;
  const nets = plan.nets.map((p, j) => ({
    ...p,
    model: rnn.createModel({ cell: 'lstm', inputSize: 1, hiddenSize: plan.hidden, outputSize: p.horizon, seed: o.seed * 31 + j + 1 }),
    best: Infinity,
    bestWeights: /** @type {any} */ (null),
    bestStep: 0,
    steps: 0,
    stale: 0,
    /** @type {Float64Array[]} */ lastForecasts: [],
    /** @type {Float64Array[]} */ bestForecasts: [],
  }));
  const batch = 32;
  const evalEvery = 25;
  const patience = 24; // evaluations without improvement before a net stops
  const trainOpts = { optimizer: { name: 'adam', lr: 0.003 }, loss: 'huber', huberDelta: 1, clipNorm: 1 };
  let total = 0;
  /** Forecasts of one net at every origin, in the space. */
  /** Forecasts of one net at every origin, in the space: one batched predict per block. */
  const atOrigins = (net) => {
    const K = o.origins.length;
    const L = net.window;
    const H = net.horizon;
    const paths = o.origins.map((origin) => Array.from(z.subarray(origin - L, origin)));
    const bases = o.origins.map((origin) => (states ? states.at(origin) : null));
    const res = o.origins.map(() => new Float64Array(o.horizon));
    const x = new Float32Array(K * L);
    let done = 0;
    // As members.js forecasts: blocks chained, at most MAX_BLOCKS, then the last value held.
    for (let block = 0; done < o.horizon && block < MAX_BLOCKS; block++) {
      paths.forEach((p, k) => {
        const last = p[p.length - 1];
        for (let i = 0; i < L; i++) x[k * L + i] = clampInput((p[p.length - L + i] - last) / unit);
      });
      const y = net.model.predict({ data: x, shape: [K, L, 1] }).data;
      const take = Math.min(H, o.horizon - done);
      paths.forEach((p, k) => {
        const last = p[p.length - 1];
        const st = bases[k];
        for (let j = 0; j < take; j++) {
          const v = (st ? baseForecast(/** @type {any} */ (o.base), st, j) : last) + y[k * H + j] * unit;
          res[k][done + j] = v;
          p.push(v);
        }
        if (st) for (let j = 0; j < take; j++) advance(/** @type {any} */ (o.base), st, res[k][done + j]);
      });
      done += take;
    }
    for (const r of res) for (let i = done; i < o.horizon; i++) r[i] = r[done - 1];
    return res;
  };
  /** Mean absolute error of a net at the origins (in units); keeps the forecasts on the net. */
  const score = (net) => {
    const f = atOrigins(net);
    let sum = 0;
    let count = 0;
    o.origins.forEach((origin, k) => {
      for (let i = 0; i < o.horizon && origin + i < z.length; i++) {
        sum += Math.abs(f[k][i] - z[origin + i]);
        count++;
      }
    });
    net.lastForecasts = f;
    return sum / count / unit;
  };
  /** One optimizer step of `net` on a batch of windows whose targets end before `end`. */
  const trainStep = (net, end, opts) => {
    const L = net.window;
    const H = net.horizon;
    const windows = end - H - L + 1;
    const B = Math.min(batch, windows);
    const x = new Float32Array(B * L);
    const y = new Float32Array(B * H);
    for (let b = 0; b < B; b++) {
      const t = L + Math.floor(rand() * windows);
      const lastValue = z[t - 1];
      for (let i = 0; i < L; i++) x[b * L + i] = clampInput((z[t - L + i] - lastValue) / unit);
      const st = states ? states.at(t) : null;
      for (let k = 0; k < H; k++) y[b * H + k] = clampInput((z[t + k] - (st ? baseForecast(/** @type {any} */ (o.base), st, k) : lastValue)) / unit);
    }
    net.model.trainBatch({ data: x, shape: [B, L, 1] }, { data: y, shape: [B, H] }, opts);
  };
  try {
    for (const net of nets) {
      if (Date.now() >= o.deadline) {
        for (const n of nets) n.model.dispose();
        return null;
      }
      net.best = score(net);
      net.bestWeights = net.model.getWeights();
      net.bestForecasts = net.lastForecasts;
    }
    let running = true;
    while (running) {
      running = false;
      for (const net of nets) {
        if (net.stale >= patience) continue;
        if (Date.now() >= o.deadline || total >= o.maxSteps || o.signal?.aborted) break;
        // The deadline is checked before every step (not only every chunk): a fit overshoots
        // its budget by one step and one evaluation at most, however slow the steps are.
        const chunk = Math.min(evalEvery, o.maxSteps - total);
        let steps = 0;
        while (steps < chunk && (steps === 0 || Date.now() < o.deadline)) {
          trainStep(net, o.cut, trainOpts);
          steps++;
        }
        net.steps += steps;
        total += steps;
        const v = score(net);
        if (v < net.best - 1e-9) {
          net.best = v;
          net.bestWeights = net.model.getWeights();
          net.bestForecasts = net.lastForecasts;
          net.bestStep = net.steps;
          net.stale = 0;
        } else net.stale++;
        running = true;
      }
      await o.onRound?.(total, Math.min(...nets.map((n) => n.best)));
      await yieldToEventLoop();
    }
    for (const net of nets) net.model.setWeights(net.bestWeights);
  } catch (e) {
    for (const net of nets) net.model.dispose();
    throw e;
  }
  // The member's forecasts at the origins: the median over nets at their best checkpoints.
  const perNet = nets.map((n) => n.bestForecasts);
  const forecasts = o.origins.map((_, k) => {
    const row = new Float64Array(o.horizon);
    const col = new Float64Array(nets.length);
    for (let i = 0; i < o.horizon; i++) {
      for (let j = 0; j < nets.length; j++) col[j] = perNet[j][k][i];
      col.sort();
      const m = col.length >> 1;
      row[i] = col.length % 2 ? col[m] : 0.5 * (col[m - 1] + col[m]);
    }
    return row;
  });
  return {
    unit,
    nets: nets.map((n) => ({ model: n.model, window: n.window, horizon: n.horizon, steps: n.steps, bestStep: n.bestStep, validation: n.best })),
    forecasts,
    steps: total,
    hidden: plan.hidden,
    base: o.base ?? null,
  };
}

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

/** Time left for training below which the networks stay in the forecaster's own thread. */
const MIN_MS_FOR_WORKERS = 2000;

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
 *   spawnModel?: (options: Record<string, any>) => Promise<any>, parallel?: number,
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
  // The hybrid: targets are what the base's forecast from the window's origin misses.
  const states = o.base ? statesAlong(o.base, z) : null;
  // Each network draws its windows from its own generator and gets its steps in a fixed order
  // (see the rounds below): where it trains (here, or in a worker of its own when the forecaster
  // runs in a worker and cores allow) does not change what it learns.
  // Starting a worker loads the library there: worth it only with a few seconds to train.
  const slots = o.spawnModel && (o.parallel ?? 0) >= 2 && o.deadline - Date.now() >= MIN_MS_FOR_WORKERS ? Math.min(o.parallel ?? 0, plan.nets.length) : 0;
  const models = [];
  /** @type {boolean[]} whether each net trains in a worker */
  const remote = [];
  const configs = plan.nets.map((p, j) => ({ cell: 'lstm', inputSize: 1, hiddenSize: plan.hidden, outputSize: p.horizon, seed: o.seed * 31 + j + 1 }));
  // Workers that fail to start leave their nets here.
  const spawned = await Promise.all(configs.map((c, j) => (j < slots ? /** @type {any} */ (o.spawnModel)(c).catch(() => null) : null)));
  try {
    configs.forEach((c, j) => {
      remote.push(spawned[j] !== null);
      models.push(spawned[j] ?? rnn.createModel(c));
    });
  } catch (e) {
    for (const m of spawned) if (m) disposeModel(m);
    for (const m of models) disposeModel(m);
    throw e;
  }
  const nets = plan.nets.map((p, j) => ({
    ...p,
    model: models[j],
    remote: remote[j],
    rand: random(o.seed * 1009 + j + 1),
    best: Infinity,
    bestWeights: /** @type {any} */ (null),
    bestStep: 0,
    steps: 0,
    msPerStep: 0,
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
  const atOrigins = async (net) => {
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
      const y = (await net.model.predict({ data: x, shape: [K, L, 1] })).data;
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
  const score = async (net) => {
    const f = await atOrigins(net);
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
  /**
   * `count` optimizer steps of `net`, each on a batch of windows whose targets end before `end`.
   * A net in a worker takes them in one fit() call (fit() without shuffling steps through
   * consecutive batches exactly as as many trainBatch() calls do, bit for bit): one message a
   * call, not one a step, since a step of these small nets takes about as long as a round trip
   * to a worker. A net here takes them as trainBatch() calls (fit() would yield to the event
   * loop after every batch).
   */
  const trainSteps = (net, end, count) => {
    const rand = net.rand;
    const L = net.window;
    const H = net.horizon;
    const windows = end - H - L + 1;
    const B = Math.min(batch, windows);
    const x = new Float32Array(count * B * L);
    const y = new Float32Array(count * B * H);
    for (let b = 0; b < count * B; b++) {
      const t = L + Math.floor(rand() * windows);
      const lastValue = z[t - 1];
      for (let i = 0; i < L; i++) x[b * L + i] = clampInput((z[t - L + i] - lastValue) / unit);
      const st = states ? states.at(t) : null;
      for (let k = 0; k < H; k++) y[b * H + k] = clampInput((z[t + k] - (st ? baseForecast(/** @type {any} */ (o.base), st, k) : lastValue)) / unit);
    }
    if (net.remote) {
      return net.model.fit({ x: { data: x, shape: [count * B, L, 1] }, y: { data: y, shape: [count * B, H] } },
        { ...trainOpts, epochs: 1, batchSize: B, shuffle: false });
    }
    for (let c = 0; c < count; c++) {
      net.model.trainBatch({ data: x.subarray(c * B * L, (c + 1) * B * L), shape: [B, L, 1] },
        { data: y.subarray(c * B * H, (c + 1) * B * H), shape: [B, H] }, trainOpts);
    }
    return undefined;
  };
  /**
   * A chunk of steps of one net, then its evaluation. The first call is one step; then as many
   * as the pace measured so far fits before the deadline, so a fit overshoots its budget by
   * about one step and one evaluation (and the steps' split into calls changes nothing else).
   */
  const runChunk = async (net, chunk) => {
    let steps = 0;
    while (steps < chunk && (steps === 0 || Date.now() < o.deadline)) {
      const left = o.deadline - Date.now();
      const count = net.msPerStep > 0 ? Math.max(1, Math.min(chunk - steps, Math.floor(left / net.msPerStep))) : 1;
      const t0 = performance.now();
      await trainSteps(net, o.cut, count);
      net.msPerStep = Math.max(0.01, (performance.now() - t0) / count);
      steps += count;
    }
    net.steps += steps;
    const v = await score(net);
    if (v < net.best - 1e-9) {
      net.best = v;
      net.bestWeights = await net.model.getWeights();
      net.bestForecasts = net.lastForecasts;
      net.bestStep = net.steps;
      net.stale = 0;
    } else net.stale++;
  };
  try {
    for (const net of nets) {
      if (Date.now() >= o.deadline) {
        for (const n of nets) disposeModel(n.model);
        return null;
      }
      net.best = await score(net);
      net.bestWeights = await net.model.getWeights();
      net.bestForecasts = net.lastForecasts;
    }
    // Rounds: each net still improving gets a chunk, handed out in the nets' order against the
    // step budget before any runs; the chunks of a round run side by side.
    for (;;) {
      const round = [];
      let planned = total;
      for (const net of nets) {
        if (net.stale >= patience) continue;
        if (Date.now() >= o.deadline || planned >= o.maxSteps || o.signal?.aborted) break;
        const chunk = Math.min(evalEvery, o.maxSteps - planned);
        planned += chunk;
        round.push(runChunk(net, chunk));
      }
      if (round.length === 0) break;
      await Promise.all(round);
      total = nets.reduce((sum, n) => sum + n.steps, 0);
      await o.onRound?.(total, Math.min(...nets.map((n) => n.best)));
      await yieldToEventLoop();
    }
    for (const net of nets) {
      if (!net.remote) net.model.setWeights(net.bestWeights);
      else {
        // Trained in a worker: its best weights come back as a model file.
        const remote = net.model;
        await remote.setWeights(net.bestWeights);
        const bytes = await remote.save();
        net.model = rnn.loadModel(bytes);
        net.remote = false;
        disposeModel(remote);
      }
    }
  } catch (e) {
    for (const net of nets) disposeModel(net.model);
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
    workers: remote.filter(Boolean).length,
  };
}

/** Frees a network here or in a worker (a worker's dispose() is a promise; failures ignored). */
function disposeModel(m) {
  try {
    const r = m.dispose();
    if (r && typeof r.catch === 'function') r.catch(() => {});
  } catch {
    // already gone
  }
}

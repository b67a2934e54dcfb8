// Forecaster: the automatic forecaster behind rnn.createForecaster(). This file holds what a
// fitted forecaster needs (forecast, describe, save, load); the fitting code (season detection,
// classical candidates, the networks, the inner validation) is imported only when fit() runs.
import { callback, describe, int, num, oneOf, options, seed } from '../check.js';
import { RnnlabError, fail } from '../errors.js';
import { readForecasterFile, writeForecasterFile } from './format.js';
import { bandWidths } from './intervals.js';
import { combine, forecastMember } from './members.js';
import { cleanSeries } from './series.js';

/** Options of createForecaster (each may also be given to fit()). */
export const FORECASTER_KEYS = ['seed', 'horizon', 'timeBudgetMs', 'maxSteps', 'season', 'transform', 'networks'];
/** Options of fit() besides the forecaster options. */
const FIT_ONLY_KEYS = ['signal', 'onProgress'];
/**
 * Where a forecaster's networks may train in workers of their own: set by rnnlab/worker's
 * worker on the forecaster it runs ({count, spawnModel}); not part of the public API.
 */
export const NETWORK_WORKERS = Symbol('rnnlab.networkWorkers');

/** Longest horizon forecast() produces. */
export const MAX_HORIZON = 1_000_000;

/**
 * Checks forecaster options (createForecaster's or fit()'s) and returns them with defaults
 * left undefined (fit() resolves them against the series).
 * @param {Record<string, any>} o
 */
export function readForecasterOptions(o) {
  const r = {};
  if (o.seed !== undefined) r.seed = seed(o.seed, 'seed', 1);
  if (o.horizon !== undefined) r.horizon = int(o.horizon, 'horizon', { min: 1, max: MAX_HORIZON });
  if (o.timeBudgetMs !== undefined) r.timeBudgetMs = num(o.timeBudgetMs, 'timeBudgetMs', { min: 0, minOpen: true, max: 86_400_000 });
  if (o.maxSteps !== undefined) r.maxSteps = int(o.maxSteps, 'maxSteps', { min: 0, max: 1e9 });
  if (o.season !== undefined) {
    if (o.season !== 'auto') r.season = int(o.season, 'season', { min: 0, max: 100_000 });
  }
  if (o.transform !== undefined) r.transform = oneOf(o.transform, 'transform', ['auto', 'none', 'log']);
  if (o.networks !== undefined) r.networks = int(o.networks, 'networks', { min: 0, max: 16 });
  return r;
}

/**
 * Reads forecast()'s levels.
 * @param {unknown} levels
 * @returns {number[]}
 */
function readLevels(levels) {
  if (levels === undefined) return [0.8, 0.95];
  if (!Array.isArray(levels)) fail('INVALID_CONFIG', 'levels', `must be an array of numbers in (0, 1), got ${describe(levels)}`);
  return levels.map((v, i) => num(v, `levels[${i}]`, { min: 0, max: 1, minOpen: true, maxOpen: true }));
}

/**
 * A forecaster: fit it on a series, then forecast any number of steps past its end with
 * calibrated intervals. Create it with rnn.createForecaster() or rnn.loadForecaster().
 */
export class Forecaster {
  #rnn;
  #opts;
  /** @type {any} the fitted plan (null before fit) */
  #plan = null;
  /** @type {any[]} the plan's networks */
  #models = [];
  #fitting = false;
  #disposed = false;

  /**
   * @param {any} rnn the loaded API (createModel / loadModel)
   * @param {Record<string, any>} [opts]
   * @param {{plan: any, models: any[]}} [fitted]
   */
  constructor(rnn, opts, fitted) {
    this.#rnn = rnn;
    this.#opts = readForecasterOptions(options(opts, FORECASTER_KEYS, 'createForecaster'));
    if (fitted) {
      this.#plan = fitted.plan;
      this.#models = fitted.models;
    }
  }

  #live() {
    if (this.#disposed) fail('DISPOSED', 'forecaster', 'was disposed; create or load a new forecaster');
  }

  /** Whether fit() has completed at least once (or the forecaster was loaded). */
  get fitted() {
    return this.#plan !== null;
  }

  /**
   * Fits the forecaster on `values` (oldest first). Resolves with describe()'s report.
   * @param {unknown} values
   * @param {Record<string, any>} [opts]
   */
  async fit(values, opts) {
    this.#live();
    // The time budget counts from here: loading the fitting code (first fit) is part of it.
    const started = Date.now();
    if (this.#fitting) fail('INVALID_STATE', 'fit', 'a fit is already running on this forecaster');
    const o = options(opts, [...FORECASTER_KEYS, ...FIT_ONLY_KEYS], 'fit');
    const settings = { ...this.#opts, ...readForecasterOptions(o) };
    const onProgress = callback(o.onProgress, 'onProgress');
    const signal = o.signal;
    if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
      fail('INVALID_CONFIG', 'signal', `must be an AbortSignal, got ${describe(signal)}`);
    }
    const series = cleanSeries(values);
    if (signal?.aborted) throw abortError();
    this.#fitting = true;
    try {
      const { fitForecaster } = await import('./fit.js');
      const result = await fitForecaster(this.#rnn, series, settings, { signal, onProgress, aborted: abortError, started, networkWorkers: /** @type {any} */ (this)[NETWORK_WORKERS] });
      if (this.#disposed) {
        for (const m of result.models) m.dispose();
        fail('DISPOSED', 'forecaster', 'was disposed during fit()');
      }
      for (const m of this.#models) m.dispose();
      this.#plan = result.plan;
      this.#models = result.models;
      return this.describe();
    } finally {
      this.#fitting = false;
    }
  }

  /**
   * Forecasts `h` steps past the end of the fitted series.
   * @param {number} h
   * @param {{levels?: number[]}} [opts]
   */
  forecast(h, opts) {
    this.#live();
    const steps = int(h, 'horizon', { min: 1, max: MAX_HORIZON });
    const o = options(opts, ['levels'], 'forecast');
    const levels = readLevels(o.levels);
    const plan = this.#requirePlan('forecast');
    const parts = plan.combination.members.map((/** @type {number} */ i) => forecastMember(plan.members[i], steps, this.#models));
    const mean = combine(parts, plan.combination.how);
    const lowest = plan.nonNegative ? 0 : -Infinity;
    for (let i = 0; i < steps; i++) mean[i] = Math.max(lowest, mean[i]);
    const intervals = levels.map((level) => {
      const { below, above } = bandWidths(plan.calibration, level, steps);
      const lower = new Float64Array(steps);
      const upper = new Float64Array(steps);
      for (let i = 0; i < steps; i++) {
        lower[i] = Math.max(lowest, mean[i] - below[i]);
        upper[i] = mean[i] + above[i];
      }
      return { level, lower, upper };
    });
    // A two-valued series (fit.js): each step the nearer value (the ties to the lower), the
    // intervals as calibrated, widened to hold it.
    const two = plan.twoValues;
    if (two) {
      for (let i = 0; i < steps; i++) {
        mean[i] = Math.abs(mean[i] - two[0]) <= Math.abs(mean[i] - two[1]) ? two[0] : two[1];
        for (const b of intervals) {
          b.lower[i] = Math.min(b.lower[i], mean[i]);
          b.upper[i] = Math.max(b.upper[i], mean[i]);
        }
      }
    }
    return { mean, intervals };
  }

  /** What the forecaster chose and why (a plain object; `summary` says it in words). */
  describe() {
    this.#live();
    if (!this.#plan) return { fitted: false, summary: 'not fitted yet: call fit(values)' };
    return structuredClone({ fitted: true, ...this.#plan.report });
  }

  /** The fitted forecaster as bytes (rnn.loadForecaster() reads them). */
  save() {
    this.#live();
    const plan = this.#requirePlan('save');
    return writeForecasterFile(plan, this.#models.map((m) => m.save()));
  }

  /** Frees the forecaster's networks; later use throws `DISPOSED`. Idempotent. */
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const m of this.#models) m.dispose();
    this.#models = [];
    this.#plan = null;
  }

  /** Whether dispose() was called. */
  get disposed() {
    return this.#disposed;
  }

  #requirePlan(what) {
    if (!this.#plan) fail('INVALID_STATE', 'forecaster', `${what}() needs a fitted forecaster: call fit(values) first`);
    return this.#plan;
  }
}

/** The error a fit stopped by its AbortSignal rejects with. */
export function abortError() {
  return new RnnlabError('ABORTED', 'signal', 'fit() was stopped by its AbortSignal; the forecaster keeps its previous fit');
}

/**
 * Reads bytes written by forecaster.save().
 * @param {any} rnn
 * @param {unknown} bytes
 * @returns {Forecaster}
 */
export function loadForecaster(rnn, bytes) {
  let u8;
  if (bytes instanceof Uint8Array) u8 = bytes;
  else if (bytes instanceof ArrayBuffer) u8 = new Uint8Array(bytes);
  else if (ArrayBuffer.isView(bytes)) u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  else fail('INVALID_ARGUMENT', 'bytes', `must be a Uint8Array or an ArrayBuffer (what forecaster.save() returns), got ${describe(bytes)}`);
  const { plan, networks } = readForecasterFile(u8);
  const models = [];
  try {
    for (const b of networks) models.push(rnn.loadModel(b));
  } catch (e) {
    for (const m of models) m.dispose();
    throw e;
  }
  return new Forecaster(rnn, plan.options ?? {}, { plan, models });
}

// The Automatic mode behind the page's transport buttons: rnnlab's forecaster fitted twice in
// workers of its own (createWorkerForecaster: the page never waits for it) — on the training
// part, to forecast the validation part free-running, and on the whole series, to forecast past
// its end — while augurs' ETS forecasts the validation part for comparison. Play fits what is
// not fitted yet; pause, reset or leaving the task aborts the fits. The app drives it like a
// training session (state, play, pause, counters).
import { createWorkerForecaster } from 'rnnlab/worker';
import { Emitter } from '../lib/emitter.js';
import { isWorkerDeath } from '../train/session.js';
import { etsForecast } from './ets.js';

/** The interval levels drawn (the forecast's bands). */
export const LEVELS = [0.8, 0.95];

/**
 * @typedef {{mean: Float64Array, intervals: {level: number, lower: Float64Array, upper: Float64Array}[]}} Forecast
 * @typedef {{stage: string, fraction: number, elapsedMs: number, steps?: number, validationError?: number}} FitProgress
 * @typedef {{forecaster: import('rnnlab/worker').WorkerForecaster | null, ready: Promise<import('rnnlab/worker').WorkerForecaster>,
 *   values: Float64Array, progress: FitProgress | null, steps: number, report: any, forecast: Forecast | null}} Fit
 */

export class AutoFit extends Emitter {
  /**
   * @param {{values: Float64Array, split: number, horizon: number, period: number, seed: number, timeMs: number, seasonGiven: boolean,
   *   classical?: typeof etsForecast}} o `classical`: the ETS comparison (default: augurs in a worker of the page's)
   */
  constructor(o) {
    super();
    this.o = o;
    const options = { seed: o.seed, ...(o.seasonGiven ? { season: o.period } : {}) };
    /** @type {{validation: Fit, future: Fit}} */
    this.fits = {
      validation: this.#start(options, o.values.subarray(0, o.split)),
      future: this.#start(options, o.values),
    };
    /** augurs' ETS forecast of the validation part, or why there is none. @type {any} */
    this.ets = null;
    /** @type {'paused' | 'playing' | 'crashed' | 'disposed'} */
    this.state = 'paused';
    this.lastError = /** @type {Error | null} */ (null);
    /** @type {AbortController | null} */
    this.abort = null;
    this.startedAt = 0;
    this.fitMs = 0;
    // What the app's parts read of a training session.
    this.log = null;
    this.snapshot = null;
    this.inFlight = 0;
    this.stepsPerSecond = 0;
    this.source = { tokensPerStep: 0, stepsPerEpoch: Infinity };
    /** Changes so far (the counters redraw when it moves). */
    this.revision = 0;
    this.finishedNotice = 'The forecaster has fitted: change a setting (the time budget, the data) or reset (↺) to fit again.';
  }

  /** A forecaster in its own worker, started now so that Play does not wait for it. */
  #start(options, values) {
    /** @type {Fit} */
    const fit = { forecaster: null, ready: /** @type {any} */ (null), values, progress: null, steps: 0, report: null, forecast: null };
    fit.ready = createWorkerForecaster(options, { threads: 1 }).then((f) => { // one thread: see app/app.js
      if (this.state === 'disposed') {
        f.dispose();
        throw new Error('disposed');
      }
      fit.forecaster = f;
      return f;
    });
    fit.ready.catch(() => {});
    return fit;
  }

  /** @param {string} what */
  emit(what) {
    this.revision++;
    super.emit(what);
  }

  get playing() {
    return this.state === 'playing';
  }

  /** Both fits done (and ETS answered): nothing left to play. */
  get finished() {
    return !!(this.fits.validation.forecast && this.fits.future.forecast && this.ets);
  }

  /** Network steps of the validation fit so far (the counters' "steps"). */
  get steps() {
    return this.fits.validation.steps;
  }

  get issued() {
    return this.steps;
  }

  /** Time spent fitting, counting only while playing (ms). */
  get elapsedMs() {
    return this.fitMs + (this.playing ? performance.now() - this.startedAt : 0);
  }

  #setState(s) {
    if (this.state === s) return;
    if (this.state === 'playing') this.fitMs += performance.now() - this.startedAt;
    if (s === 'playing') this.startedAt = performance.now();
    this.state = s;
    this.emit('state');
  }

  play() {
    if (this.state !== 'paused' || this.finished) return;
    this.#setState('playing');
    const abort = new AbortController();
    this.abort = abort;
    const { validation, future } = this.fits;
    const jobs = [
      validation.forecast ? null : this.#fit(validation, this.o.values.length - this.o.split, abort.signal),
      future.forecast ? null : this.#fit(future, this.o.horizon, abort.signal),
      this.ets ? null : this.#ets(abort.signal),
    ];
    Promise.all(jobs).then(() => {
      if (this.abort !== abort) return;
      this.abort = null;
      this.#setState('paused');
      this.emit('done');
    }, (e) => {
      if (this.abort === abort) this.abort = null;
      abort.abort();
      if (this.state === 'disposed' || isAbort(e)) return;
      this.lastError = e instanceof Error ? e : new Error(String(e));
      this.#setState(isWorkerDeath(e) ? 'crashed' : 'paused');
      this.emit('error');
    });
  }

  /**
   * @param {Fit} fit
   * @param {number} horizon
   * @param {AbortSignal} signal
   */
  async #fit(fit, horizon, signal) {
    const f = await fit.ready;
    if (signal.aborted) throw abortError();
    fit.report = await f.fit(fit.values, {
      timeBudgetMs: this.o.timeMs, signal,
      onProgress: (/** @type {FitProgress} */ p) => {
        fit.progress = p;
        if (p.steps) fit.steps = p.steps;
        this.emit('step');
      },
    });
    fit.forecast = await f.forecast(horizon, { levels: LEVELS });
    this.emit('step');
  }

  async #ets(signal) {
    const { values, split, period } = this.o;
    const r = await (this.o.classical ?? etsForecast)(values.subarray(0, split), { period, horizon: values.length - split, signal });
    if (!signal.aborted) this.ets = r;
    this.emit('step');
  }

  /** The forecast past the end for another horizon (the fitted forecaster is kept). */
  async forecastFuture(horizon) {
    const fit = this.fits.future;
    if (!fit.forecast || !fit.forecaster) return null;
    if (fit.forecast.mean.length !== horizon) fit.forecast = await fit.forecaster.forecast(horizon, { levels: LEVELS });
    return fit.forecast;
  }

  /** Stops the fits (each forecaster keeps what it had fitted before). */
  pause() {
    const a = this.abort;
    this.abort = null;
    a?.abort();
    if (this.state === 'playing') this.#setState('paused');
  }

  /** One step means: fit (there are no steps to take one at a time). */
  step() {
    this.play();
  }

  acknowledge() {}

  async dispose() {
    if (this.state === 'disposed') return;
    this.abort?.abort();
    this.abort = null;
    this.#setState('disposed');
    this.listeners.clear();
    await Promise.all(Object.values(this.fits).map((fit) => fit.ready.then((f) => f.dispose(), () => {})));
  }
}

function abortError() {
  return Object.assign(new Error('aborted'), { code: 'ABORTED' });
}

function isAbort(e) {
  return e?.code === 'ABORTED' || e?.name === 'AbortError';
}

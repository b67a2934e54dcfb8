// The forecasting task: a many-to-one model trained on windows of a series (one step ahead),
// then run autoregressively (each prediction fed back) to forecast many steps. Shows the fit,
// the free-running validation forecast, the forecast past the end, and errors against naive
// baselines in the series' own units.
import { SERIES } from '../data/catalog.js';
import { loadSeriesFile } from '../data/files.js';
import { extractSeries, guessColumns, readTable } from '../data/csv.js';
import { syntheticSeries } from '../data/synthetic.js';
import { CELL_NAMES, compatible, evaluateForecast, modelShape, plan, prepare as prepareManual } from './task.js';
import { SeriesChart, extendAxis } from '../views/seriesChart.js';
import { renderMetrics } from '../views/metricsTable.js';
import { fmtDuration, h, replace } from '../lib/dom.js';
import { CsvImport } from '../views/csvImport.js';
import { prepareAuto } from './autoTask.js';
import { AutoFit } from './autoFit.js';
import { drawAuto, progressWords, renderAutoVerdict } from './autoPage.js';

/**
 * Loads the series a state names.
 * @param {Record<string, any>} state
 * @param {{values: Float64Array, dates: Float64Array | null, title: string, units: string} | null} custom
 */
export async function loadSeries(state, custom) {
  if (state.data === 'custom') {
    if (!custom) throw new RangeError('no series of your own is loaded yet: choose a CSV file, drop one on the page, or paste one');
    return { ...custom, info: null };
  }
  const info = SERIES.find((s) => s.id === state.data);
  if (!info) throw new RangeError(`unknown data set ${state.data}`);
  if (!info.file) {
    const { values, dates } = syntheticSeries(/** @type {'sine'|'trend'} */ (info.id), state.seed);
    return { values, dates, title: info.title, units: info.units, info };
  }
  const table = readTable(await loadSeriesFile(info.file));
  const s = extractSeries(table, guessColumns(table));
  return { values: s.values, dates: s.dates, title: info.title, units: info.units, info };
}

/** The forecasting task's views: the series chart and the metrics table. */
export class ForecastViews {
  /**
   * @param {{main: HTMLElement, side: HTMLElement}} slots
   */
  constructor(slots) {
    this.chartHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'The series with the model’s fit and forecast' });
    this.metricsHost = h('div', { class: 'metrics-host', 'aria-live': 'polite' });
    replace(slots.main,
      h('h2', null, 'Series, fit and forecast'),
      this.chartHost,
      this.explainMain = h('p', { class: 'explain' }),
      this.contextNote = h('p', { class: 'note', id: 'context-note' }));
    this.manualMain = [
        'The network reads a window of past values and predicts the next one (many-to-one). ',
        h('strong', { class: 'k-model' }, 'One step ahead'), ' starts every prediction from real data. ',
        h('strong', { class: 'k-free' }, 'Free-running'), ' starts at the validation split and feeds each prediction back as the next input, as a real forecast must, so its errors compound. ',
        h('strong', { class: 'k-future' }, 'Forecast'), ' does the same past the end of the data.'];
    this.autoMain = [
      'rnnlab’s forecaster chooses for itself: season, transform, window, a small ensemble of LSTM networks trained for the whole horizon on what a smoothing method misses (as the M4 winner, ES-RNN, did), or a simple rule where that does better on its own inner validation. ',
      h('strong', { class: 'k-free' }, 'Forecast of the validation part'), ' is fitted on the training part only and runs to the end of the data without seeing it. ',
      h('strong', { class: 'k-future' }, 'Forecast'), ' is fitted on the whole series. Shaded: the 80% (darker) and 95% prediction intervals.'];
    replace(slots.side,
      h('h2', null, 'Is it worth anything?'),
      this.metricsHost,
      h('p', { class: 'explain' },
        'A forecaster is only useful if it beats the simplest rules: ', h('em', null, 'naive'), ' repeats the last value, ',
        h('em', null, 'seasonal naive'), ' repeats the value one season earlier. All errors are on the validation part, which training never saw.'));
    this.chart = new SeriesChart(this.chartHost);
  }

  /** The words under the chart for a mode. */
  setMode(auto) {
    replace(this.explainMain, ...(auto ? this.autoMain : this.manualMain));
    if (auto) replace(this.contextNote);
  }

  /** Automatic mode: the forecaster's forecasts and bands, the verdict, what it chose. */
  showAuto(prep, state, fit) {
    // While fitting, only the progress words change: the chart and table redraw only when a
    // forecast arrives (the page stays light while the workers take the processor).
    const shown = [prep, fit, fit?.fits.validation.forecast, fit?.fits.future.forecast, fit?.ets, fit?.fits.future.report];
    const progress = this.metricsHost.querySelector('#fit-progress');
    if (progress && this.autoShown?.length === shown.length && this.autoShown.every((v, i) => v === shown[i])) {
      const text = progressWords(fit);
      if (progress.textContent !== text) progress.textContent = text;
      return;
    }
    this.autoShown = shown;
    drawAuto(this, prep, fit, state.horizon);
    renderAutoVerdict(this.metricsHost, prep, fit, validationSpan(prep));
  }

  /** Draws the data alone (before any model output). */
  showData(prep, state) {
    this.setMode(!!prep.auto);
    if (prep.auto) return this.showAuto(prep, state, null);
    this.#draw(prep, state, null);
    delete this.metricsHost.dataset.step;
    replace(this.metricsHost, h('p', { class: 'placeholder' }, 'Press play: errors appear after the first steps.'));
  }

  /** Draws a model's output (from evaluateForecast) after `step` training steps. */
  show(prep, state, out, step) {
    this.#draw(prep, state, out);
    const k = Math.min(state.context || state.window, prep.p.n - prep.p.lag);
    replace(this.contextNote, k === state.window
      ? `The forecast past the end starts from the last ${k} values, the length the model trained on.`
      : `The forecast past the end starts from the last ${k} value${k > 1 ? 's' : ''}, though the model trained on windows of ${state.window}: a recurrent network reads any length${k === 1 ? ' (here one-to-many: a whole forecast from a single value)' : ''}.`);
    this.metricsHost.dataset.step = String(step);
    const { series } = prep;
    renderMetrics(this.metricsHost, { units: series.units || 'the series’ units', modelName: CELL_NAMES[state.cell], span: validationSpan(prep), ...out.metrics });
  }

  #draw(prep, state, out) {
    const { p, series } = prep;
    const n = p.n;
    const horizon = out ? out.futureLevels.length : state.horizon;
    const x = extendAxis(series.dates, n, horizon);
    const total = n + horizon;
    const actual = new Array(total).fill(null);
    for (let i = 0; i < n; i++) actual[i] = p.raw[i];
    const oneStep = new Array(total).fill(null);
    const free = new Array(total).fill(null);
    const future = new Array(total).fill(null);
    if (out) {
      out.rows.forEach((r, i) => { oneStep[r] = out.oneStep[i]; });
      free[p.splitRaw - 1] = p.raw[p.splitRaw - 1];
      out.freeLevels.forEach((v, i) => { free[p.splitRaw + i] = v; });
      future[n - 1] = p.raw[n - 1];
      out.futureLevels.forEach((v, i) => { future[n + i] = v; });
    }
    this.chart.update({ x, time: !!series.dates, units: series.units, actual, oneStep, free, future, splitX: x[p.splitRaw], endX: x[n - 1] });
  }

  destroy() {
    this.chart.destroy();
  }
}

/** The validation part in words: "48 rows, 1936-01 to 1939-12". */
function validationSpan(prep) {
  const { p, series } = prep;
  const valRows = p.n - p.splitRaw;
  const annual = !!series.dates && p.n > 1 && series.dates[1] - series.dates[0] > 300 * 86400;
  return series.dates
    ? `${valRows} rows, ${label(series.dates[p.splitRaw], annual)} to ${label(series.dates[p.n - 1], annual)}`
    : `${valRows} rows, ${p.splitRaw + 1} to ${p.n}`;
}

function fmtNum(v) {
  return Math.abs(v) >= 100 ? String(Math.round(v * 10) / 10) : String(Math.round(v * 1000) / 1000);
}

/** A date for people: 1949-01 for monthly data, 1871 for annual. */
function label(seconds, annual) {
  const d = new Date(seconds * 1000);
  return annual ? String(d.getUTCFullYear()) : `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The forecasting task as the app drives it. */
export class ForecastController {
  /**
   * @param {{main: HTMLElement, side: HTMLElement, data: HTMLElement}} slots
   * @param {(series: any) => void} onCustomSeries
   */
  constructor(slots, onCustomSeries) {
    this.views = new ForecastViews(slots);
    this.about = h('div', { class: 'about' });
    this.importHost = h('div');
    replace(slots.data, this.about, h('details', { class: 'own-data', id: 'own-series' },
      h('summary', null, 'Your own series (CSV)'), this.importHost));
    this.csv = new CsvImport(this.importHost, onCustomSeries);
    this.lossLabel = 'MSE (normalised)';
    this.probeEveryMs = 500;
  }

  load = loadSeries;

  /** Opens the "your own series" box and puts the cursor in it. */
  openOwnData() {
    const d = /** @type {HTMLDetailsElement} */ (this.importHost.parentElement);
    d.open = true;
    d.querySelector('label')?.scrollIntoView({ block: 'nearest' });
    /** @type {HTMLElement | null} */ (d.querySelector('#csv-paste'))?.focus();
  }
  prepare = prepare;

  /**
   * Automatic mode: the forecaster's fits behind the transport buttons (null in Manual mode:
   * the app trains one network in a session, as before).
   */
  build(rnn, state, prep) {
    this.auto = !!prep.auto;
    // Neither the loss chart, the model files nor the inside views belong to an ensemble.
    this.hideLoss = this.auto;
    this.noSaving = this.auto;
    if (!this.auto) return null;
    return new AutoFit({
      values: prep.p.raw, split: prep.p.splitRaw, horizon: state.horizon, period: prep.season.period,
      seed: state.seed, timeMs: state.time * 1000, seasonGiven: state.period > 0,
    });
  }

  /** No inside views for the ensemble of the Automatic mode. */
  insideHidden(state) {
    return state.mode === 'auto';
  }

  /** The top bar's counters while the forecaster fits (Manual mode: the app's own). */
  counters(s) {
    if (!(s instanceof AutoFit)) return null;
    const v = s.fits.validation;
    const f = s.fits.future;
    const pct = (fit) => (fit.forecast ? 'done' : fit.progress ? `${Math.round(100 * fit.progress.fraction)}%` : '–');
    return [
      ['training part', pct(v), 'fit-validation', v.forecast ? '1' : String(v.progress?.fraction ?? 0)],
      ['whole series', pct(f), 'fit-future', f.forecast ? '1' : String(f.progress?.fraction ?? 0)],
      ['network steps', s.steps.toLocaleString('en-US'), 'steps', String(s.steps)],
      ['time', fmtDuration(s.elapsedMs), 'fit-time', String(Math.round(s.elapsedMs))],
    ];
  }

  modelShape = modelShape;
  plan = plan;

  /** Shows the data and what is known about it, before a model has run. */
  showPrepared(prep, state) {
    const { series, season, p } = prep;
    const info = series.info;
    const d = series.dates;
    const span = d ? `${new Date(d[0] * 1000).getUTCFullYear()}–${new Date(d[p.n - 1] * 1000).getUTCFullYear()}` : `${p.n} steps`;
    replace(this.about,
      h('p', null, info ? info.about : `${series.title}.`),
      h('p', { class: 'facts' }, `${p.n.toLocaleString('en-US')} rows (${span}); training rows 1–${p.splitRaw}, validation ${p.splitRaw + 1}–${p.n}. `
        + (season.period > 1 ? `Season: ${season.period} rows${season.detected ? ' (detected)' : ''}.` : 'No season detected.')),
      info ? h('p', { class: 'source' }, `Source: ${info.source}`) : null);
    if (state.data === 'custom') /** @type {HTMLDetailsElement} */ (this.importHost.parentElement).open = true;
    this.views.showData(prep, state);
  }

  /** Runs the model over the series and redraws (Automatic: shows the fits as they are). */
  async probe(session, state, prep) {
    if (session instanceof AutoFit) {
      await session.forecastFuture(state.horizon);
      this.views.showAuto(prep, state, session);
      return null;
    }
    const step = session.issued;
    const out = await evaluateForecast(session, state, prep);
    this.views.show(prep, state, out, step);
    return out;
  }

  metadataExtra(prep) {
    return { normalizer: prep.p.split.normalizer.toJSON() };
  }

  // ---- inside the network ----

  /** A slider over every window of the series (default: the first validation window). */
  exampleControl(onChange) {
    this.exampleIndex = -1;
    const slider = h('input', { id: 'inside-example', type: 'range', min: '0', max: '0', value: '0', oninput: () => {
      this.exampleIndex = Number(slider.value);
      onChange();
    } });
    this.exampleSlider = slider;
    this.exampleLabel = h('span', { class: 'note' });
    return h('div', { class: 'inline example-pick' }, h('label', { for: 'inside-example' }, 'Example: the window'), slider, this.exampleLabel);
  }

  /** The chosen window as one sequence, its target, and what the network read at each step. */
  inspectExample(state, prep) {
    const { p, all, series } = prep;
    const W = state.window;
    const N = all.count;
    const rows = Array.from(all.starts, (st) => p.targetRow(st));
    if (this.exampleIndex < 0 || this.exampleIndex >= N) this.exampleIndex = Math.max(0, rows.indexOf(p.splitRaw));
    const i = this.exampleIndex;
    const slider = /** @type {HTMLInputElement} */ (this.exampleSlider);
    slider.max = String(N - 1);
    slider.value = String(i);
    const start = all.starts[i];
    const target = rows[i];
    const when = (r) => (series.dates ? new Date(series.dates[r] * 1000).toISOString().slice(0, 7) : `row ${r + 1}`);
    const x = { data: all.x.data.slice(i * W, (i + 1) * W), shape: [1, W, 1] };
    const y = { data: all.y.data.slice(i, i + 1), shape: [1, 1] };
    const values = Array.from(x.data);
    const labels = values.map((v, t) => {
      const r = start + t + p.lag;
      return `${fmtNum(v)} (normalised${p.lag || state.log ? ' change' : ''}; ${when(r)}: ${fmtNum(p.raw[r])} ${series.units})`;
    });
    const part = target >= p.splitRaw ? 'validation' : 'training';
    replace(/** @type {HTMLElement} */ (this.exampleLabel), `${i + 1} of ${N}: ${W} values up to ${when(target - 1)}, predicting ${when(target)} (${part})`);
    return { x, y, labels, values, title: `window predicting ${when(target)}` };
  }

  /** The model unrolled: many-to-one in training, each forecast fed back. */
  unrolled(state, prep) {
    const W = state.window;
    const last = Array.from(prep.p.raw.subarray(Math.max(0, prep.p.splitRaw - W), prep.p.splitRaw), (v) => fmtNum(v));
    return {
      shape: /** @type {const} */ ('many-to-one'), cell: state.cell, layers: state.layers, inputs: last,
      caption: `Many-to-one: ${W} values in, one prediction out; only the last step's output feeds the loss, and backpropagation through time carries its error back through all ${W} steps. To forecast further, each prediction is fed back in as the next input (one-to-many).`,
    };
  }

  destroy() {
    this.views.destroy();
  }
}

/**
 * Everything the views and the model need, for either mode (Automatic needs no windows).
 * @param {import('rnnlab').Rnnlab} rnn
 */
export function prepare(rnn, state, series) {
  return state.mode === 'auto' ? prepareAuto(state, series) : prepareManual(rnn, state, series);
}

export { compatible };

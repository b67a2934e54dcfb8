// The Automatic mode's views: the series with the forecaster's free-running forecast of the
// validation part and its forecast past the end, each with its 80% and 95% bands (and augurs'
// ETS on the validation part for comparison); the verdict led by the free-running errors against
// naive, seasonal naive and ETS, the best marked; what the forecaster chose, in words; and how
// far the fits have got.
import { extendAxis } from '../views/seriesChart.js';
import { fmt, h, replace } from '../lib/dom.js';
import { autoVerdict, choiceInWords, freeRunningRows } from './autoTask.js';

/** The lines' names in this mode (the one-step slot carries ETS). */
export const AUTO_LABELS = { oneStep: 'ETS (augurs) of the validation part', free: 'forecast of the validation part', future: 'forecast' };

/** Band colours: the line's colour, lighter for 95% (drawn first, so 80% shows darker on top). */
const BAND = {
  free: { 0.95: 'rgba(213,94,0,0.10)', 0.8: 'rgba(213,94,0,0.16)' },
  future: { 0.95: 'rgba(204,121,167,0.16)', 0.8: 'rgba(204,121,167,0.26)' },
};

/**
 * Draws the chart of the Automatic mode.
 * @param {import('./page.js').ForecastViews} views
 * @param {any} prep from prepareAuto
 * @param {import('./autoFit.js').AutoFit | null} fit
 * @param {number} horizon
 */
export function drawAuto(views, prep, fit, horizon) {
  const { p, series } = prep;
  const n = p.n;
  const future = fit?.fits.future.forecast ?? null;
  const free = fit?.fits.validation.forecast ?? null;
  const ets = fit?.ets && 'point' in fit.ets ? fit.ets : null;
  const H = future ? future.mean.length : horizon;
  const x = extendAxis(series.dates, n, H);
  const total = n + H;
  const empty = () => new Array(total).fill(null);
  const actual = empty();
  for (let i = 0; i < n; i++) actual[i] = p.raw[i];
  const etsLine = empty();
  const freeLine = empty();
  const futureLine = empty();
  const bands = [];
  /** Puts a forecast starting at row `from` into a line (joined to the last known value) and its bands. */
  const place = (f, from, line, colors) => {
    line[from - 1] = p.raw[from - 1];
    f.mean.forEach((v, i) => { line[from + i] = v; });
    for (const level of [0.95, 0.8]) {
      const iv = f.intervals.find((q) => q.level === level);
      if (!iv) continue;
      const lower = empty();
      const upper = empty();
      lower[from - 1] = upper[from - 1] = p.raw[from - 1];
      iv.lower.forEach((v, i) => { lower[from + i] = v; });
      iv.upper.forEach((v, i) => { upper[from + i] = v; });
      bands.push({ lower, upper, color: colors[level] });
    }
  };
  if (free) place(free, p.splitRaw, freeLine, BAND.free);
  if (future) place(future, n, futureLine, BAND.future);
  if (ets) {
    etsLine[p.splitRaw - 1] = p.raw[p.splitRaw - 1];
    ets.point.forEach((v, i) => { etsLine[p.splitRaw + i] = v; });
  }
  views.chart.update({ x, time: !!series.dates, units: series.units, actual, oneStep: etsLine, free: freeLine, future: futureLine, splitX: x[p.splitRaw], endX: x[n - 1], bands, labels: AUTO_LABELS });
}

/**
 * The verdict: free-running errors, the best marked, a sentence, what the forecaster chose,
 * and the fits' progress.
 * @param {HTMLElement} host
 * @param {any} prep
 * @param {import('./autoFit.js').AutoFit | null} fit
 * @param {string} span e.g. "29 rows, 1936-08 to 1939-12"
 */
export function renderAutoVerdict(host, prep, fit, span) {
  const units = prep.series.units || 'the series’ units';
  const done = fit?.fits.validation.forecast ?? null;
  const rows = freeRunningRows(prep, done, fit?.ets ?? null);
  const cell = (r, key) => h('td', { dataset: { metric: key, value: r.e ? String(r.e[key]) : '' } },
    !r.e ? '–' : key === 'mape' ? (Number.isFinite(r.e.mape) ? `${fmt(r.e.mape, 3)}%` : '–') : fmt(r.e[key]));
  const table = h('table', { class: 'metrics', id: 'free-running', 'aria-label': 'Free-running errors on the validation part' },
    h('caption', null, `Free-running forecast of the validation part (${span}), errors in ${units}`),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'method'), h('th', { scope: 'col', title: 'mean absolute error' }, 'MAE'),
      h('th', { scope: 'col', title: 'root mean squared error' }, 'RMSE'), h('th', { scope: 'col', title: 'mean absolute percentage error' }, 'MAPE'))),
    h('tbody', null, rows.map((r) => h('tr', { class: `${r.kind}${r.best ? ' best' : ''}`, dataset: { row: r.kind === 'model' ? 'forecaster' : r.label.replace(/\s+/g, '-') } },
      h('th', { scope: 'row' }, r.best ? h('span', { class: 'best-mark', title: 'lowest MAE' }, '★ ') : null, r.label, r.note ? h('span', { class: 'note' }, ` ${r.note}`) : null),
      cell(r, 'mae'), cell(r, 'rmse'), cell(r, 'mape')))));
  const verdict = autoVerdict(rows);
  const report = fit?.fits.future.report ?? fit?.fits.validation.report ?? null;
  const which = fit?.fits.future.report ? 'the whole series (the forecast past the end)' : 'the training part';
  replace(host,
    table,
    h('p', { class: 'note' }, '★ marks the lowest MAE. Every forecast starts at the split and runs to the end of the data with no real value fed in; ETS is exponential smoothing from Grafana’s augurs library, fitted in the page on the same training part.'),
    verdict ? h('p', { class: 'verdict', role: 'status' }, verdict) : null,
    progressLine(fit),
    report ? h('div', { class: 'choice', id: 'forecaster-choice' },
      h('h3', null, `What the forecaster chose on ${which}`),
      h('ul', null, choiceInWords(report).map((s) => h('li', null, s)))) : null);
  if (done) host.dataset.fitted = 'true';
  else delete host.dataset.fitted;
}

const PRESS_PLAY = 'Press play: the forecaster fits on the training part (to forecast the validation part) and on the whole series (to forecast past the end), in workers, within the time budget.';

/** How far the fits have got, as a paragraph. */
function progressLine(fit) {
  return h('p', { class: 'progress-words', id: 'fit-progress' }, progressWords(fit));
}

/**
 * How far the fits have got, in words.
 * @param {import('./autoFit.js').AutoFit | null} fit (null: none built yet)
 */
export function progressWords(fit) {
  if (!fit) return PRESS_PLAY;
  const part = (name, f) => {
    if (f.forecast) return `${name}: fitted in ${fmt((f.report?.elapsedMs ?? 0) / 1000, 2)} s`;
    const p = f.progress;
    if (!p) return `${name}: ${fit.playing ? 'starting…' : 'not fitted yet'}`;
    const steps = p.steps ? `, ${p.steps.toLocaleString('en-US')} network steps` : '';
    return `${name}: ${Math.round(100 * p.fraction)}% (${p.stage}${steps})${fit.playing ? '' : ', paused'}`;
  };
  return fit.finished && !fit.playing
    ? `Fitted (${fit.o.timeMs / 1000} s budget each). ${part('Training part', fit.fits.validation)}; ${part('whole series', fit.fits.future)}.`
    : fit.playing || fit.fits.validation.progress || fit.fits.future.progress
      ? `Fitting in two workers (${fit.o.timeMs / 1000} s budget each). ${part('Training part', fit.fits.validation)}; ${part('whole series', fit.fits.future)}.`
      : PRESS_PLAY;
}

// The Automatic forecast without the page: the series split as the Manual mode splits it, the
// free-running errors of rnnlab's forecaster beside naive, seasonal naive and ETS on the
// validation part (the best marked), and what the forecaster chose, in words. The page
// (autoPage.js) and the Node tests both use it.
import { seasonOf } from './task.js';
import { errors, naiveHold, seasonalRepeat } from './metrics.js';

/** Fewest values the forecaster fits on. */
export const MIN_FIT_VALUES = 8;

/**
 * The series and its split for the Automatic mode (no windows: the forecaster makes its own).
 * Throws a RangeError naming the problem when the training part is too short to fit on.
 */
export function prepareAuto(state, series) {
  const raw = series.values;
  const n = raw.length;
  if (n < MIN_FIT_VALUES) throw new RangeError(`the series has ${n} rows; the forecaster needs at least ${MIN_FIT_VALUES}`);
  const splitRaw = n - Math.round(state.val * n);
  if (splitRaw < MIN_FIT_VALUES) {
    throw new RangeError(`the training part has ${splitRaw} rows (the validation part takes ${n - splitRaw}); the forecaster needs at least ${MIN_FIT_VALUES}: lower the validation part`);
  }
  const season = seasonOf(state, raw);
  return { series, season, auto: true, p: { n, raw, splitRaw, lag: 0 } };
}

/**
 * @typedef {{mae: number, rmse: number, mape: number, mapeSkipped: number, rows: number}} Errors
 * @typedef {{label: string, kind: 'model' | 'baseline' | 'classical', e: Errors | null, note?: string, best?: boolean}} Row
 */

/**
 * The free-running rows of the verdict: the forecaster (once its validation fit is done), naive,
 * seasonal naive and ETS (once computed; `ets.error` says why not), the lowest MAE marked best.
 * @param {ReturnType<typeof prepareAuto>} prep
 * @param {{mean: ArrayLike<number>} | null} forecast the forecaster's forecast of the validation part
 * @param {{point: ArrayLike<number>, method: string} | {error: string} | null} ets
 * @returns {Row[]}
 */
export function freeRunningRows(prep, forecast, ets) {
  const { p, season } = prep;
  const truth = p.raw.subarray(p.splitRaw);
  const steps = truth.length;
  const m = season.period;
  const hasSeason = m > 1 && p.splitRaw - m >= 0;
  /** @type {Row[]} */
  const rows = [
    { label: 'rnnlab forecaster', kind: 'model', e: forecast ? errors(forecast.mean, truth) : null, note: forecast ? '' : '(fitting…)' },
    { label: 'naive', kind: 'baseline', e: errors(naiveHold(p.raw, p.splitRaw, steps), truth), note: '(last value held)' },
    { label: 'seasonal naive', kind: 'baseline', e: hasSeason ? errors(seasonalRepeat(p.raw, p.splitRaw, steps, m), truth) : null, note: hasSeason ? `(last ${m} rows repeated)` : '(no season found)' },
    ets && 'point' in ets
      ? { label: 'ETS', kind: 'classical', e: errors(ets.point, truth), note: `(augurs ${ets.method})` }
      : { label: 'ETS', kind: 'classical', e: null, note: ets ? `(augurs could not fit it: ${ets.error})` : '(computing…)' },
  ];
  const scored = rows.filter((r) => r.e && Number.isFinite(r.e.mae));
  if (scored.length) scored.reduce((a, b) => (b.e.mae < a.e.mae ? b : a)).best = true;
  return rows;
}

/**
 * One sentence on the free-running verdict: does the forecaster beat the simple rules and ETS?
 * @param {Row[]} rows from freeRunningRows
 */
export function autoVerdict(rows) {
  const f = rows[0].e;
  if (!f) return '';
  const rules = rows.filter((r) => r.kind === 'baseline' && r.e);
  const ets = rows.find((r) => r.kind === 'classical' && r.e);
  const pct = (a, b) => Math.round((100 * Math.abs(b - a)) / b);
  const bestRule = rules.reduce((a, b) => (b.e.mae < a.e.mae ? b : a));
  let s = f.mae < bestRule.e.mae
    ? `The forecaster beats both simple rules on the validation part: its MAE is ${pct(f.mae, bestRule.e.mae)}% below ${bestRule.label}'s.`
    : `The forecaster does not beat ${bestRule.label} on the validation part (MAE ${pct(f.mae, bestRule.e.mae)}% higher): here the simple rule is the better forecast.`;
  if (ets) {
    s += f.mae < ets.e.mae
      ? ` It also beats ETS (${pct(f.mae, ets.e.mae)}% lower MAE).`
      : ` ETS does better here (its MAE is ${pct(ets.e.mae, f.mae)}% lower).`;
  }
  return s;
}

/** A relative error (1 = naive's) as words. */
const rel = (v) => (Number.isFinite(v) ? `${Math.round(v * 100)}% of naive's error` : 'no error measured');

/**
 * What the forecaster chose and why, as short sentences for people (from describe()).
 * @param {import('rnnlab').ForecastReport} r
 * @param {number} [period] the page's own season length (to say when they differ)
 * @returns {string[]}
 */
export function choiceInWords(r) {
  if (!r || !r.fitted) return [];
  const out = [];
  const season = r.season?.length ? `a season of ${r.season.join(' and ')} rows` : 'no season';
  const found = r.seasonCandidates?.length ? ` (candidates in the autocorrelation: ${r.seasonCandidates.map((c) => c.period).join(', ')})` : '';
  out.push(`It found ${season}${found} and ${r.transform === 'log' ? 'models the logarithm (a multiplicative series)' : 'uses no transform'}.`);
  if (r.missing) out.push(`${r.missing} missing value${r.missing > 1 ? 's were' : ' was'} interpolated.`);
  const v = r.validation;
  if (v) out.push(`It chose on an inner validation cut from the end of what it was given: the last ${v.horizon} rows, from ${v.origins} starting point${v.origins > 1 ? 's' : ''}.`);
  if (r.leansOnSimpleRule) out.push(`A simple rule, ${r.choice}, won that inner validation, so the forecast leans on it (${rel(r.validationError ?? NaN)}).`);
  else out.push(`Its forecast: ${r.choice}${r.members && r.members.length > 1 ? ` (${r.members.join('; ')})` : ''}, at ${rel(r.validationError ?? NaN)} there.`);
  const net = r.network;
  if (net?.networks?.length) {
    const sizes = net.networks.map((n) => `window ${n.window}, ${n.horizon} steps out, ${n.hiddenSize} units`).join('; ');
    out.push(`Its LSTM networks (${net.networks.length}: ${sizes}${net.base ? `; they learn what ${net.base} misses` : ''}) trained ${net.steps?.toLocaleString('en-US') ?? '?'} steps${net.workers ? ` (${net.workers} of the ${net.networks.length} side by side, each in a worker of its own)` : ''}, the best checkpoint kept, at ${rel(net.validationError ?? NaN)}; ${net.used ? 'they are part of the forecast' : 'they did not earn a place in the forecast'}.`);
  } else if (net) {
    out.push(`No network was used${net.reason ? ` (${net.reason})` : ''}.`);
  }
  if (r.simpleRules) out.push(`The simple rules there: ${Object.entries(r.simpleRules).map(([k, x]) => `${k} ${Math.round(x * 100)}%`).join(', ')}.`);
  return out;
}

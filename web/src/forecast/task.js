// The forecasting task without the page: how a state's series becomes windows, which model
// and batches it gets, and what the model's output means in the series' own units next to the
// baselines. The page (page.js) and the Node tests both use it.
import { detectPeriod } from './period.js';
import { prepareForecast } from './prepare.js';
import { errors, naiveHold, naiveOneStep, seasonalOneStep, seasonalRepeat } from './metrics.js';
import { windowBatches } from '../train/batches.js';

export const CELL_NAMES = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };

/** The season length a state asks for: its own, or detected from the training rows. */
export function seasonOf(state, values) {
  if (state.period > 0) return { period: state.period, detected: false };
  const train = values.subarray(0, values.length - Math.round(state.val * values.length));
  return { period: detectPeriod(train).period, detected: true };
}

/**
 * Everything the model and views need, from a state and its series (throws a RangeError
 * naming the problem for data or settings that cannot work).
 * @param {import('rnnlab').Rnnlab} rnn
 */
export function prepare(rnn, state, series) {
  if (series.values.length < 8) throw new RangeError(`the series has ${series.values.length} rows; the playground needs at least 8`);
  const season = seasonOf(state, series.values);
  let diffLag = 0;
  if (state.diff === '1') diffLag = 1;
  if (state.diff === 'season') {
    if (season.period < 2) throw new RangeError('no season was found to difference from: set the season length, or choose another difference');
    diffLag = season.period;
  }
  const p = prepareForecast(rnn, series.values, { window: state.window, valFraction: state.val, normalization: state.norm, log: state.log, diffLag });
  const all = rnn.data.windows(p.zNorm, { window: state.window, horizon: 1 });
  return { series, season, p, all };
}

/** What the data fixes of the model (the settings' options come from train/options.js): one value in, one out. */
export function modelShape() {
  return { inputSize: 1, outputSize: 1 };
}

/** The batches and validation set of a prepared forecast. */
export function plan(state, prep) {
  const { train, validation } = prep.p.split;
  return {
    source: windowBatches(train.x, train.y, state.batch, state.seed),
    validation: { x: validation.x, y: validation.y },
  };
}

/**
 * Runs the model over the series (one call each: predict, two forecasts) and returns what the
 * views draw: one-step levels, the free-running validation forecast, the future forecast and
 * every error measure.
 * @param {import('../train/session.js').Session} session
 */
export async function evaluateForecast(session, state, prep) {
  const { p, all, season } = prep;
  const raw = p.raw;
  const n = p.n;
  const valRows = n - p.splitRaw;
  const [fit, free, future] = await session.call((m) => Promise.all([
    m.predict(all.x),
    m.forecast(p.windowEndingAt(p.splitRaw - 1), valRows),
    m.forecast(contextEndingAt(p, n - 1, state.context), state.horizon),
  ]));
  const rows = Array.from(all.starts, (s) => p.targetRow(s));
  const oneStep = p.oneStepLevels(fit.data, rows);
  const freeLevels = p.chainLevels(free, p.splitRaw - 1);
  const futureLevels = p.chainLevels(future, n - 1);
  const truth = raw.subarray(p.splitRaw);
  const firstVal = rows.indexOf(p.splitRaw);
  const m = season.period;
  const hasSeason = m > 1 && p.splitRaw - m >= 0;
  const name = CELL_NAMES[state.cell] ?? state.cell;
  return {
    oneStep, rows, freeLevels, futureLevels,
    metrics: {
      oneStep: [
        { label: `${name}`, kind: 'model', e: errors(oneStep.subarray(firstVal), truth) },
        { label: 'naive', note: '(last value)', kind: 'baseline', e: errors(naiveOneStep(raw, p.splitRaw), truth) },
        { label: 'seasonal naive', note: hasSeason ? `(value ${m} rows earlier)` : '(no season found)', kind: 'baseline', e: hasSeason ? errors(seasonalOneStep(raw, p.splitRaw, m), truth) : null },
      ],
      free: [
        { label: `${name}`, kind: 'model', e: errors(freeLevels, truth) },
        { label: 'naive', note: '(last value held)', kind: 'baseline', e: errors(naiveHold(raw, p.splitRaw, valRows), truth) },
        { label: 'seasonal naive', note: hasSeason ? '(last season repeated)' : '', kind: 'baseline', e: hasSeason ? errors(seasonalRepeat(raw, p.splitRaw, valRows, m), truth) : null },
      ],
    },
  };
}

/**
 * The last `context` transformed values up to raw row `last` (0: the training window). A
 * recurrent model reads any length: 1 is generation from a single value (one-to-many).
 */
export function contextEndingAt(p, last, context) {
  const k = Math.max(1, Math.min(context || p.window, last - p.lag + 1));
  const end = last - p.lag + 1;
  return p.zNorm.subarray(end - k, end);
}

/** Whether a loaded model's configuration fits this task ('' if so, else why not). */
export function compatible(config) {
  if (config.inputEncoding !== 'features' || config.inputSize !== 1) return 'it does not read one value per step (it is not a forecaster of one series)';
  if (config.head !== 'linear' || config.outputSize !== 1 || config.output !== 'last') return 'it does not predict one value per window';
  return '';
}

// Error measures in the series' own units and the two baselines every forecast must beat
// before anyone trusts it: naive (the last value) and seasonal naive (the value one season ago).

/**
 * MAE, RMSE and MAPE of `pred` against `truth` (same length). MAPE skips rows whose true
 * value is 0 (the percentage is undefined there) and says how many it skipped.
 * @param {ArrayLike<number>} pred
 * @param {ArrayLike<number>} truth
 */
export function errors(pred, truth) {
  let abs = 0;
  let sq = 0;
  let pct = 0;
  let pctRows = 0;
  const n = truth.length;
  for (let i = 0; i < n; i++) {
    const e = pred[i] - truth[i];
    abs += Math.abs(e);
    sq += e * e;
    if (truth[i] !== 0) {
      pct += Math.abs(e / truth[i]);
      pctRows++;
    }
  }
  return {
    mae: abs / n,
    rmse: Math.sqrt(sq / n),
    mape: pctRows ? (100 * pct) / pctRows : NaN,
    mapeSkipped: n - pctRows,
    rows: n,
  };
}

/** One-step naive predictions of raw rows [from, n): each row predicted by the one before. */
export function naiveOneStep(raw, from) {
  return Float64Array.from({ length: raw.length - from }, (_, i) => raw[from + i - 1]);
}

/** One-step seasonal naive: each row predicted by the row one period earlier. */
export function seasonalOneStep(raw, from, period) {
  return Float64Array.from({ length: raw.length - from }, (_, i) => raw[from + i - period]);
}

/** Free-running naive from row `from` for `steps` rows: the last known value, held. */
export function naiveHold(raw, from, steps) {
  return new Float64Array(steps).fill(raw[from - 1]);
}

/** Free-running seasonal naive: the last known season, repeated. */
export function seasonalRepeat(raw, from, steps, period) {
  return Float64Array.from({ length: steps }, (_, i) => raw[from - period + (i % period)]);
}

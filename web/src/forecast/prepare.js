// A series made ready for a many-to-one forecaster: an optional log and an optional
// difference (from the previous row, or from the same row one season earlier), the library's
// chronological split (normaliser fitted on training rows only), and the way back from the
// model's normalised outputs to the series' own units.
//
// Index convention: raw[t] is row t of the series (n rows); g = log or identity. With a
// difference of lag d the model sees z[j] = g(raw[j+d]) - g(raw[j]) (d rows fewer). A window
// of z starting at s predicts z[s + W], which is raw row s + W + d.

/**
 * Checks that the transform can apply to `raw`; returns a message naming the problem, or ''.
 * @param {Float64Array} raw
 * @param {{log: boolean}} s
 */
export function transformProblem(raw, s) {
  if (!s.log) return '';
  for (let t = 0; t < raw.length; t++) {
    if (!(raw[t] > 0)) return `a log needs positive values, but row ${t + 1} is ${raw[t]}; turn the log off`;
  }
  return '';
}

/**
 * @param {import('rnnlab').Rnnlab} rnn
 * @param {Float64Array} raw the series, oldest first (finite)
 * @param {{window: number, valFraction: number, normalization: 'zscore'|'minmax'|'none',
 *   log: boolean, diffLag: number}} s diffLag 0 (none), 1 (previous row) or a season length
 */
export function prepareForecast(rnn, raw, s) {
  const problem = transformProblem(raw, s);
  if (problem) throw new RangeError(problem);
  const n = raw.length;
  const d = s.diffLag;
  const g = s.log ? Math.log : (/** @type {number} */ v) => v;
  const gInv = s.log ? Math.exp : (/** @type {number} */ v) => v;
  // The validation part is the last round(fraction * n) rows of the series itself, whatever
  // the transform; z's fraction is chosen so the library puts its split at the same row.
  const valCount = Math.round(s.valFraction * n);
  const minTrain = s.window + 1 + d;
  if (valCount < 1) {
    throw new RangeError(`a validation fraction of ${s.valFraction} of ${n} rows is no row at all; raise it`);
  }
  if (n - valCount < minTrain) {
    throw new RangeError(`${n} rows minus ${valCount} for validation leave ${n - valCount} for training, but a window of ${s.window}`
      + `${d ? ` with a difference of lag ${d}` : ''} needs at least ${minTrain}: shorten the window or the validation part`);
  }
  const z = new Float32Array(n - d);
  for (let j = 0; j < z.length; j++) z[j] = d ? g(raw[j + d]) - g(raw[j]) : g(raw[j]);
  const split = rnn.data.split(z, {
    window: s.window, horizon: 1, validationFraction: valCount / z.length, normalization: s.normalization,
  });
  const splitRaw = split.splitRow + d;
  if (splitRaw !== n - valCount) throw new Error(`internal: split at row ${splitRaw}, expected ${n - valCount}`);
  const zNorm = /** @type {Float32Array} */ (split.normalizer.transform(z));
  /** A transformed value back to a level, given the level d rows earlier. */
  const level = (zh, earlier) => (d ? gInv(g(earlier) + zh) : gInv(zh));
  return {
    raw, n, lag: d, window: s.window,
    /** First validation row of the series. */
    splitRaw,
    split,
    /** The whole transformed series, normalised with the training statistics. */
    zNorm,
    /** Raw row predicted by a window of z starting at `start`. */
    targetRow: (/** @type {number} */ start) => start + s.window + d,
    /**
     * One-step predictions (normalised z) -> levels; `rows[i]` is the raw row of value i, whose
     * earlier rows are real data.
     * @param {Float32Array} pred
     * @param {ArrayLike<number>} rows
     */
    oneStepLevels(pred, rows) {
      const zh = /** @type {Float32Array} */ (split.normalizer.inverse(pred));
      return Float64Array.from(zh, (v, i) => level(v, d ? raw[rows[i] - d] : 0));
    },
    /**
     * Free-running predictions (normalised z) of the rows after raw row `last` -> levels; rows
     * d back come from the data while they exist, from earlier predictions after that.
     * @param {Float32Array} pred
     * @param {number} last
     */
    chainLevels(pred, last) {
      const zh = /** @type {Float32Array} */ (split.normalizer.inverse(pred));
      const out = new Float64Array(zh.length);
      for (let i = 0; i < zh.length; i++) {
        const back = i - d; // index into out of the row d earlier (negative: real data)
        out[i] = level(zh[i], d ? (back >= 0 ? out[back] : raw[last + 1 + back]) : 0);
      }
      return out;
    },
    /**
     * The normalised window of z whose last value belongs to raw row `last`, for forecast().
     * @param {number} last
     */
    windowEndingAt(last) {
      const end = last - d + 1;
      return zNorm.subarray(end - s.window, end);
    },
  };
}

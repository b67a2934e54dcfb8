// Which of augurs' exponential-smoothing models forecasts a series, and the forecast. augurs'
// AutoETS has no seasonal component (it fits a seasonal series as if it had none), so a series
// with a season gets augurs' MSTL: the season removed by STL, AutoETS on the rest, the season
// added back. Without a season (or when MSTL cannot fit), AutoETS. No DOM, no loading: the
// worker (etsWorker.js) and the Node tests hand in the initialised augurs classes.

/**
 * @param {{AutoETS: any, MSTL: any}} augurs the classes of '@bsull/augurs/ets' and '/mstl', initialised
 * @param {Float64Array} y the training values
 * @param {{period: number, horizon: number, level: number}} o
 * @returns {{method: string, note: string, point: Float64Array, lower: Float64Array | null, upper: Float64Array | null} | {error: string}}
 */
export function fitEts(augurs, y, { period, horizon, level }) {
  const tried = [];
  const run = (method, make) => {
    const m = make();
    try {
      m.fit(y);
      const f = m.predict(horizon, level);
      return {
        method, note: tried.join('; '), point: Float64Array.from(f.point),
        lower: f.intervals ? Float64Array.from(f.intervals.lower) : null, upper: f.intervals ? Float64Array.from(f.intervals.upper) : null,
      };
    } finally {
      try {
        m.free();
      } catch {
        // After a panic inside the wasm there may be nothing left to free.
      }
    }
  };
  if (period >= 2 && 2 * period < y.length) {
    try {
      return run(`MSTL + AutoETS, season ${period}`, () => augurs.MSTL.ets([period]));
    } catch (e) {
      tried.push(`MSTL: ${String(/** @type {any} */ (e)?.message ?? e)}`);
    }
  }
  try {
    return run('AutoETS', () => new augurs.AutoETS(1, 'ZZN'));
  } catch (e) {
    tried.push(`AutoETS: ${String(/** @type {any} */ (e)?.message ?? e)}`);
    return { error: tried.join('; ') };
  }
}

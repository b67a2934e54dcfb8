// The classical forecaster the page compares against: exponential smoothing from Grafana's
// augurs (wasm, loaded only here, in a worker of its own). augurs' AutoETS has no seasonal
// component, so a seasonal series gets augurs' MSTL (the season removed by STL, AutoETS on the
// rest, the season added back); a series without a season gets AutoETS. One request per worker:
// a panic inside the wasm cannot leave a broken instance behind for the next one.
import initEts, { AutoETS } from '@bsull/augurs/ets';
import initMstl, { MSTL } from '@bsull/augurs/mstl';
import etsWasm from '@bsull/augurs/ets_bg.wasm?url';
import mstlWasm from '@bsull/augurs/mstl_bg.wasm?url';

self.onmessage = async (/** @type {MessageEvent} */ e) => {
  const { values, period, horizon, level } = e.data;
  const y = Float64Array.from(values);
  const tried = [];
  if (period >= 2 && 2 * period < y.length) {
    try {
      await initMstl({ module_or_path: mstlWasm });
      const m = MSTL.ets([period]);
      m.fit(y);
      const f = m.predict(horizon, level);
      m.free();
      return post({ method: `MSTL + AutoETS (season ${period})`, ...f });
    } catch (err) {
      tried.push(`MSTL: ${String(/** @type {any} */ (err)?.message ?? err)}`);
    }
  }
  try {
    await initEts({ module_or_path: etsWasm });
    const m = new AutoETS(1, 'ZZN');
    m.fit(y);
    const f = m.predict(horizon, level);
    m.free();
    post({ method: 'AutoETS', note: tried.join('; '), ...f });
  } catch (err) {
    tried.push(`AutoETS: ${String(/** @type {any} */ (err)?.message ?? err)}`);
    self.postMessage({ error: tried.join('; ') });
  }
};

/** @param {{method: string, note?: string, point: number[], intervals?: {level: number, lower: number[], upper: number[]}}} f */
function post(f) {
  self.postMessage({ method: f.method, note: f.note ?? '', point: Float64Array.from(f.point), lower: f.intervals ? Float64Array.from(f.intervals.lower) : null, upper: f.intervals ? Float64Array.from(f.intervals.upper) : null });
}

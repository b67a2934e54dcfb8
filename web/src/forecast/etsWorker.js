// The classical forecaster the page compares against, in a worker of its own: Grafana's augurs
// (wasm, bundled with the page and loaded only here, when a fit starts). One request per worker:
// a panic inside the wasm cannot leave a broken instance behind for the next one.
import initEts, { AutoETS } from '@bsull/augurs/ets';
import initMstl, { MSTL } from '@bsull/augurs/mstl';
import etsWasm from '@bsull/augurs/ets_bg.wasm?url';
import mstlWasm from '@bsull/augurs/mstl_bg.wasm?url';
import { fitEts } from './etsModel.js';

self.onmessage = async (/** @type {MessageEvent} */ e) => {
  const { values, period, horizon, level } = e.data;
  try {
    await Promise.all([initEts({ module_or_path: etsWasm }), initMstl({ module_or_path: mstlWasm })]);
    self.postMessage(fitEts({ AutoETS, MSTL }, Float64Array.from(values), { period, horizon, level }));
  } catch (err) {
    self.postMessage({ error: `augurs did not load: ${String(/** @type {any} */ (err)?.message ?? err)}` });
  }
};

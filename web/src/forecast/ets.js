// The page's classical comparison, asked of etsWorker.js: a worker started for each request
// (augurs is loaded only then, never on page load) and ended when it answers or is aborted.

/**
 * Forecasts `horizon` values past the end of `values` with augurs' exponential smoothing.
 * Resolves with {method, point, lower, upper} (the interval at `level`), or {error} when augurs
 * could not fit the series; rejects only when aborted.
 * @param {ArrayLike<number>} values
 * @param {{period: number, horizon: number, level?: number, signal?: AbortSignal}} o
 * @returns {Promise<{method: string, note: string, point: Float64Array, lower: Float64Array | null, upper: Float64Array | null} | {error: string}>}
 */
export function etsForecast(values, { period, horizon, level = 0.8, signal }) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./etsWorker.js', import.meta.url), { type: 'module', name: 'augurs ETS' });
    const end = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      end();
      reject(new DOMException('the ETS forecast was stopped', 'AbortError'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onmessage = (e) => {
      end();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      end();
      resolve({ error: e.message || 'the ETS worker failed to start' });
    };
    worker.postMessage({ values: Float64Array.from(values), period, horizon, level });
  });
}

// A page bundled with Vite from the installed tarball (tests/package/package.test.mjs drives it
// in headless Chromium): trains on the main thread and through rnnlab/worker.
import { init, RnnlabError } from 'rnnlab';
import { createWorkerModel } from 'rnnlab/worker';

function sineWindows(n, steps) {
  const x = new Float32Array(n * steps);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < steps; t++) x[i * steps + t] = Math.sin(0.3 * (i + t));
    y[i] = Math.sin(0.3 * (i + steps));
  }
  return { x: { data: x, shape: [n, steps, 1] }, y };
}

const options = { cell: 'gru', inputSize: 1, hiddenSize: 16, outputSize: 1, seed: 3 };
const fitOptions = { epochs: 5, batchSize: 32, optimizer: { name: 'adam', lr: 1e-2 } };

window.rnnlabTest = {
  async mainThread() {
    const rnn = await init();
    const { x, y } = sineWindows(256, 16);
    const model = rnn.createModel(options);
    const history = await model.fit({ x, y }, fitOptions);
    model.dispose();
    return { simd: rnn.simd, kernel: rnn.kernel, loss: history.loss };
  },
  async worker() {
    const { x, y } = sineWindows(256, 16);
    const model = await createWorkerModel(options);
    const epochs = [];
    const history = await model.fit({ x, y }, { ...fitOptions, onEpochEnd: (info) => { epochs.push(info.epoch); } });
    // An AbortSignal stops a long fit in the worker.
    const controller = new AbortController();
    let batches = 0;
    const aborted = await model.fit({ x, y }, {
      epochs: 1000, batchSize: 8, signal: controller.signal,
      onBatchEnd: () => { if (++batches === 4) controller.abort(); },
    });
    // Errors cross the worker boundary as RnnlabError.
    let error = null;
    try {
      await model.fit({ x, y }, { epochs: 0 });
    } catch (e) {
      error = { rnnlabError: e instanceof RnnlabError, isError: e instanceof Error, code: e.code, field: e.field, message: e.message };
    }
    const predicted = await model.predict({ data: x.data.subarray(0, 16), shape: [1, 16, 1] });
    const stats = await model.heapStats();
    const simd = model.simd;
    await model.dispose();
    return {
      simd, loss: history.loss, epochs, aborted: aborted.aborted, abortedBatches: batches, error,
      predicted: predicted.data.length, liveHandles: stats.liveHandles,
    };
  },
};
window.rnnlabTest.guest = async () => {
  // After mainThread() and worker(): both builds loaded, models made, saved, loaded, a worker
  // model used. What did rnnlab leave on the window?
  const rnn = await init();
  const baseline = await init({ simd: false });
  const { x } = sineWindows(4, 16);
  for (const r of [rnn, baseline]) {
    const model = r.createModel(options);
    model.predict(x);
    r.loadModel(model.save()).dispose();
    model.dispose();
  }
  const wm = await createWorkerModel(options);
  await wm.predict(x);
  await wm.dispose();
  const seen = /** @type {any} */ (window).__guest;
  return {
    added: Object.getOwnPropertyNames(window).filter((k) => !seen.globals.includes(k) && k !== 'rnnlabTest' && k !== '__guest'),
    listeners: seen.listeners,
    onerror: window.onerror === null,
    onunhandledrejection: window.onunhandledrejection === null,
    baselineSimd: baseline.simd,
  };
};
document.getElementById('status').textContent = 'ready';

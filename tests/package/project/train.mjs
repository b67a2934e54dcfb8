// Runs inside a fresh project that installed the rnnlab tarball (tests/package/package.test.mjs):
// trains through 'rnnlab' and 'rnnlab/worker' and prints what happened as JSON.
import { init, RnnlabError } from 'rnnlab';
import { createWorkerForecaster, createWorkerModel, loadWorkerModel } from 'rnnlab/worker';

function sineWindows(n, steps) {
  const x = new Float32Array(n * steps);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < steps; t++) x[i * steps + t] = Math.sin(0.3 * (i + t));
    y[i] = Math.sin(0.3 * (i + steps));
  }
  return { x: { data: x, shape: [n, steps, 1] }, y };
}

const { x, y } = sineWindows(256, 16);
const options = { cell: 'lstm', inputSize: 1, hiddenSize: 16, outputSize: 1, seed: 7 };
const fitOptions = { epochs: 5, batchSize: 32, optimizer: { name: 'adam', lr: 1e-2 } };

const rnn = await init();
const model = rnn.createModel(options);
const main = await model.fit({ x, y }, fitOptions);
const bytes = model.save();
// The converters load on demand from the installed package (import() of bindings/js/interop/).
const fromOnnx = await rnn.loadOnnx(await model.exportOnnx());
const own = model.getWeights().weight_hh_l0.data;
const onnxSameWeights = fromOnnx.getWeights().weight_hh_l0.data.every((v, i) => Object.is(v, own[i]));
fromOnnx.dispose();
model.dispose();

const worker = await createWorkerModel(options);
let batches = 0;
const off = await worker.fit({ x, y }, { ...fitOptions, onBatchEnd: () => { batches++; } });
let error = null;
try {
  await worker.trainBatch(x, new Float32Array(3));
} catch (e) {
  error = { rnnlabError: e instanceof RnnlabError, code: e.code, field: e.field };
}
await worker.dispose();
const loaded = await loadWorkerModel(bytes);
const predicted = await loaded.predict({ data: x.data.subarray(0, 16), shape: [1, 16, 1] });
await loaded.dispose();

let deepImport = null;
try {
  await import('rnnlab/bindings/js/model.js');
} catch (e) {
  deepImport = e.code;
}

// The forecaster's fitting code loads on demand from the installed package (import() of
// bindings/js/forecaster/fit.js), on the main thread and in a worker.
const series = Array.from({ length: 60 }, (_, t) => 10 + Math.sin((2 * Math.PI * t) / 12) + 0.05 * t);
const forecaster = rnn.createForecaster({ seed: 3, maxSteps: 20 });
await forecaster.fit(series, { timeBudgetMs: 60000 });
const forecast = Array.from(forecaster.forecast(6).mean);
forecaster.dispose();
const workerForecaster = await createWorkerForecaster({ seed: 3, maxSteps: 20 });
await workerForecaster.fit(series, { timeBudgetMs: 60000 });
const workerForecast = Array.from((await workerForecaster.forecast(6)).mean);
await workerForecaster.dispose();

console.log(JSON.stringify({
  version: rnn.version, simd: rnn.simd, workerSimd: worker.simd,
  main: main.loss, worker: off.loss, batches, error, predicted: Array.from(predicted.data), deepImport, onnxSameWeights,
  forecast, workerForecast,
}));

// Type-checked (tsc --strict) against the installed package's .d.ts files: the exports map
// must lead TypeScript to both entry points' types, and the declarations must be valid.
import { init, RnnlabError, type Forecast, type ForecastReport, type Forecaster, type FitHistory, type LayerInspection, type Model, type Seq2SeqInspection, type Tensor } from 'rnnlab';
import { createWorkerForecaster, createWorkerModel, createWorkerSeq2Seq, loadWorkerModel, loadWorkerSeq2Seq, WorkerModel, WorkerSeq2Seq, type WorkerForecaster, type WorkerOptions } from 'rnnlab/worker';

export async function typed(): Promise<number> {
  const rnn = await init({ simd: 'auto' });
  const model: Model = rnn.createModel({ cell: 'gru', gruVariant: 'classic', inputSize: 2, hiddenSize: [8, 4] });
  const x: Tensor = { data: new Float32Array(12), shape: [1, 6, 2] };
  const loss: number = model.trainBatch(x, new Float32Array(1), { optimizer: { name: 'adam', lr: 1e-2 } });
  const rows: number = model.stateBatch;
  const options: WorkerOptions = { simd: false, workerUrl: new URL('https://example.invalid/worker_entry.js') };
  void options;
  const remote: WorkerModel = await createWorkerModel({ cell: 'lstm', inputSize: 2 });
  const controller = new AbortController();
  const history: FitHistory = await remote.fit({ x, y: new Float32Array(1) }, {
    epochs: 2, signal: controller.signal, onBatchEnd: (info) => { void info.gradNorm; }, onEpochEnd: async (info) => { void info.valLoss; },
  });
  const predicted: Tensor = await remote.predict(x);
  const bytes: Uint8Array = await remote.save({ metadata: '{}' });
  const again: WorkerModel = await loadWorkerModel(bytes);
  const ids: Int32Array = await again.generate({ prime: [1], length: 3 }).catch((e: unknown) => {
    if (e instanceof RnnlabError) return new Int32Array([e.code.length, e.field.length]);
    throw e;
  });
  await Promise.all([remote.dispose(), again.dispose()]);
  model.dispose();
  const s2s = rnn.createSeq2Seq({ inputVocab: 5, outputVocab: 4, hiddenSize: 3 });
  const traced: Seq2SeqInspection = s2s.inspect([[1, 2, 3]], [[0, 1]], { mask: [[1, 0]] });
  const greedy: Seq2SeqInspection = s2s.inspect([1, 2, 3], undefined, { maxLength: 4, stopToken: 3 });
  const first: LayerInspection = traced.encoder[0];
  const scored: Int32Array = greedy.target.data;
  const gates: string[] = traced.decoder[0].gates.names;
  s2s.dispose();
  // The encoder-decoder off the main thread, and the core's size answers.
  const wire = { inputVocab: 5, outputVocab: 4, hiddenSize: 3 };
  const size: number = rnn.parameterCount(wire, { seq2seq: true }) + rnn.parameterCount({ inputSize: 2 }) - rnn.limits.maxParameters;
  const ws: WorkerSeq2Seq = await createWorkerSeq2Seq(wire);
  const one: Int32Array = await ws.translate([1, 2, 3], { maxLength: 4 });
  const many: Tensor<Int32Array> = await ws.translate([[1, 2, 3]], { stopToken: 3 });
  const seen: Seq2SeqInspection = await ws.inspect([1, 2, 3], undefined, { maxLength: 4 });
  const reloaded: WorkerSeq2Seq = await loadWorkerSeq2Seq(await ws.save());
  const fitted: FitHistory = await reloaded.fit({ x: [[1, 2]], y: [[0, 1]] }, { epochs: 1, signal: controller.signal });
  await Promise.all([ws.dispose(), reloaded.dispose()]);
  const forecaster: Forecaster = rnn.createForecaster({ seed: 1, maxSteps: 10, season: 'auto' });
  const report: ForecastReport = await forecaster.fit([1, 2, null, 4, 5, 6, 7, 8, 9], { timeBudgetMs: 1000, onProgress: (p) => void p.fraction });
  const forecast: Forecast = forecaster.forecast(3, { levels: [0.8] });
  const mean: Float64Array = forecast.mean;
  const again2: Forecaster = rnn.loadForecaster(forecaster.save());
  const remoteForecaster: WorkerForecaster = await createWorkerForecaster();
  const remoteForecast: Forecast = await remoteForecaster.forecast(2).catch(() => forecast);
  await remoteForecaster.dispose();
  again2.dispose();
  forecaster.dispose();
  return size + one.length + many.shape[0] + seen.loss + fitted.loss.length +
    report.summary.length + mean.length + forecast.intervals[0].lower.length + remoteForecast.mean.length + loss + rows + history.loss.length + predicted.data.length + ids.length + remote.parameterCount +
    first.gradNorm.length + scored.length + gates.length + traced.output.shape[2] + (first.c === null ? 0 : 1);
}

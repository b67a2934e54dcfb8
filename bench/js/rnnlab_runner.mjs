// rnnlab side of the JS benchmarks (Node and browser): each configuration of CONFIGS.md through
// the public API (createModel, trainBatch, forecast, generate), as bench/rnnlab_bench.cpp does
// natively. `rnn` is what init() resolved with.
import {
  BATCHES, FORECAST_STEPS, featureBatches, GEN_CHARS, TRAIN_CONFIGS, describeConfig, makeResult, primeIds, seriesBatches,
  timeRuns, tokenBatches, trainConfig, VOCAB,
} from './common.mjs';

function modelOptions(c) {
  const base = { cell: c.cell, hiddenSize: c.hidden, seed: 42 };
  if (c.chars) {
    return { ...base, vocabSize: VOCAB, inputEncoding: 'onehot', outputSize: VOCAB, output: 'sequence', head: 'softmax' };
  }
  return { ...base, inputSize: c.features ?? 1, outputSize: 1, output: 'last', head: 'linear' };
}

function trainOptions(c) {
  return { optimizer: { name: 'adam', lr: c.lr }, loss: c.chars ? 'crossentropy' : 'mse' };
}

/** The minibatches of config c as the API's {data, shape} inputs. */
async function batchesOf(c, data) {
  if (c.chars) {
    const text = await data.text();
    return tokenBatches(text.ids, BATCHES, c.B, c.T).map((b) => ({
      x: { data: b.x, shape: [c.B, c.T] },
      y: { data: b.y, shape: [c.B, c.T] },
    }));
  }
  if (c.features) {
    return featureBatches(BATCHES, c.B, c.T, c.features).map((b) => ({
      x: { data: b.x, shape: [c.B, c.T, c.features] },
      y: { data: b.y, shape: [c.B, 1] },
    }));
  }
  return seriesBatches(data.sine(), BATCHES, c.B, c.T).map((b) => ({
    x: { data: b.x, shape: [c.B, c.T, 1] },
    y: { data: b.y, shape: [c.B, 1] },
  }));
}

async function warmTrain(model, c, batches, n) {
  const to = trainOptions(c);
  for (let i = 0; i < n; ++i) await model.trainBatch(batches[i % BATCHES].x, batches[i % BATCHES].y, to);
}

async function runTrain(rnn, c, opt, data) {
  const batches = await batchesOf(c, data);
  const heap0 = rnn.heapStats();
  const rss0 = opt.peakRssBytes?.();
  const model = rnn.createModel(modelOptions(c));
  try {
    const to = trainOptions(c);
    const losses = [];
    const ms = await timeRuns(opt, async (i) => {
      const b = batches[i % BATCHES];
      losses.push(await model.trainBatch(b.x, b.y, to));
    });
    const heap1 = rnn.heapStats();
    // The wasm memory only grows: its size after the steps is the peak; inUse is what malloc
    // holds then (model, Adam state, scratch kept for the next batch).
    const memory = {
      wasm_memory_bytes: heap1.memoryBytes, wasm_memory_growth_bytes: heap1.memoryBytes - heap0.memoryBytes,
      heap_in_use_bytes: heap1.inUseBytes, heap_in_use_growth_bytes: heap1.inUseBytes - heap0.inUseBytes,
    };
    if (rss0 !== undefined) memory.peak_rss_growth_bytes = opt.peakRssBytes() - rss0;
    let note = '';
    if (c.chars) {
      const t = await data.text();
      note = `text ${t.path} (${t.distinct} distinct bytes, ${t.symbols} ids used of 65)`;
    }
    return makeResult({
      id: c.id, kind: 'train', desc: describeConfig(c), ms, unit: c.chars ? 'tokens/s' : 'samples/s',
      perStep: c.chars ? c.B * c.T : c.B, flops: c.flops, losses: losses.slice(ms.warmup),
      params: model.parameterCount, note, extra: { memory },
    });
  } finally {
    model.dispose();
  }
}

let sink = 0; // keeps inference results observable

async function runForecast(rnn, opt, data) {
  const c = trainConfig('TS-S');
  const model = rnn.createModel(modelOptions(c));
  try {
    await warmTrain(model, c, await batchesOf(c, data), Math.max(opt.warmup, 5));
    const window = data.sine().subarray(1000, 1000 + c.T);
    const ms = await timeRuns(opt, async () => {
      const out = await model.forecast(window, FORECAST_STEPS);
      sink += out[out.length - 1];
    });
    return makeResult({
      id: 'FORECAST', kind: 'forecast', desc: 'TS-S model: window 32 + 200-step forecast, B1', ms,
      unit: 'steps/s', perStep: FORECAST_STEPS, params: model.parameterCount, note: 'ms = one whole 200-step forecast',
    });
  } finally {
    model.dispose();
  }
}

async function runGenerate(rnn, opt, data) {
  const c = trainConfig('CHAR');
  const model = rnn.createModel(modelOptions(c));
  try {
    await warmTrain(model, c, await batchesOf(c, data), Math.max(opt.warmup, 5));
    const prime = primeIds(await data.text());
    const ms = await timeRuns(opt, async (i) => {
      const out = await model.generate({ prime, length: GEN_CHARS, temperature: 1, seed: 1 + i });
      sink += out[out.length - 1];
    });
    return makeResult({
      id: 'GEN', kind: 'generate', desc: 'CHAR model: prime 16 + 500 sampled chars, B1 t=1', ms,
      unit: 'chars/s', perStep: GEN_CHARS, params: model.parameterCount, note: 'ms = prime + 500 sampled chars',
    });
  } finally {
    model.dispose();
  }
}

/** Runs one configuration (an id, or a config object such as shapeConfig's); resolves with its result row. */
export async function runRnnlabConfig(rnn, id, opt, data) {
  const c = typeof id === 'object' ? id : TRAIN_CONFIGS.find((x) => x.id === id);
  if (c) return runTrain(rnn, c, opt, data);
  if (id === 'FORECAST') return runForecast(rnn, opt, data);
  if (id === 'GEN') return runGenerate(rnn, opt, data);
  throw new Error(`unknown configuration ${id}`);
}

/** The header fields of rnnlab_bench --json for a loaded module. */
export function rnnlabInfo(rnn, variant) {
  const b = rnn.build;
  return { impl: variant === 'baseline' ? 'rnnlab-baseline' : 'rnnlab', impl_version: rnn.version, variant: b.variant, kernels: b.kernel, gemm: b.gemm, threads: rnn.threads };
}

export function sinkValue() {
  return sink;
}

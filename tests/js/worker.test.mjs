// rnnlab/worker in Node (worker_threads): the proxy mirrors Model, training runs off the main
// thread, callbacks and AbortSignal are relayed, errors arrive as RnnlabError, dispose ends the
// worker. The same module runs in Chromium in tests/package/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { createWorkerModel, loadWorkerModel, WorkerModel } from '../../bindings/js/worker.js';
import { batch, ids, load, rejectsRnnlab, RnnlabError, sineWindows } from './_helpers.mjs';

const simd = process.env.RNNLAB_TEST_SIMD === '0' ? false : 'auto';
const rnn = await load();
const wopts = { simd };

test('worker: same seed and data give the same weights and history as the main thread', async () => {
  const opts = { cell: 'gru', inputSize: 2, hiddenSize: [6, 4], outputSize: 1, seed: 11 };
  const { x, y } = batch(40, 5, 2, 1);
  const fitOpts = { epochs: 3, batchSize: 8, optimizer: { name: 'adam', lr: 1e-2 }, validationSplit: 0.2, seed: 3 };
  const local = rnn.createModel(opts);
  const remote = await createWorkerModel(opts, wopts);
  assert.ok(remote instanceof WorkerModel);
  assert.deepEqual(remote.config, local.config);
  assert.equal(remote.parameterCount, local.parameterCount);
  assert.equal(remote.metadata, '');
  assert.equal(remote.simd, rnn.simd);
  assert.equal(remote.disposed, false);
  assert.ok(Object.isFrozen(remote.config));
  const h1 = await local.fit({ x, y }, fitOpts);
  const h2 = await remote.fit({ x, y }, fitOpts);
  assert.deepEqual(h2, h1);
  const w1 = local.getWeights();
  const w2 = await remote.getWeights();
  assert.deepEqual(Object.keys(w2), Object.keys(w1));
  for (const k of Object.keys(w1)) {
    assert.ok(w2[k].data instanceof Float32Array);
    assert.deepEqual(new Uint32Array(w2[k].data.buffer), new Uint32Array(w1[k].data.buffer), k);
  }
  assert.deepEqual(await remote.predict(x), local.predict(x));
  local.dispose();
  await remote.dispose();
});

test('worker: every method mirrors Model (features model)', async () => {
  const opts = { cell: 'lstm', inputSize: 1, hiddenSize: 5, output: 'sequence', seed: 4 };
  const local = rnn.createModel(opts);
  const m = await createWorkerModel(opts, wopts);
  const { x } = batch(3, 6, 1, 1);
  const y = new Float32Array(18).map((_, i) => Math.sin(i));
  const topts = { optimizer: { name: 'adam', lr: 1e-2 }, clipNorm: 1 };
  assert.equal(await m.trainBatch(x, y, topts), local.trainBatch(x, y, topts));
  assert.equal(await m.evaluate(x, y), local.evaluate(x, y));
  assert.equal(await m.evaluate(x, y, { loss: 'huber', huberDelta: 0.5 }), local.evaluate(x, y, { loss: 'huber', huberDelta: 0.5 }));
  const p = await m.predict(x);
  assert.deepEqual(p.shape, [3, 6, 1]);
  assert.deepEqual(p, local.predict(x));
  assert.equal(await m.resetState(2), undefined);
  local.resetState(2);
  assert.deepEqual(await m.step([0.5, -0.5]), local.step([0.5, -0.5]));
  const w = new Float32Array(8).map((_, i) => Math.cos(i));
  const f = await m.forecast(w, 5);
  assert.ok(f instanceof Float32Array && f.length === 5);
  assert.deepEqual(f, local.forecast(w, 5));
  const ins = await m.inspect(x, y);
  const insLocal = local.inspect(x, y);
  assert.equal(ins.loss, insLocal.loss);
  assert.deepEqual(ins.layers[0].c, insLocal.layers[0].c);
  assert.deepEqual(ins.layers[0].gates.names, ['i', 'f', 'g', 'o']);
  assert.deepEqual(await m.inspect(x), local.inspect(x));
  // Weights round-trip bit-exactly through the worker.
  const weights = await m.getWeights();
  const other = await createWorkerModel({ ...opts, seed: 99 }, wopts);
  await other.setWeights(weights);
  assert.deepEqual(await other.getWeights(), weights);
  assert.deepEqual(await other.predict(x), p);
  await other.dispose();
  // save -> loadWorkerModel (and the main thread's loadModel) keep metadata and predictions.
  const bytes = await m.save({ metadata: '{"a":1}' });
  assert.ok(bytes instanceof Uint8Array && bytes.length > 100);
  const again = await loadWorkerModel(bytes, wopts);
  assert.equal(again.metadata, '{"a":1}');
  assert.deepEqual(again.config, m.config);
  assert.deepEqual(await again.predict(x), p);
  const fromBuffer = await loadWorkerModel(bytes.buffer.slice(0), wopts);
  assert.deepEqual(await fromBuffer.predict(x), p);
  assert.deepEqual(rnn.loadModel(bytes).predict(x), p);
  const heap = await m.heapStats();
  assert.equal(heap.liveHandles, 1);
  assert.ok(heap.memoryBytes >= 16 * 1024 * 1024);
  await Promise.all([again.dispose(), fromBuffer.dispose(), m.dispose()]);
  local.dispose();
});

test('worker: token models: generate, nextTokenProbabilities, step', async () => {
  const opts = { vocabSize: 7, hiddenSize: 6, head: 'softmax', output: 'sequence', inputEncoding: 'onehot', seed: 5 };
  const local = rnn.createModel(opts);
  const m = await createWorkerModel(opts, wopts);
  const xi = { data: ids(4, 6, 7), shape: [4, 6] };
  const yi = { data: ids(4, 6, 7, 2), shape: [4, 6] };
  assert.equal(await m.trainBatch(xi, yi), local.trainBatch(xi, yi));
  const g = await m.generate({ prime: [1, 2], length: 12, temperature: 0.8, topK: 3, seed: 9 });
  assert.ok(g instanceof Int32Array && g.length === 12);
  assert.deepEqual(g, local.generate({ prime: [1, 2], length: 12, temperature: 0.8, topK: 3, seed: 9 }));
  const q = await m.nextTokenProbabilities([3, 4], { temperature: 2 });
  assert.deepEqual(q, local.nextTokenProbabilities([3, 4], { temperature: 2 }));
  // generate leaves its state behind: step continues without a reset, in both.
  assert.deepEqual(await m.step([g[11]]), local.step([g[11]]));
  await m.dispose();
  local.dispose();
});

test('worker: callbacks run here, in order, and training waits for them', async () => {
  const { x, y } = batch(30, 4);
  const m = await createWorkerModel({ hiddenSize: 4, seed: 2 }, wopts);
  const events = [];
  let inside = false;
  const h = await m.fit({ x, y }, {
    epochs: 2,
    batchSize: 10,
    onBatchEnd: async (info) => {
      assert.equal(inside, false, 'no event while a callback is running');
      inside = true;
      events.push(`b${info.epoch}.${info.batch}/${info.batches}:${info.size}`);
      assert.ok(Number.isFinite(info.loss) && Number.isFinite(info.gradNorm) && info.lr > 0);
      await new Promise((r) => setTimeout(r, 5));
      inside = false;
    },
    onEpochEnd: (info) => {
      events.push(`e${info.epoch}/${info.epochs}`);
      assert.ok(info.elapsedMs >= 0 && info.valLoss === undefined);
    },
  });
  assert.deepEqual(events, ['b0.0/3:10', 'b0.1/3:10', 'b0.2/3:10', 'e0/2', 'b1.0/3:10', 'b1.1/3:10', 'b1.2/3:10', 'e1/2']);
  assert.equal(h.epochs, 2);
  // A callback's own error ends fit and arrives unchanged (the same object).
  const mine = new TypeError('from the callback');
  let error;
  try {
    await m.fit({ x, y }, { epochs: 5, batchSize: 10, onEpochEnd: (info) => { if (info.epoch === 1) throw mine; } });
  } catch (e) {
    error = e;
  }
  assert.equal(error, mine);
  // The model is still usable after that.
  assert.equal((await m.predict(x)).shape[0], 30);
  await m.dispose();
});

test('worker: AbortSignal is relayed (before, during, and from a callback)', async () => {
  const { x, y } = batch(64, 4);
  const m = await createWorkerModel({ hiddenSize: 4, seed: 2 }, wopts);
  const pre = new AbortController();
  pre.abort();
  const h0 = await m.fit({ x, y }, { epochs: 3, signal: pre.signal });
  assert.deepEqual(h0, { loss: [], valLoss: [], epochs: 0, aborted: true });
  const c1 = new AbortController();
  let seen = 0;
  const h1 = await m.fit({ x, y }, {
    epochs: 3, batchSize: 8, signal: c1.signal,
    onBatchEnd: () => { if (++seen === 3) c1.abort(); },
  });
  assert.equal(h1.aborted, true);
  assert.equal(seen, 3, 'no batch trains after the abort');
  const c2 = new AbortController();
  const long = m.fit({ x, y }, { epochs: 100000, batchSize: 4, signal: c2.signal });
  setTimeout(() => c2.abort(), 100);
  const h2 = await long;
  assert.equal(h2.aborted, true);
  assert.ok(h2.epochs < 100000);
  await m.dispose();
});

test('worker: training runs off the main thread, and other calls interleave', async () => {
  const { x, y } = sineWindows({ points: 600, steps: 16 });
  const m = await createWorkerModel({ cell: 'lstm', inputSize: 1, hiddenSize: 32, seed: 42 }, wopts);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  let predicted = null;
  const fit = m.fit({ x, y }, {
    epochs: 10, batchSize: 16, optimizer: { name: 'adam', lr: 1e-2 },
    onEpochEnd: async (info) => {
      if (info.epoch === 0) {
        // Between batches the worker answers other requests; training a second way is refused.
        predicted = await m.predict({ data: x.data.subarray(0, 16), shape: [1, 16, 1] });
        await rejectsRnnlab(m.trainBatch(x, y), 'INVALID_STATE', 'trainBatch');
        await rejectsRnnlab(m.fit({ x, y }), 'INVALID_STATE', 'fit');
      }
    },
  });
  // The main thread stays free while the worker trains.
  const spin = performance.now();
  while (performance.now() - spin < 50) { /* busy main thread: the worker still trains */ }
  const h = await fit;
  clearInterval(timer);
  assert.ok(h.loss.at(-1) < h.loss[0] * 0.5, `loss fell: ${h.loss}`);
  assert.ok(ticks > 5, `the main thread kept running timers (${ticks} ticks)`);
  assert.deepEqual(predicted.shape, [1, 1]);
  await m.dispose();
});

test('worker: arguments are copied (subarrays cut out), results handed over', async () => {
  const m = await createWorkerModel({ inputSize: 1, hiddenSize: 3, seed: 1 }, wopts);
  const big = new Float32Array(1000).map((_, i) => Math.sin(i));
  const x = { data: big.subarray(100, 160), shape: [4, 15, 1] };
  const y = new Float32Array([0.1, 0.2, 0.3, 0.4]);
  await m.trainBatch(x, y);
  await m.fit({ x, y }, { epochs: 1 });
  assert.equal(big.length, 1000, 'the caller keeps its arrays');
  assert.equal(y.length, 4);
  const p = await m.predict(x);
  assert.equal(p.data.byteOffset, 0);
  assert.equal(p.data.buffer.byteLength, 16);
  // Nested arrays and plain number arrays work as on the main thread.
  const nested = await m.predict([[[0.1], [0.2]], [[0.3], [0.4]]]);
  assert.deepEqual(nested.shape, [2, 1]);
  await m.dispose();
});

test('worker: errors arrive as RnnlabError with code and field', async () => {
  await rejectsRnnlab(createWorkerModel({ hiddenSize: 0 }, wopts), 'INVALID_CONFIG', 'hiddenSize');
  await rejectsRnnlab(createWorkerModel({ cell: 'lstn' }, wopts), 'INVALID_CONFIG', 'cell');
  await rejectsRnnlab(createWorkerModel({}, { simd: 'yes' }), 'INVALID_CONFIG', 'simd');
  await rejectsRnnlab(createWorkerModel({}, { locateFile: () => '' }), 'INVALID_CONFIG', 'locateFile');
  await rejectsRnnlab(createWorkerModel({}, { sims: true }), 'INVALID_CONFIG', 'workerOptions.sims');
  await rejectsRnnlab(createWorkerModel({}, { workerUrl: 5 }), 'INVALID_CONFIG', 'workerUrl');
  await rejectsRnnlab(createWorkerModel({}, { simd: false, wasmUrl: new URL('file:///nonexistent/x.wasm') }), 'LOAD_FAILED');
  await rejectsRnnlab(createWorkerModel({}, { workerUrl: new URL('file:///nonexistent/entry.js') }), 'LOAD_FAILED');
  await rejectsRnnlab(loadWorkerModel('abc'), 'INVALID_ARGUMENT', 'bytes');
  await rejectsRnnlab(loadWorkerModel(new Uint8Array(40), wopts), 'BAD_MODEL_FILE');
  const m = await createWorkerModel({ inputSize: 2, hiddenSize: 3 }, wopts);
  const { x, y } = batch(4, 3, 2, 1);
  const e = await rejectsRnnlab(m.trainBatch({ data: new Float32Array(5), shape: [1, 5, 1] }, y), 'SHAPE_MISMATCH', 'x');
  assert.ok(e instanceof Error && e instanceof RnnlabError);
  assert.ok(e.message.startsWith('x: '), e.message);
  await rejectsRnnlab(m.trainBatch(x, new Float32Array([1, 2, NaN, 4])), 'NON_FINITE_DATA', 'y');
  await rejectsRnnlab(m.trainBatch(x, y, { optimizer: { lr: -1 } }), 'INVALID_CONFIG', 'optimizer.lr');
  await rejectsRnnlab(m.forecast(new Float32Array(4), 2), 'INVALID_STATE', 'forecast');
  await rejectsRnnlab(m.generate({ prime: [1], length: 2 }), 'INVALID_STATE');
  await rejectsRnnlab(m.step([1, 2]), 'INVALID_STATE', 'state');
  await rejectsRnnlab(m.setWeights({}), 'SHAPE_MISMATCH', 'weights');
  await rejectsRnnlab(m.predict(() => 1), 'INVALID_ARGUMENT');
  await rejectsRnnlab(m.fit({ x, y }, { epochs: 0 }), 'INVALID_CONFIG', 'epochs');
  await rejectsRnnlab(m.fit({ x, y }, { onEpochEnd: 5 }), 'INVALID_CONFIG', 'onEpochEnd');
  await rejectsRnnlab(m.fit({ x, y }, { signal: 5 }), 'INVALID_CONFIG', 'signal');
  await rejectsRnnlab(m.fit({ x, y }, { signal: { aborted: false } }), 'INVALID_CONFIG', 'signal');
  await rejectsRnnlab(m.fit({ x, y }, { epochz: 1 }), 'INVALID_CONFIG', 'epochz');
  await rejectsRnnlab(m.fit({ x, y }, 5), 'INVALID_CONFIG', 'options');
  await rejectsRnnlab(m.fit({ x }), 'INVALID_ARGUMENT', 'data');
  // A diverging fit: the error carries the history so far, as on the main thread.
  const huge = { data: new Float32Array(24).fill(1e18), shape: [4, 3, 2] };
  const d = await rejectsRnnlab(m.fit({ x: huge, y: new Float32Array(4).fill(1e18) }, { epochs: 3, optimizer: { name: 'sgd', lr: 1e10 } }), 'NON_FINITE_LOSS');
  assert.ok(d.history && Array.isArray(d.history.loss));
  assert.throws(() => new WorkerModel(), (err) => err instanceof RnnlabError && err.code === 'INVALID_STATE');
  await m.dispose();
});

test('worker: dispose frees the model, ends the worker and fails pending and later calls', async () => {
  const { x, y } = batch(64, 8);
  const m = await createWorkerModel({ hiddenSize: 16, seed: 3 }, wopts);
  const fit = m.fit({ x, y }, { epochs: 100000, batchSize: 4 });
  await new Promise((r) => setTimeout(r, 50));
  const first = m.dispose();
  assert.equal(m.dispose(), first, 'idempotent');
  assert.equal(m.disposed, true);
  await first;
  await rejectsRnnlab(fit, 'DISPOSED', 'model');
  await rejectsRnnlab(m.predict(x), 'DISPOSED', 'model');
  await rejectsRnnlab(m.fit({ x, y }), 'DISPOSED', 'model');
  await rejectsRnnlab(m.heapStats(), 'DISPOSED', 'model');
  assert.throws(() => m.config, (e) => e instanceof RnnlabError && e.code === 'DISPOSED');
  assert.throws(() => m.parameterCount, (e) => e instanceof RnnlabError && e.code === 'DISPOSED');
  assert.equal(typeof m.simd, 'boolean');
});

test('worker: an idle, forgotten worker model does not keep Node running', () => {
  const url = new URL('../../bindings/js/worker.js', import.meta.url).href;
  const script = `const { createWorkerModel } = await import(${JSON.stringify(url)});
    const m = await createWorkerModel({ hiddenSize: 2 });
    await m.trainBatch([0.5, 0.25], [1]);
    console.log('trained');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'trained');
});

// rnnlab/worker's encoder-decoder (createWorkerSeq2Seq / loadWorkerSeq2Seq): the proxy
// mirrors Seq2Seq, training runs in the worker with callbacks and AbortSignal relayed, results
// equal the main thread's for the same seed, files round-trip, errors arrive as RnnlabError,
// and a worker that goes away fails pending and later calls with INTERNAL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { createWorkerSeq2Seq, loadWorkerModel, loadWorkerSeq2Seq, WorkerModel, WorkerSeq2Seq } from '../../bindings/js/worker.js';
import { load, rejectsRnnlab, RnnlabError } from './_helpers.mjs';

const simd = process.env.RNNLAB_TEST_SIMD === '0' ? false : 'auto';
const rnn = await load();
const wopts = { simd };

// Reverse 4 digits (ids 1..9; the output vocabulary's 10 is the stop token).
function reverseTask(n, seed = 1) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) % 9;
  const x = new Int32Array(n * 4);
  const y = new Int32Array(n * 5);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < 4; t++) x[i * 4 + t] = next() + 1;
    for (let t = 0; t < 4; t++) y[i * 5 + t] = x[i * 4 + 3 - t];
    y[i * 5 + 4] = 10;
  }
  return { x: { data: x, shape: [n, 4] }, y: { data: y, shape: [n, 5] } };
}

const OPTS = { cell: 'gru', inputVocab: 10, outputVocab: 11, hiddenSize: [12, 8], embeddingSize: 6, seed: 7 };

/** Bits of every weight, for exact comparison. */
function bits(weights) {
  return Object.fromEntries(Object.entries(weights).map(([k, w]) => [k, [...new Uint32Array(w.data.buffer, w.data.byteOffset, w.data.length)]]));
}

test('worker seq2seq: same seed and data give the same training, translations and inspections as the main thread', async () => {
  const { x, y } = reverseTask(48);
  const fitOpts = { epochs: 3, batchSize: 8, optimizer: { name: 'adam', lr: 2e-2 }, clipNorm: 1, validationSplit: 0.25, seed: 3 };
  const local = rnn.createSeq2Seq(OPTS);
  const remote = await createWorkerSeq2Seq(OPTS, wopts);
  assert.ok(remote instanceof WorkerSeq2Seq);
  assert.ok(!(remote instanceof WorkerModel));
  assert.deepEqual(remote.config, local.config);
  assert.ok(Object.isFrozen(remote.config) && Object.isFrozen(remote.config.hiddenSize));
  assert.equal(remote.parameterCount, local.parameterCount);
  assert.equal(remote.parameterCount, rnn.parameterCount(OPTS, { seq2seq: true }));
  assert.equal(remote.metadata, '');
  assert.equal(remote.simd, rnn.simd);
  assert.equal(remote.disposed, false);
  // Untrained, then after fit: greedy translations equal, bit for bit.
  assert.deepEqual(await remote.translate(x.data.subarray(0, 4), { maxLength: 6, stopToken: 10 }), local.translate(x.data.subarray(0, 4), { maxLength: 6, stopToken: 10 }));
  assert.deepEqual(await remote.fit({ x, y }, fitOpts), await local.fit({ x, y }, fitOpts));
  assert.deepEqual(bits(await remote.getWeights()), bits(local.getWeights()));
  assert.equal(await remote.trainBatch(x, y, { optimizer: { lr: 1e-2 } }), local.trainBatch(x, y, { optimizer: { lr: 1e-2 } }));
  assert.equal(await remote.evaluate(x, y), local.evaluate(x, y));
  const mask = new Float32Array(48 * 5).fill(1).map((v, i) => (i % 5 === 4 ? 0 : v));
  assert.equal(await remote.evaluate(x, y, { mask }), local.evaluate(x, y, { mask }));
  // One sequence (flat) -> its ids; a batch -> {data, shape} with -1 after the stop token.
  const one = await remote.translate([1, 2, 3, 4], { stopToken: 10 });
  assert.ok(one instanceof Int32Array);
  assert.deepEqual(one, local.translate([1, 2, 3, 4], { stopToken: 10 }));
  const many = await remote.translate(x, { maxLength: 5, stopToken: 10 });
  assert.deepEqual(many.shape, [48, 5]);
  assert.deepEqual(many, local.translate(x, { maxLength: 5, stopToken: 10 }));
  assert.deepEqual(await remote.translate([[1, 2, 3, 4]]), local.translate([[1, 2, 3, 4]]));
  // inspect with targets (teacher forcing) and of the greedy answer.
  const xs = { data: x.data.subarray(0, 8), shape: [2, 4] };
  const ys = { data: y.data.subarray(0, 10), shape: [2, 5] };
  const ins = await remote.inspect(xs, ys);
  assert.deepEqual(ins, local.inspect(xs, ys));
  assert.deepEqual(ins.decoder[0].gates.names, ['r', 'z', 'n']);
  assert.equal(ins.encoder.length, 2);
  const greedy = await remote.inspect([3, 1, 4, 1], undefined, { maxLength: 5 });
  assert.deepEqual(greedy, local.inspect([3, 1, 4, 1], undefined, { maxLength: 5 }));
  assert.deepEqual(greedy.target.shape, [1, 5]);
  // ONNX export: the worker's weights, converted here, byte for byte the main thread's.
  const onnx = await remote.exportOnnx();
  assert.deepEqual(onnx, await local.exportOnnx());
  assert.ok(onnx.encoder instanceof Uint8Array && onnx.decoder.length > 100);
  assert.equal(typeof /** @type {any} */ (remote).exportKeras, 'undefined', 'Seq2Seq has no Keras export');
  local.dispose();
  await remote.dispose();
});

test('worker seq2seq: save -> loadWorkerSeq2Seq and rnn.loadSeq2Seq, weights in and out', async () => {
  const { x, y } = reverseTask(16, 5);
  const m = await createWorkerSeq2Seq({ ...OPTS, cell: 'lstm' }, wopts);
  await m.fit({ x, y }, { epochs: 2, batchSize: 8 });
  const bytes = await m.save({ metadata: '{"task":"reverse"}' });
  assert.ok(bytes instanceof Uint8Array && bytes.length > 100);
  const want = await m.translate(x, { maxLength: 5 });
  const again = await loadWorkerSeq2Seq(bytes, wopts);
  assert.ok(again instanceof WorkerSeq2Seq);
  assert.equal(again.metadata, '{"task":"reverse"}');
  assert.deepEqual(again.config, m.config);
  assert.deepEqual(await again.translate(x, { maxLength: 5 }), want);
  const fromBuffer = await loadWorkerSeq2Seq(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), wopts);
  assert.deepEqual(await fromBuffer.translate(x, { maxLength: 5 }), want);
  const local = rnn.loadSeq2Seq(bytes);
  assert.deepEqual(local.translate(x, { maxLength: 5 }), want);
  // Weights round-trip bit-exactly into another worker.
  const other = await createWorkerSeq2Seq({ ...OPTS, cell: 'lstm', seed: 99 }, wopts);
  await other.setWeights(await m.getWeights());
  assert.deepEqual(bits(await other.getWeights()), bits(local.getWeights()));
  assert.deepEqual(await other.translate(x, { maxLength: 5 }), want);
  // A Seq2Seq file is not a Model file, and the other way round.
  await rejectsRnnlab(loadWorkerModel(bytes, wopts), 'BAD_MODEL_FILE');
  const modelBytes = rnn.createModel({ hiddenSize: 2 }).save();
  await rejectsRnnlab(loadWorkerSeq2Seq(modelBytes, wopts), 'BAD_MODEL_FILE');
  await rejectsRnnlab(loadWorkerSeq2Seq('abc'), 'INVALID_ARGUMENT', 'bytes');
  await rejectsRnnlab(loadWorkerSeq2Seq(new Uint8Array(40), wopts), 'BAD_MODEL_FILE');
  const heap = await m.heapStats();
  assert.equal(heap.liveHandles, 1);
  local.dispose();
  await Promise.all([m.dispose(), again.dispose(), fromBuffer.dispose(), other.dispose()]);
  rnn.disposeAll();
});

test('worker seq2seq: callbacks run here and are awaited; AbortSignal stops fit between batches', async () => {
  const { x, y } = reverseTask(64);
  const m = await createWorkerSeq2Seq(OPTS, wopts);
  const events = [];
  let inside = false;
  await m.fit({ x, y }, {
    epochs: 2, batchSize: 32,
    onBatchEnd: async (info) => {
      assert.equal(inside, false, 'no event while a callback runs');
      inside = true;
      events.push(`b${info.epoch}.${info.batch}`);
      await new Promise((r) => setTimeout(r, 5));
      inside = false;
    },
    onEpochEnd: (info) => events.push(`e${info.epoch}`),
  });
  assert.deepEqual(events, ['b0.0', 'b0.1', 'e0', 'b1.0', 'b1.1', 'e1']);
  // Aborted before it starts, from a callback, and from outside while training.
  const pre = new AbortController();
  pre.abort();
  assert.deepEqual(await m.fit({ x, y }, { epochs: 3, signal: pre.signal }), { loss: [], valLoss: [], epochs: 0, aborted: true });
  const c1 = new AbortController();
  let seen = 0;
  const h1 = await m.fit({ x, y }, { epochs: 3, batchSize: 8, signal: c1.signal, onBatchEnd: () => { if (++seen === 3) c1.abort(); } });
  assert.equal(h1.aborted, true);
  assert.equal(seen, 3, 'no batch trains after the abort');
  const c2 = new AbortController();
  const long = m.fit({ x, y }, { epochs: 100000, batchSize: 4, signal: c2.signal });
  setTimeout(() => c2.abort(), 100);
  const h2 = await long;
  assert.equal(h2.aborted, true);
  assert.ok(h2.epochs < 100000);
  // A callback's own error ends fit and arrives unchanged.
  const mine = new TypeError('from the callback');
  await assert.rejects(m.fit({ x, y }, { epochs: 3, onEpochEnd: () => { throw mine; } }), (e) => e === mine);
  assert.equal((await m.translate([1, 2, 3, 4])).constructor, Int32Array, 'still usable');
  await m.dispose();
});

test('worker seq2seq: errors arrive as RnnlabError with code and field', async () => {
  await rejectsRnnlab(createWorkerSeq2Seq({ inputVocab: 5 }, wopts), 'INVALID_CONFIG', 'outputVocab');
  await rejectsRnnlab(createWorkerSeq2Seq({ ...OPTS, cell: 'lstn' }, wopts), 'INVALID_CONFIG', 'cell');
  await rejectsRnnlab(createWorkerSeq2Seq(undefined, wopts), 'INVALID_ARGUMENT', 'options');
  await rejectsRnnlab(createWorkerSeq2Seq({ ...OPTS, hiddenSize: [2048, 2048] }, wopts), 'TOO_LARGE', 'hiddenSize');
  await rejectsRnnlab(createWorkerSeq2Seq(OPTS, { sims: true }), 'INVALID_CONFIG', 'workerOptions.sims');
  const m = await createWorkerSeq2Seq(OPTS, wopts);
  const { x, y } = reverseTask(4);
  await rejectsRnnlab(m.trainBatch(x, { data: y.data.subarray(0, 5), shape: [1, 5] }), 'SHAPE_MISMATCH', 'y');
  await rejectsRnnlab(m.trainBatch({ data: Int32Array.of(1, 99), shape: [1, 2] }, [1]), 'INVALID_CONFIG', 'x');
  await rejectsRnnlab(m.translate([1, 2], { maxLength: 0 }), 'INVALID_CONFIG', 'maxLength');
  await rejectsRnnlab(m.translate([1, 2], { stopToken: 11 }), 'INVALID_CONFIG', 'stopToken');
  await rejectsRnnlab(m.inspect(x, y, { maxLength: 3 }), 'INVALID_CONFIG', 'maxLength');
  await rejectsRnnlab(m.fit({ x, y }, { tbptt: 2 }), 'INVALID_CONFIG', 'tbptt');
  await rejectsRnnlab(m.fit({ x }), 'INVALID_ARGUMENT', 'data');
  await rejectsRnnlab(m.setWeights({}), 'SHAPE_MISMATCH', 'weights');
  assert.equal(typeof /** @type {any} */ (m).predict, 'undefined', 'no Model-only methods');
  assert.throws(() => new WorkerSeq2Seq(), (e) => e instanceof RnnlabError && e.code === 'INVALID_STATE');
  await m.dispose();
});

test('worker seq2seq: dispose frees it, ends the worker and fails pending and later calls', async () => {
  const { x, y } = reverseTask(64);
  const m = await createWorkerSeq2Seq(OPTS, wopts);
  const fit = m.fit({ x, y }, { epochs: 100000, batchSize: 4 });
  await new Promise((r) => setTimeout(r, 50));
  const first = m.dispose();
  assert.equal(m.dispose(), first, 'idempotent');
  await first;
  await rejectsRnnlab(fit, 'DISPOSED', 'model');
  await rejectsRnnlab(m.translate([1, 2]), 'DISPOSED', 'model');
  await rejectsRnnlab(m.save(), 'DISPOSED', 'model');
  assert.throws(() => m.config, (e) => e instanceof RnnlabError && e.code === 'DISPOSED');
});

const WORKER = new URL('../../bindings/js/worker.js', import.meta.url).href;
const DYING = new URL('./fixtures/worker_that_dies.mjs', import.meta.url).href;

/** Runs a script in a child Node process that must end by itself; returns its last JSON line. */
function child(script, env = {}) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60000, env: { ...process.env, ...env } });
  assert.equal(r.error, undefined, `the child process did not end by itself: ${r.error}`);
  assert.equal(r.status, 0, `exit code ${r.status}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

for (const mode of ['exit', 'throw']) {
  test(`worker seq2seq failure: the worker ${mode === 'exit' ? 'exits' : 'throws an uncaught error'} mid-fit: INTERNAL for pending and later calls`, () => {
    const out = child(`
      const { createWorkerSeq2Seq } = await import(${JSON.stringify(WORKER)});
      const describe = (e) => ({ code: e?.code, message: e?.message, rnnlab: e?.name === 'RnnlabError' });
      const x = { data: Int32Array.from({ length: 64 * 4 }, (_, i) => 1 + (i % 9)), shape: [64, 4] };
      const y = { data: Int32Array.from({ length: 64 * 3 }, (_, i) => i % 11), shape: [64, 3] };
      const opts = { inputVocab: 10, outputVocab: 11, hiddenSize: 16 };
      const m = await createWorkerSeq2Seq(opts, { simd: ${JSON.stringify(simd)}, workerUrl: ${JSON.stringify(DYING)} });
      let fitError = null;
      try { await m.fit({ x, y }, { epochs: 1e6, batchSize: 4 }); } catch (e) { fitError = describe(e); }
      let later = null;
      try { await m.translate([1, 2, 3]); } catch (e) { later = describe(e); }
      await m.dispose();
      const fresh = await createWorkerSeq2Seq(opts, { simd: ${JSON.stringify(simd)} });
      const h = await fresh.fit({ x, y }, { epochs: 1, batchSize: 32 });
      await fresh.dispose();
      console.log(JSON.stringify({ fitError, later, fresh: h.loss }));
    `, { RNNLAB_TEST_WORKER_DEATH: mode });
    assert.equal(out.fitError?.code, 'INTERNAL', JSON.stringify(out.fitError));
    assert.match(out.fitError.message, /^the rnnlab worker stopped: /);
    assert.match(out.fitError.message, mode === 'exit' ? /exited with code 3/ : /boom inside the worker/);
    assert.equal(out.later?.code, 'INTERNAL');
    assert.equal(out.later.message, out.fitError.message);
    assert.ok(out.fresh.length === 1 && Number.isFinite(out.fresh[0]), 'a new worker Seq2Seq trains right after');
  });
}

test('worker seq2seq: an idle, forgotten worker Seq2Seq does not keep Node running', () => {
  const out = child(`
    const { createWorkerSeq2Seq } = await import(${JSON.stringify(WORKER)});
    const m = await createWorkerSeq2Seq({ inputVocab: 4, outputVocab: 4, hiddenSize: 3 });
    const loss = await m.trainBatch([1, 2, 3], [0, 1]);
    console.log(JSON.stringify({ loss }));
  `);
  assert.ok(Number.isFinite(out.loss));
});

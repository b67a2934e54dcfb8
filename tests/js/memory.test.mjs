// Memory: dispose frees everything, 1000 create/fit/predict/dispose cycles do not grow the
// heap, nor do 1000 cycles through every API of both model kinds (tests/tools/soak.mjs), forgotten
// models are freed by the FinalizationRegistry, scratch is grow-only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { runSoak, WASM_TOLERANCE_BYTES } from '../tools/soak.mjs';
import { batch, ids, load } from './_helpers.mjs';

const rnn = await load();

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

test('1000 create/fit/predict/dispose cycles: the wasm heap does not keep growing', async () => {
  const { x, y } = batch(8, 5);
  const cycle = async (i) => {
    const m = rnn.createModel({ cell: ['lstm', 'gru', 'rnn'][i % 3], hiddenSize: 4 + (i % 3), seed: i });
    await m.fit({ x, y }, { epochs: 1, batchSize: 4, validationSplit: 0.25 });
    const p = m.predict(x);
    assert.equal(p.data.length, 8);
    m.dispose();
  };
  for (let i = 0; i < 50; i++) await cycle(i); // warm up: scratch and malloc's free lists settle
  const live0 = rnn.heapStats().liveHandles;
  const before = rnn.heapStats();
  for (let i = 50; i < 1000; i++) await cycle(i);
  const after = rnn.heapStats();
  assert.equal(after.liveHandles, live0);
  assert.equal(after.memoryBytes, before.memoryBytes, `memory grew ${before.memoryBytes} -> ${after.memoryBytes}`);
  assert.ok(after.inUseBytes <= before.inUseBytes + 4096, `in-use bytes grew ${before.inUseBytes} -> ${after.inUseBytes}`);
});

test('1000 create/train/predict/save/load/dispose cycles of every cell and both model kinds: wasm and JS heaps stay flat', async () => {
  // The bounded run of `node tests/tools/soak.mjs 10000` (same cycles: Models of every cell and
  // input encoding, Seq2Seqs; each cycle checks that the loaded model predicts as the saved one).
  // Tolerances:
  // - wasm: malloc's bytes in use (mallinfo) are exact, so after the warm-up (every spec seen,
  //   scratch sized) only allocator bookkeeping may move them: 4 KB, the same bound as the test
  //   above; a leaked model is at least its parameters twice over (hundreds of bytes), a leaked
  //   result vector tens of bytes per cycle, i.e. >= 10 KB over 1000 cycles. The memory size
  //   and the live handles must not change at all.
  // - JS: no kind of object (by constructor or function name, from heap snapshots) may grow by
  //   a quarter of the cycle count: a leak of one wrapper, closure, typed array or registry
  //   entry every few cycles fails. The heap's size after GC only has to stay within 1 MB:
  //   it drifts up by the code V8 compiles while warming up (~100-300 bytes a cycle over the
  //   first thousand cycles, ~30 over ten thousand, all of it code objects).
  const r = await runSoak(rnn, { cycles: 1000 });
  const first = r.samples[0], last = r.samples.at(-1);
  assert.ok(last.inUseBytes <= first.inUseBytes + WASM_TOLERANCE_BYTES, `wasm bytes in use grew ${first.inUseBytes} -> ${last.inUseBytes}`);
  assert.equal(last.memoryBytes, first.memoryBytes, 'wasm memory did not grow');
  assert.equal(last.liveHandles, first.liveHandles);
  assert.deepEqual(r.grown, [], 'no kind of JS object accumulates');
  assert.ok(last.jsHeapBytes <= first.jsHeapBytes + 1024 * 1024, `JS heap after GC grew ${first.jsHeapBytes} -> ${last.jsHeapBytes}`);
});

test('every other API (and its error paths) returns the heap to where it was', async () => {
  const { x, y } = batch(6, 4, 2, 2);
  const text = 'the quick brown fox jumps over the lazy dog';
  const round = () => {
    const m = rnn.createModel({ inputSize: 2, outputSize: 2, hiddenSize: [5, 3], output: 'last' });
    m.trainBatch(x, y, { optimizer: 'adamw', tbptt: 2 });
    m.evaluate(x, y);
    m.inspect(x, y);
    const w = m.getWeights();
    m.setWeights(w);
    const again = rnn.loadModel(m.save({ metadata: 'x'.repeat(100) }));
    again.resetState(2);
    again.step(new Float32Array(4));
    again.dispose();
    try {
      m.setWeights({ ...w, bogus: { shape: [1], data: [1] } });
    } catch (e) {
      assert.equal(e.code, 'SHAPE_MISMATCH');
    }
    try {
      rnn.loadModel(new Uint8Array(64));
    } catch (e) {
      assert.equal(e.code, 'BAD_MODEL_FILE');
    }
    try {
      rnn.createModel({ inputSize: 8192, hiddenSize: [8192, 8192] });
    } catch (e) {
      assert.equal(e.code, 'TOO_LARGE');
    }
    m.dispose();
    const lm = rnn.createModel({ vocabSize: 30, hiddenSize: 6, head: 'softmax', output: 'sequence' });
    lm.generate({ prime: [1, 2], length: 20 });
    lm.nextTokenProbabilities([3]);
    lm.dispose();
    const s2s = rnn.createSeq2Seq({ inputVocab: 7, outputVocab: 6, hiddenSize: 5 });
    s2s.trainBatch({ data: ids(3, 4, 7), shape: [3, 4] }, { data: ids(3, 2, 6), shape: [3, 2] });
    s2s.translate([1, 2, 3], { maxLength: 4 });
    s2s.setWeights(s2s.getWeights());
    rnn.loadSeq2Seq(s2s.save({ metadata: 'm' })).dispose();
    s2s.dispose();
    const series = Float32Array.from({ length: 200 }, (_, i) => Math.sin(i / 5));
    rnn.data.windows(series, { window: 10 });
    rnn.data.split(series, { window: 10 });
    rnn.data.normalizer('minmax').fit(series).inverse(series);
    const v = rnn.data.charVocab(text, { maxSize: 10 });
    v.decode(v.encode(text));
    try {
      rnn.data.parseCsv('date,value\nx,y\n');
    } catch (e) {
      assert.equal(e.code, 'INVALID_CONFIG');
    }
  };
  for (let i = 0; i < 20; i++) round();
  const before = rnn.heapStats();
  for (let i = 0; i < 200; i++) round();
  const after = rnn.heapStats();
  assert.equal(after.memoryBytes, before.memoryBytes);
  assert.ok(after.inUseBytes <= before.inUseBytes + 4096, `in-use bytes grew ${before.inUseBytes} -> ${after.inUseBytes}`);
  assert.equal(after.liveHandles, before.liveHandles);
});

test('forgotten models are freed by the FinalizationRegistry', async () => {
  const base = rnn.heapStats();
  (() => {
    for (let i = 0; i < 20; i++) {
      rnn.createModel({ hiddenSize: 64 });
      rnn.createSeq2Seq({ inputVocab: 50, outputVocab: 50, hiddenSize: 16 });
    }
  })();
  const grown = rnn.heapStats();
  assert.equal(grown.liveHandles, base.liveHandles + 40);
  assert.ok(grown.inUseBytes > base.inUseBytes + 20 * 64 * 64 * 4 * 4);
  for (let i = 0; i < 20 && rnn.heapStats().liveHandles > base.liveHandles; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  const after = rnn.heapStats();
  assert.equal(after.liveHandles, base.liveHandles, 'every forgotten model was finalised');
  assert.ok(after.inUseBytes <= base.inUseBytes + 4096, `${base.inUseBytes} -> ${after.inUseBytes}`);
});

test('scratch is grow-only: after the largest batch, smaller ones neither grow nor reallocate it', () => {
  const m = rnn.createModel({ hiddenSize: 4 });
  const big = batch(512, 64);
  m.trainBatch(big.x, big.y);
  const s1 = rnn.heapStats();
  for (let i = 0; i < 50; i++) {
    const b = batch(1 + (i % 64), 1 + (i % 32));
    m.trainBatch(b.x, b.y);
  }
  const s2 = rnn.heapStats();
  assert.equal(s2.scratchBytes, s1.scratchBytes);
  assert.equal(s2.memoryBytes, s1.memoryBytes);
  assert.ok(s1.scratchBytes >= 512 * 64 * 4);
  m.dispose();
});

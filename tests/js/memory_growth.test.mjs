// A WebAssembly heap grown for one big model: memoryBytes() reports the grown memory (wasm
// memory never shrinks), the big model's bytes go back to malloc when it is disposed, and later
// small models neither fail nor grow the memory again. At the 2 GB ceiling, creating yet another
// model is OUT_OF_MEMORY and the module stays usable. (Its own file: node --test runs each file
// in its own process, and this one leaves a 2 GB heap behind.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batch, load, throwsRnnlab } from './_helpers.mjs';

const rnn = await load();
const MiB = 1024 * 1024;

// ~15.7 M parameters (an embedding of 2^20 x 15 plus a small LSTM), cheap to initialise:
// 63 MB of weights + 63 MB of gradients; one Adam step adds 126 MB of moments.
const BIG = { inputEncoding: 'embedding', vocabSize: 1 << 20, embeddingSize: 15, hiddenSize: 4, outputSize: 1 };

function smallModels(count) {
  const { x, y } = batch(8, 6);
  const out = [];
  for (let i = 0; i < count; i++) {
    const m = rnn.createModel({ cell: ['lstm', 'gru', 'rnn'][i % 3], hiddenSize: 5, seed: i });
    m.trainBatch(x, y);
    out.push(m.predict(x).data[0]);
    m.dispose();
  }
  return out;
}

test('a heap grown for one big model is reported, freed on dispose, and small models still work', () => {
  smallModels(10); // warm up: scratch sized, free lists settled
  const before = rnn.heapStats();
  const reference = smallModels(30);

  const big = rnn.createModel(BIG);
  assert.ok(big.parameterCount > 15e6);
  const ids = { data: Int32Array.from({ length: 8 * 4 }, (_, i) => (i * 104729) % (1 << 20)), shape: [8, 4] };
  big.trainBatch(ids, new Float32Array(8), { optimizer: 'adam' });
  const grown = rnn.heapStats();
  assert.ok(grown.memoryBytes >= before.memoryBytes + 240 * MiB, `memory grew: ${before.memoryBytes} -> ${grown.memoryBytes}`);
  assert.equal(rnn.memoryBytes(), grown.memoryBytes, 'memoryBytes() is the grown size');
  assert.ok(grown.inUseBytes >= big.parameterCount * 4 * 4, 'weights, gradients and Adam moments are in use');
  big.dispose();

  const freed = rnn.heapStats();
  assert.equal(freed.memoryBytes, grown.memoryBytes, 'wasm memory never shrinks, and says so');
  assert.ok(freed.inUseBytes <= before.inUseBytes + 4096, `the big model's bytes went back to malloc: ${before.inUseBytes} -> ${freed.inUseBytes}`);
  // The same small models, bit for bit, without growing the memory again.
  assert.deepEqual(smallModels(30), reference);
  const after = rnn.heapStats();
  assert.equal(after.memoryBytes, grown.memoryBytes);
  assert.ok(after.inUseBytes <= before.inUseBytes + 4096);
  assert.equal(after.liveHandles, before.liveHandles);
});

test('at the 2 GB ceiling another model is OUT_OF_MEMORY, and disposing makes room again', () => {
  const held = [];
  let error;
  try {
    for (let i = 0; i < 40 && !error; i++) {
      try {
        held.push(rnn.createModel(BIG));
      } catch (e) {
        error = e;
      }
    }
    assert.ok(error, `${held.length} big models fit: the heap never ran out`);
    throwsRnnlab(() => { throw error; }, 'OUT_OF_MEMORY');
    assert.match(error.message, /WebAssembly heap could not grow/);
    assert.ok(held.length >= 8, `${held.length} big models before the ceiling`);
    assert.ok(rnn.memoryBytes() <= 2048 * MiB && rnn.memoryBytes() > 1500 * MiB, `${rnn.memoryBytes()}`);
    // Still usable at the ceiling: a small model works, the big ones still predict.
    assert.equal(smallModels(5).length, 5);
    const ids = { data: new Int32Array(4), shape: [2, 2] };
    assert.equal(held[0].predict(ids).data.length, 2);
  } finally {
    for (const m of held) m.dispose();
  }
  // Room again: one more big model fits where the last one did not.
  const again = rnn.createModel(BIG);
  again.dispose();
  assert.equal(rnn.heapStats().liveHandles, 0);
});

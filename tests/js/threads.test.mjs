// The threads build (rnnlab-simd-threads, -pthread): init() picks it where shared memory
// exists (always in Node) and init({ threads }) overrides; training, inference and sampling
// give the bits of one thread; bad thread counts are RnnlabErrors; a script using it ends
// when its work ends (the pool's workers do not hold Node).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { init } from '../../bindings/js/index.js';
import { MAX_THREADS, autoThreads, threadsSupported } from '../../bindings/js/loader.js';
import { rejectsRnnlab } from './_helpers.mjs';

const root = new URL('../../', import.meta.url);
const run = promisify(execFile);

test('dist/wasm ships the threads build, its worker script marked CommonJS', () => {
  for (const f of ['rnnlab-simd-threads.mjs', 'rnnlab-simd-threads.wasm', 'rnnlab-simd-threads.worker.js']) {
    assert.ok(existsSync(new URL(`dist/wasm/${f}`, root)), f);
  }
  assert.deepEqual(JSON.parse(readFileSync(new URL('dist/wasm/package.json', root), 'utf8')), { type: 'commonjs' });
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  assert.ok(pkg.files.includes('dist/wasm/*.worker.js') && pkg.files.includes('dist/wasm/package.json'));
});

test("threads 'auto' in Node: the reported cores, at most 4", async () => {
  assert.equal(threadsSupported(), true);
  const want = Math.min(MAX_THREADS, availableParallelism());
  assert.equal(autoThreads(), want);
  const rnn = await init();
  assert.equal(rnn.threads, want);
  assert.equal(rnn.build.variant, want > 1 ? 'simd-threads' : 'simd');
});

test('init({ threads }) overrides; bad counts are RnnlabErrors', async () => {
  const two = await init({ threads: 2 });
  assert.equal(two.threads, 2);
  assert.equal(two.build.variant, 'simd-threads');
  assert.equal(two.simd, true);
  const one = await init({ threads: 1 });
  assert.equal(one.threads, 1);
  assert.equal(one.build.variant, 'simd');
  assert.notEqual(one, two);
  for (const bad of [0, 5, 1.5, -1, 'two', null]) await rejectsRnnlab(init({ threads: bad }), 'INVALID_CONFIG', 'threads');
  await rejectsRnnlab(init({ threads: 2, simd: false }), 'INVALID_CONFIG', 'threads');
});

/** Trains a few steps, predicts and samples; everything as exact numbers. */
function exercise(rnn, cfg, x, y, B, T) {
  const m = rnn.createModel(cfg);
  try {
    const losses = [];
    for (let i = 0; i < 4; ++i) losses.push(m.trainBatch(x, y, { optimizer: { lr: 0.01 } }));
    const weights = Object.entries(m.getWeights()).map(([name, w]) => [name, Array.from(w.data)]);
    const predicted = Array.from(m.predict(x));
    const sampled = cfg.vocabSize ? Array.from(m.generate({ prime: [1, 2, 3], length: 60, seed: 9 })) : [];
    return { losses, weights, predicted, sampled, B, T };
  } finally {
    m.dispose();
  }
}

test('one and two threads: the same losses, weights, predictions and samples, bit for bit', async () => {
  const one = await init({ threads: 1 });
  const two = await init({ threads: 2 });
  const B = 32, T = 24;
  const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + (i >> 5)) % 65);
  const next = Int32Array.from({ length: B * T }, (_, i) => (i * 11 + 3) % 65);
  // 192 units: batch-1 sampling splits them over the two threads.
  const char = { cell: 'lstm', hiddenSize: 192, vocabSize: 65, outputSize: 65, head: 'softmax', output: 'sequence' };
  const series = { cell: 'gru', hiddenSize: [64, 128], inputSize: 1, outputSize: 1 };
  const xs = Float32Array.from({ length: 64 * T }, (_, i) => Math.sin(i * 0.1));
  const ys = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i * 0.3));
  for (const [cfg, x, y, b] of [[char, { data: ids, shape: [B, T] }, { data: next, shape: [B, T] }, B], [series, { data: xs, shape: [64, T, 1] }, { data: ys, shape: [64, 1] }, 64]]) {
    const a = exercise(one, cfg, x, y, b, T);
    const c = exercise(two, cfg, x, y, b, T);
    assert.ok(a.losses.every(Number.isFinite));
    assert.deepEqual(c.losses, a.losses, `${cfg.cell}: losses`);
    assert.deepEqual(c.weights, a.weights, `${cfg.cell}: weights`);
    assert.deepEqual(c.predicted, a.predicted, `${cfg.cell}: predictions`);
    assert.deepEqual(c.sampled, a.sampled, `${cfg.cell}: samples`);
  }
});

test('a script on the threads build ends when its work ends', async () => {
  const script = `
    import { init } from ${JSON.stringify(new URL('bindings/js/index.js', root).href)};
    const rnn = await init({ threads: 2 });
    const m = rnn.createModel({ cell: 'lstm', hiddenSize: 64, vocabSize: 20, outputSize: 20, head: 'softmax', output: 'sequence' });
    const x = Int32Array.from({ length: 32 * 16 }, (_, i) => i % 20);
    m.trainBatch(x, x);
    console.log(rnn.threads);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 60000 });
  assert.equal(stdout.trim(), '2');
});

test('rnnlab/worker: a worker model says how many threads its core runs; two train as one does', async () => {
  const { createWorkerModel } = await import('../../bindings/js/worker.js');
  const cfg = { cell: 'lstm', hiddenSize: 96, vocabSize: 40, outputSize: 40, head: 'softmax', output: 'sequence', seed: 5 };
  const x = { data: Int32Array.from({ length: 32 * 16 }, (_, i) => (i * 7) % 40), shape: [32, 16] };
  const y = { data: Int32Array.from({ length: 32 * 16 }, (_, i) => (i * 11 + 5) % 40), shape: [32, 16] };
  const losses = {};
  for (const threads of [1, 2]) {
    const m = await createWorkerModel(cfg, { threads });
    try {
      assert.equal(m.threads, threads);
      losses[threads] = [await m.trainBatch(x, y), await m.trainBatch(x, y)];
    } finally {
      await m.dispose();
    }
  }
  assert.ok(losses[1].every(Number.isFinite));
  assert.deepEqual(losses[2], losses[1]);
});

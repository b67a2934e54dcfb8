// The JS API's argument checks under random hostile arguments (a seeded, bounded fuzz of the
// public entry points): every call either works or throws an RnnlabError with a documented
// code other than INTERNAL (which would mean a bug); nothing else escapes (no TypeError from
// inside rnnlab), except a user's own exception thrown by the user's own getter or proxy trap,
// which passes through unchanged. Afterwards the module is intact: no model left alive, the
// wasm heap back where it was, and a model trains bit for bit as it did before the storm.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CODES } from '../../bindings/js/index.js';
import { batch, load, RnnlabError } from './_helpers.mjs';

const rnn = await load();

/** What a user's throwing getter or proxy trap throws: it may pass through rnnlab unchanged. */
class UsersOwnError extends Error {}

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** A random hostile value (depth-limited), built by `r`. */
function hostile(r, depth = 0) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  const kinds = [
    () => pick([undefined, null, true, false, 0, -0, 1, -1, 2, 3, 7, 0.5, -2.5, NaN, Infinity, -Infinity,
      2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, 1e39, -1e-45, 65536, 8193, 1 << 20]),
    () => pick(['', 'lstm', 'gru', 'rnn', 'adam', 'sgd', 'softmax', 'sequence', 'embedding', 'onehot', 'classic',
      '\ud800', 'a\tb\nc=d', '\u0000', 'x'.repeat(5000), '__proto__', 'constructor', 'é😀', '1e3', ' 4 ']),
    () => pick([Symbol('s'), 10n, -1n, () => 1, function named() {}, new Date(0), /re/, new Map(), new Set([1]), new Error('e'), Promise.resolve(1)]),
    () => pick([new Float32Array(0), new Float32Array(7).fill(0.5), new Float64Array([1, NaN]), new Int32Array([1, -1, 2 ** 31 - 1]),
      new Uint8Array(40), new Int8Array(3), new Float32Array([Infinity]), new Uint8ClampedArray(4), new DataView(new ArrayBuffer(8)),
      new ArrayBuffer(16), new BigInt64Array(2), new Float32Array(new ArrayBuffer(64), 4, 3)]),
    () => (depth > 2 ? [] : Array.from({ length: Math.floor(r() * 5) }, () => hostile(r, depth + 1))),
    () => (depth > 2 ? {} : Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [pick(['shape', 'data', 'x', 'y', 'cell', 'hiddenSize', 'epochs', 'foo', 'mask', 'prime']), hostile(r, depth + 1)]))),
    () => ({ shape: hostile(r, depth + 1), data: hostile(r, depth + 1) }),
    () => pick([
      Object.create(null),
      Object.defineProperty({}, 'data', { enumerable: true, get() { throw new UsersOwnError('getter'); } }),
      new Proxy({}, { ownKeys() { throw new UsersOwnError('ownKeys trap'); } }),
      new Proxy([1, 2], { get(t, k) { if (k === 'length') throw new UsersOwnError('length trap'); return Reflect.get(t, k); } }),
      Object.freeze({ shape: [1, 1, 1], data: [0.5] }),
      { length: 3, 0: 1, 1: 2, 2: 3 },
      [[1, 2], [3]],
      [[[0.5]], [[0.25], [0.75]]],
    ]),
  ];
  return pick(kinds)();
}

/** A valid-looking argument with one random part replaced by a hostile value. */
function mutate(r, valid) {
  if (r() < 0.25) return hostile(r);
  if (valid === null || typeof valid !== 'object' || ArrayBuffer.isView(valid)) return r() < 0.5 ? hostile(r) : valid;
  const copy = Array.isArray(valid) ? [...valid] : { ...valid };
  const keys = Object.keys(copy);
  const roll = r();
  if (roll < 0.15) copy[['bogus', 'hiddenSizes', 'lr', 'epoch'][Math.floor(r() * 4)]] = hostile(r);
  else if (roll < 0.3 && keys.length) delete copy[keys[Math.floor(r() * keys.length)]];
  else if (keys.length) {
    const k = keys[Math.floor(r() * keys.length)];
    copy[k] = r() < 0.5 ? hostile(r) : mutate(r, copy[k]);
  }
  return copy;
}

const features = batch(4, 5, 2, 1);
const tokenX = { data: new Int32Array([1, 2, 3, 4, 0, 1, 2, 3]), shape: [2, 4] };
const VALID = {
  modelOptions: { cell: 'gru', inputSize: 2, hiddenSize: [3, 2], outputSize: 1, seed: 1, dropout: 0.1 },
  tokenOptions: { cell: 'lstm', inputEncoding: 'embedding', vocabSize: 5, hiddenSize: 3, outputSize: 5, head: 'softmax', output: 'sequence' },
  seq2seqOptions: { cell: 'gru', inputVocab: 5, outputVocab: 4, hiddenSize: 3 },
  trainOptions: { optimizer: { name: 'adam', lr: 0.01 }, clipNorm: 1, loss: 'mse', tbptt: 2 },
  fitOptions: { epochs: 1, batchSize: 2, validationSplit: 0.25, shuffle: true, seed: 3 },
  generateOptions: { prime: [1, 2], length: 4, temperature: 0.8, topK: 3, topP: 0.9, seed: 2 },
};

let calls = 0, refused = 0;
const codes = new Map();

/** Runs one call: it works or refuses properly; anything else fails the test with the arguments. */
async function probe(what, args, fn) {
  calls++;
  try {
    const out = fn();
    if (out && typeof out.then === 'function') await out;
  } catch (e) {
    if (e instanceof UsersOwnError) return;
    const text = (a) => {
      try {
        return typeof a === 'symbol' || typeof a === 'bigint' ? String(a) : JSON.stringify(a)?.slice(0, 200);
      } catch {
        return '(unprintable)';
      }
    };
    const show = () => `${what}(${args.map(text).join(', ')})`;
    assert.ok(e instanceof RnnlabError, `${show()} threw ${e?.constructor?.name}: ${e?.message}\n${e?.stack}`);
    assert.ok(ERROR_CODES.includes(e.code), `${show()}: undocumented code ${e.code}`);
    assert.notEqual(e.code, 'INTERNAL', `${show()}: ${e.message}`);
    assert.equal(typeof e.field, 'string');
    refused++;
    codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
  }
}

test('hostile arguments to every entry point: refused with an RnnlabError or accepted, never a crash', async () => {
  const r = rng(20240610);
  const reference = rnn.createModel(VALID.modelOptions);
  const refX = features.x, refY = features.y;
  const refLoss = reference.trainBatch(refX, refY);
  reference.dispose();
  const before = rnn.heapStats();
  const m = rnn.createModel(VALID.modelOptions);
  const lm = rnn.createModel(VALID.tokenOptions);
  const s2s = rnn.createSeq2Seq(VALID.seq2seqOptions);
  const weights = m.getWeights();
  const file = m.save({ metadata: 'm' });
  const ROUNDS = 1000;
  for (let i = 0; i < ROUNDS; i++) {
    const made = [];
    const keep = (x) => (x && typeof x.dispose === 'function' ? made.push(x) : undefined, x);
    await probe('createModel', [], () => keep(rnn.createModel(mutate(r, VALID.modelOptions))));
    await probe('createModel', [], () => keep(rnn.createModel(hostile(r))));
    await probe('createSeq2Seq', [], () => keep(rnn.createSeq2Seq(mutate(r, VALID.seq2seqOptions))));
    const x = mutate(r, features.x), y = mutate(r, features.y), o = mutate(r, VALID.trainOptions);
    await probe('trainBatch', [x, y, o], () => m.trainBatch(x, y, o));
    await probe('evaluate', [x, y], () => m.evaluate(x, y, mutate(r, { loss: 'huber', huberDelta: 0.5 })));
    await probe('predict', [x], () => m.predict(x));
    await probe('inspect', [x], () => m.inspect(x, r() < 0.5 ? y : undefined));
    const fo = mutate(r, VALID.fitOptions);
    await probe('fit', [x, y, fo], () => m.fit(mutate(r, { x: features.x, y: features.y }), fo));
    await probe('resetState', [], () => m.resetState(hostile(r)));
    await probe('step', [], () => m.step(mutate(r, new Float32Array(2))));
    await probe('forecast', [], () => m.forecast(mutate(r, new Float32Array(10)), hostile(r)));
    const w = mutate(r, weights);
    await probe('setWeights', [w], () => m.setWeights(w));
    await probe('save', [], () => m.save(mutate(r, { metadata: 'meta' })));
    const bytes = r() < 0.5 ? hostile(r) : file.map((b, k) => (r() < 0.01 ? Math.floor(r() * 256) : b));
    await probe('loadModel', [typeof bytes], () => keep(rnn.loadModel(bytes)));
    await probe('loadSeq2Seq', [typeof bytes], () => keep(rnn.loadSeq2Seq(bytes)));
    await probe('generate', [], () => lm.generate(mutate(r, VALID.generateOptions)));
    await probe('nextTokenProbabilities', [], () => lm.nextTokenProbabilities(mutate(r, [1, 2]), mutate(r, { temperature: 1 })));
    await probe('lm.trainBatch', [], () => lm.trainBatch(mutate(r, tokenX), mutate(r, tokenX)));
    await probe('lm.step', [], () => lm.step(mutate(r, [1, 2])));
    await probe('s2s.trainBatch', [], () => s2s.trainBatch(mutate(r, tokenX), mutate(r, { data: new Int32Array([1, 2, 3, 0]), shape: [2, 2] })));
    await probe('s2s.translate', [], () => s2s.translate(mutate(r, [1, 2, 3]), mutate(r, { maxLength: 3, stopToken: 0 })));
    await probe('s2s.setWeights', [], () => s2s.setWeights(mutate(r, s2s.getWeights())));
    const series = mutate(r, Float32Array.from({ length: 40 }, (_, k) => Math.sin(k)));
    await probe('data.windows', [], () => rnn.data.windows(series, mutate(r, { window: 4, horizon: 2, stride: 1 })));
    await probe('data.split', [], () => rnn.data.split(series, mutate(r, { window: 4, validationFraction: 0.25, normalization: 'zscore' })));
    await probe('data.normalizer', [], () => rnn.data.normalizer(mutate(r, 'minmax')).fit(series).transform(mutate(r, series)));
    await probe('data.charVocab', [], () => rnn.data.charVocab(mutate(r, 'hello world'), mutate(r, { maxSize: 4, fallback: '?', reserveFallback: true })).encode(mutate(r, 'held')));
    await probe('data.charVocab(json)', [], () => rnn.data.charVocab(mutate(r, { symbols: 'abc', fallbackId: 1 })).decode(mutate(r, [0, 1, 2])));
    await probe('data.parseCsv', [], () => rnn.data.parseCsv(mutate(r, 'date,value\n2000,1\n2001,2\n')));
    for (const x of made) x.dispose();
  }
  console.log(`${calls} calls with hostile arguments: ${calls - refused} accepted, ${refused} refused (${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')})`);
  m.dispose();
  lm.dispose();
  s2s.dispose();
  // The module is intact: nothing left alive, the heap where it was, and the same training.
  // (The scratch buffer that carries inputs is grow-only: the storm's largest input sized it.)
  const after = rnn.heapStats();
  assert.equal(after.liveHandles, before.liveHandles);
  const held = (h) => h.inUseBytes - h.scratchBytes;
  assert.ok(held(after) <= held(before) + 4096, `bytes in use besides scratch: ${held(before)} -> ${held(after)}`);
  const again = rnn.createModel(VALID.modelOptions);
  assert.equal(again.trainBatch(refX, refY), refLoss);
  again.dispose();
  assert.equal(calls, ROUNDS * 28);
});

test('hostile arguments through rnnlab/worker: refused with an RnnlabError, and the worker keeps working', async () => {
  const { createWorkerModel } = await import('../../bindings/js/worker.js');
  const r = rng(77);
  const simd = process.env.RNNLAB_TEST_SIMD === '0' ? false : 'auto';
  const wm = await createWorkerModel(VALID.modelOptions, { simd });
  calls = 0;
  for (let i = 0; i < 100; i++) {
    const x = mutate(r, features.x), y = mutate(r, features.y);
    await probe('worker.trainBatch', [x, y], () => wm.trainBatch(x, y, mutate(r, VALID.trainOptions)));
    await probe('worker.predict', [x], () => wm.predict(x));
    await probe('worker.fit', [x, y], () => wm.fit(mutate(r, { x: features.x, y: features.y }), mutate(r, VALID.fitOptions)));
    await probe('worker.setWeights', [], () => wm.setWeights(hostile(r)));
    await probe('worker.save', [], () => wm.save(mutate(r, { metadata: 'm' })));
    await probe('createWorkerModel', [], async () => (await createWorkerModel(hostile(r), { simd })).dispose());
  }
  const p = await wm.predict(features.x);
  assert.equal(p.data.length, 4);
  await wm.dispose();
  assert.equal(calls, 600);
});

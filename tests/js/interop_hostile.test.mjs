// The ONNX and Keras readers under hostile input (a seeded, bounded fuzz in the style of
// hostile.test.mjs; the C++ parsers have libFuzzer targets, these readers are JS): thousands of
// mutated, truncated, spliced and random byte arrays through rnn.loadOnnx, and mutated
// model.json trees and weight bytes through rnn.loadKeras. Every call resolves with a working
// model or rejects with an RnnlabError of a documented code other than INTERNAL; nothing else
// escapes, nothing is left alive, and the module still trains afterwards.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES } from '../../bindings/js/index.js';
import { load, RnnlabError } from './_helpers.mjs';

const rnn = await load();

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** Counts outcomes; fails on anything but a model or a documented RnnlabError. */
async function attempt(promise, tally, what) {
  try {
    const m = await promise;
    assert.ok(m && typeof m.predict === 'function', `${what}: resolved with ${m}`);
    m.dispose();
    tally.loaded++;
  } catch (e) {
    if (!(e instanceof RnnlabError)) throw new Error(`${what}: a ${e?.constructor?.name} escaped: ${e?.message}`, { cause: e });
    assert.ok(ERROR_CODES.includes(e.code), `${what}: undocumented code ${e.code}`);
    assert.notEqual(e.code, 'INTERNAL', `${what}: ${e.message}`);
    tally.refused.set(e.code, (tally.refused.get(e.code) ?? 0) + 1);
  }
}

/** One random mutation of `src`. */
function mutate(src, r) {
  const b = Uint8Array.from(src);
  const pick = Math.floor(r() * 7);
  const at = () => Math.floor(r() * b.length);
  switch (pick) {
    case 0: for (let k = 1 + Math.floor(r() * 4); k > 0; k--) b[at()] ^= 1 << Math.floor(r() * 8); return b;
    case 1: for (let k = 1 + Math.floor(r() * 4); k > 0; k--) b[at()] = [0, 0xff, 0x7f, 0x80, 0x08, 0x12][Math.floor(r() * 6)]; return b;
    case 2: return b.subarray(0, at());
    case 3: return b.subarray(at());
    case 4: { // splice in random bytes
      const i = at();
      const junk = Uint8Array.from({ length: 1 + Math.floor(r() * 16) }, () => Math.floor(r() * 256));
      const out = new Uint8Array(b.length + junk.length);
      out.set(b.subarray(0, i));
      out.set(junk, i);
      out.set(b.subarray(i), i + junk.length);
      return out;
    }
    case 5: { // duplicate a slice (repeated fields, overlong lengths)
      const i = at();
      const j = Math.min(b.length, i + Math.floor(r() * 64));
      const out = new Uint8Array(b.length + (j - i));
      out.set(b.subarray(0, j));
      out.set(b.subarray(i), j);
      return out;
    }
    default: return Uint8Array.from({ length: Math.floor(r() * 512) }, () => Math.floor(r() * 256));
  }
}

const CONFIGS = [
  { cell: 'lstm', inputSize: 2, hiddenSize: [3, 2], outputSize: 2 },
  { cell: 'gru', vocabSize: 5, embeddingSize: 3, hiddenSize: 3, head: 'softmax', output: 'sequence' },
  { cell: 'gru', gruVariant: 'classic', vocabSize: 4, inputEncoding: 'onehot', hiddenSize: 2 },
  { cell: 'rnn', inputSize: 1, hiddenSize: 2 },
];

test('loadOnnx: 4,000 mutated, truncated and random byte arrays give a model or an RnnlabError', async () => {
  const seeds = [];
  for (const c of CONFIGS) {
    const m = rnn.createModel(c);
    seeds.push(await m.exportOnnx(), await m.exportOnnx({ state: true }));
    m.dispose();
  }
  seeds.push(readFileSync(new URL('../fixtures/interop/torch_lstm_embedding_last_stacked.onnx', import.meta.url)));
  const r = rng(16);
  const tally = { loaded: 0, refused: new Map() };
  for (let i = 0; i < 4000; i++) {
    const src = seeds[i % seeds.length];
    let bytes = mutate(src, r);
    if (r() < 0.3) bytes = mutate(bytes, r);
    await attempt(rnn.loadOnnx(r() < 0.5 ? bytes : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), tally, `case ${i}`);
  }
  console.log(`loadOnnx: ${tally.loaded} loaded, refused: ${JSON.stringify(Object.fromEntries(tally.refused))}`);
  assert.ok(tally.refused.get('BAD_MODEL_FILE') > 1000);
  assert.equal(rnn.heapStats().liveHandles, 0);
});

test('loadOnnx: bytes that are not a protobuf message are refused as not an ONNX model', async () => {
  const cases = [
    Uint8Array.of(0x00, 0x01, 0x02, 0x03), // field number 0
    new TextEncoder().encode('{"format": "layers-model"}'), // a model.json, not an .onnx
    Uint8Array.of(0x0f), // wire type 7
    Uint8Array.of(0x08), // a varint cut short
  ];
  for (const bytes of cases) {
    await assert.rejects(rnn.loadOnnx(bytes), (e) => {
      assert.ok(e instanceof RnnlabError);
      assert.equal(e.code, 'BAD_MODEL_FILE');
      assert.equal(e.field, 'model');
      assert.match(e.message, /^model: these bytes are not an ONNX model \(not a protobuf message: it (has|uses|is) /);
      return true;
    });
  }
  // A protobuf message without a graph is not one either.
  await assert.rejects(rnn.loadOnnx(Uint8Array.of(0x08, 0x07)), /^RnnlabError: model.graph: is missing: these bytes are not an ONNX model$/);
  assert.equal(rnn.heapStats().liveHandles, 0);
});

/** A random hostile JSON value. */
function junk(r, depth = 0) {
  const kinds = [
    () => [null, true, false, 0, -1, 1, 2.5, 1e9, -1e308, NaN, 2 ** 31][Math.floor(r() * 11)],
    () => ['', 'LSTM', 'GRU', 'SimpleRNN', 'Dense', 'softmax', 'sigmoid', 'hard_sigmoid', 'tanh', 'float16', '__proto__', 'constructor', 'toString', 'x'.repeat(300)][Math.floor(r() * 14)],
    () => (depth > 2 ? [] : Array.from({ length: Math.floor(r() * 4) }, () => junk(r, depth + 1))),
    () => (depth > 2 ? {} : Object.fromEntries(Array.from({ length: Math.floor(r() * 3) }, () => [['name', 'units', 'shape', 'config', 'class_name', 'weights', 'dtype', 'layers', '__proto__'][Math.floor(r() * 9)], junk(r, depth + 1)]))),
  ];
  return kinds[Math.floor(r() * kinds.length)]();
}

/** Replaces one random node of a JSON tree by junk. */
function mutateTree(tree, r) {
  const copy = structuredClone(tree);
  let node = copy;
  for (let depth = 0; depth < 8; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[Math.floor(r() * keys.length)];
    if (r() < 0.3 || node[k] === null || typeof node[k] !== 'object') {
      if (r() < 0.2) delete node[k];
      else node[k] = junk(r);
      return copy;
    }
    node = node[k];
  }
  return copy;
}

test('loadKeras: 2,500 mutated model.json trees, texts and weight bytes give a model or an RnnlabError', async () => {
  const seeds = [];
  for (const c of CONFIGS) {
    const m = rnn.createModel(c);
    seeds.push(await m.exportKeras());
    m.dispose();
  }
  const r = rng(61);
  const tally = { loaded: 0, refused: new Map() };
  for (let i = 0; i < 2500; i++) {
    const s = seeds[i % seeds.length];
    const kind = i % 5;
    let json = s.modelJson;
    let weights = s.weights;
    if (kind <= 1) for (let k = 1 + Math.floor(r() * 3); k > 0; k--) json = mutateTree(json, r);
    else if (kind === 2) weights = mutate(s.weights, r);
    else if (kind === 3) {
      const text = JSON.stringify(json);
      const cut = Math.floor(r() * text.length);
      json = r() < 0.5 ? text.slice(0, cut) : text.slice(0, cut) + String.fromCharCode(Math.floor(r() * 128)) + text.slice(cut + 1);
    } else {
      json = junk(r);
      weights = r() < 0.5 ? junk(r) : mutate(s.weights, r);
    }
    await attempt(rnn.loadKeras(json, weights), tally, `case ${i}`);
  }
  console.log(`loadKeras: ${tally.loaded} loaded, refused: ${JSON.stringify(Object.fromEntries(tally.refused))}`);
  assert.ok(tally.refused.get('BAD_MODEL_FILE') > 500);
  assert.equal(rnn.heapStats().liveHandles, 0);
  // The module still works.
  const m = rnn.createModel({ cell: 'lstm', inputSize: 1, hiddenSize: 4 });
  const loss = m.trainBatch(new Float32Array([1, 2, 3]), new Float32Array([1]));
  assert.ok(Number.isFinite(loss));
  m.dispose();
});

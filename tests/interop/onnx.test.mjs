// rnnlab -> ONNX, checked by ONNX's own checker (python3-onnx) and run by onnxruntime-node:
// every variant of the matrix gives predict()'s outputs (batch 1 and 7, sequence 1 and 50),
// and a graph with state inputs carries h/c across chunks as step() does. Then ONNX -> rnnlab
// gives back the same configuration and bit-identical weights.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { init } from '../../bindings/js/index.js';
import { assertSameWeights, inputFor, matrix, python, relativeError, runtime, shapeOf } from './_interop.mjs';

const ort = runtime('onnxruntime-node');
const rnn = await init({ simd: 'auto' });
const TOLERANCE = 1e-5;

/** Runs an ONNX model in onnxruntime on rnnlab-style inputs. */
async function run(session, x, extra = {}) {
  const feeds = { x: x.data instanceof Int32Array ? new ort.Tensor('int32', x.data, x.shape) : new ort.Tensor('float32', x.data, x.shape) };
  for (const [k, v] of Object.entries(extra)) feeds[k] = v;
  return session.run(feeds);
}

const describeConfig = (c) => `${c.cell}${c.gruVariant ? `/${c.gruVariant}` : ''} ${c.inputEncoding ?? (c.vocabSize ? 'embedding' : 'features')} ${c.output} ${c.head} [${c.hiddenSize}]`;

test('every exported variant passes onnx.checker (full check) and declares opset 14, IR 8, layout 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-onnx-'));
  try {
    const files = [];
    for (const [i, c] of matrix().entries()) {
      const m = rnn.createModel(c);
      for (const state of [false, true]) {
        const file = join(dir, `m${i}_${state}.onnx`);
        writeFileSync(file, await m.exportOnnx({ state }));
        files.push(file);
      }
      m.dispose();
    }
    const report = python(['-c', `
import sys, json, onnx
out = []
for f in sys.argv[1:]:
    m = onnx.load(f)
    onnx.checker.check_model(m, full_check=True)
    rec = [n for n in m.graph.node if n.op_type in ('RNN', 'LSTM', 'GRU')]
    out.append({'ir': m.ir_version, 'opset': [o.version for o in m.opset_import if o.domain in ('', 'ai.onnx')][0],
      'layouts': [[a.i for a in n.attribute if a.name == 'layout'][0] for n in rec], 'layers': len(rec),
      'inputs': [i.name for i in m.graph.input], 'outputs': [o.name for o in m.graph.output],
      'x': [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]})
print(json.dumps(out))
`, ...files]);
    const rows = JSON.parse(report);
    assert.equal(rows.length, files.length);
    for (const r of rows) {
      assert.equal(r.ir, 8);
      assert.equal(r.opset, 14);
      assert.ok(r.layouts.every((l) => l === 0));
      assert.equal(r.inputs[0], 'x');
      assert.equal(r.outputs[0], 'y');
      assert.deepEqual(r.x.slice(0, 2), ['batch', 'sequence']);
    }
    // One node per layer.
    assert.deepEqual(rows.filter((_, i) => i % 2 === 0).map((r) => r.layers), matrix().map((c) => c.hiddenSize.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('onnxruntime runs every variant to predict()\'s outputs (batch 1 and 7, sequence 1 and 50)', async () => {
  let worst = 0;
  for (const c of matrix()) {
    const m = rnn.createModel(c);
    const session = await ort.InferenceSession.create(await m.exportOnnx());
    for (const [B, T] of [[1, 1], [1, 50], [7, 1], [7, 50]]) {
      const x = inputFor(c, B, T);
      const want = m.predict(x);
      const got = (await run(session, x)).y;
      assert.deepEqual(got.dims, want.shape, `${describeConfig(c)} B=${B} T=${T}: shape`);
      const e = relativeError(got.data, want.data);
      assert.ok(e <= TOLERANCE, `${describeConfig(c)} B=${B} T=${T}: relative error ${e}`);
      worst = Math.max(worst, e);
    }
    await session.release();
    m.dispose();
  }
  console.log(`worst relative error onnxruntime vs predict over ${matrix().length} variants x 4 shapes: ${worst.toExponential(2)}`);
});

test('with state inputs, chunks carry h (and c) as step() does, and chunked runs equal one run', async () => {
  for (const c of matrix().filter((_, i) => i % 3 !== 2)) {
    const m = rnn.createModel(c);
    const session = await ort.InferenceSession.create(await m.exportOnnx({ state: true }));
    const B = 3;
    const T1 = 4, T2 = 5;
    const x1 = inputFor(c, B, T1, 2);
    const x2 = inputFor(c, B, T2, 3);
    const lstm = c.cell === 'lstm';
    const zeros = {};
    c.hiddenSize.forEach((H, k) => {
      zeros[`h0_l${k}`] = new ort.Tensor('float32', new Float32Array(B * H), [B, H]);
      if (lstm) zeros[`c0_l${k}`] = new ort.Tensor('float32', new Float32Array(B * H), [B, H]);
    });
    const r1 = await run(session, x1, zeros);
    // Zero initial state: the same as predict().
    assert.ok(relativeError(r1.y.data, m.predict(x1).data) <= TOLERANCE, `${describeConfig(c)}: zero state`);
    const carried = {};
    c.hiddenSize.forEach((_, k) => {
      carried[`h0_l${k}`] = r1[`hn_l${k}`];
      if (lstm) carried[`c0_l${k}`] = r1[`cn_l${k}`];
    });
    const r2 = await run(session, x2, carried);
    // rnnlab's carried state: step() over both chunks.
    m.resetState(B);
    const steps = [];
    const per = c.vocabSize !== undefined ? 1 : c.inputSize;
    for (const [x, T] of [[x1, T1], [x2, T2]]) {
      for (let t = 0; t < T; t++) {
        const row = new (x.data.constructor)(B * per);
        for (let b = 0; b < B; b++) row.set(x.data.subarray((b * T + t) * per, (b * T + t + 1) * per), b * per);
        steps.push(m.step(row));
      }
    }
    const O = c.outputSize;
    const second = steps.slice(T1);
    const want = c.output === 'last' ? second[T2 - 1]
      : Float32Array.from({ length: B * T2 * O }, (_, i) => second[Math.floor(i / O) % T2][Math.floor(i / (T2 * O)) * O + (i % O)]);
    const e = relativeError(r2.y.data, want);
    assert.ok(e <= TOLERANCE, `${describeConfig(c)}: carried state vs step(): ${e}`);
    // One run over the whole sequence ends in the same state as the two chunks.
    const whole = { data: new (x1.data.constructor)(x1.data.length + x2.data.length), shape: [B, T1 + T2, ...x1.shape.slice(2)] };
    for (let b = 0; b < B; b++) {
      whole.data.set(x1.data.subarray(b * T1 * per, (b + 1) * T1 * per), b * (T1 + T2) * per);
      whole.data.set(x2.data.subarray(b * T2 * per, (b + 1) * T2 * per), (b * (T1 + T2) + T1) * per);
    }
    const r = await run(session, whole, zeros);
    const L = c.hiddenSize.length - 1;
    assert.ok(relativeError(r2[`hn_l${L}`].data, r[`hn_l${L}`].data) <= TOLERANCE, `${describeConfig(c)}: final state`);
    await session.release();
    m.dispose();
  }
});

test('rnnlab -> ONNX -> rnnlab gives the same configuration and bit-identical weights', async () => {
  for (const c of matrix()) {
    const m = rnn.createModel(c);
    for (const state of [false, true]) {
      const back = await rnn.loadOnnx(await m.exportOnnx({ state }));
      assert.deepEqual(shapeOf(back.config), shapeOf(m.config), describeConfig(c));
      assertSameWeights(m.getWeights(), back.getWeights(), describeConfig(c));
      back.dispose();
    }
    m.dispose();
  }
});

test('exportOnnx checks its options and a disposed model rejects', async () => {
  const m = rnn.createModel({ cell: 'gru', inputSize: 2, hiddenSize: 3 });
  await assert.rejects(m.exportOnnx({ stat: true }), (e) => e.code === 'INVALID_CONFIG');
  await assert.rejects(m.exportOnnx({ state: 'yes' }), (e) => e.code === 'INVALID_CONFIG' || e.code === 'INVALID_ARGUMENT');
  m.dispose();
  await assert.rejects(m.exportOnnx(), (e) => e.code === 'DISPOSED');
  await assert.rejects(m.exportKeras(), (e) => e.code === 'DISPOSED');
});

test('Seq2Seq exports its encoder and decoder; chained in onnxruntime they translate as translate() does', async () => {
  for (const c of [{ cell: 'lstm', inputVocab: 7, outputVocab: 6, hiddenSize: [8, 5] }, { cell: 'gru', inputVocab: 5, outputVocab: 9, hiddenSize: 6, gruVariant: 'classic' }, { cell: 'rnn', inputVocab: 4, outputVocab: 5, hiddenSize: 7 }]) {
    const s2s = rnn.createSeq2Seq({ ...c, seed: 5 });
    const { encoder, decoder, startToken, chaining } = await s2s.exportOnnx();
    assert.equal(startToken, c.outputVocab);
    assert.match(chaining, /h0_l<k>/);
    const dir = mkdtempSync(join(tmpdir(), 'rnnlab-s2s-'));
    try {
      writeFileSync(join(dir, 'e.onnx'), encoder);
      writeFileSync(join(dir, 'd.onnx'), decoder);
      python(['-c', 'import sys, onnx\nfor f in sys.argv[1:]: onnx.checker.check_model(onnx.load(f), full_check=True)', join(dir, 'e.onnx'), join(dir, 'd.onnx')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const enc = await ort.InferenceSession.create(encoder);
    const dec = await ort.InferenceSession.create(decoder);
    const B = 3, Ts = 5, steps = 6;
    const source = Int32Array.from({ length: B * Ts }, (_, i) => (i * 5 + 3) % c.inputVocab);
    const e = await enc.run({ source: new ort.Tensor('int32', source, [B, Ts]) });
    const layers = Array.isArray(c.hiddenSize) ? c.hiddenSize.length : 1;
    let state = {};
    for (let k = 0; k < layers; k++) {
      state[`h0_l${k}`] = e[`hn_l${k}`];
      if (c.cell === 'lstm') state[`c0_l${k}`] = e[`cn_l${k}`];
    }
    let token = new Int32Array(B).fill(startToken);
    const out = new Int32Array(B * steps);
    for (let t = 0; t < steps; t++) {
      const r = await dec.run({ x: new ort.Tensor('int32', token, [B, 1]), ...state });
      const V = c.outputVocab;
      token = Int32Array.from({ length: B }, (_, b) => {
        const p = r.y.data.subarray(b * V, (b + 1) * V);
        let best = 0;
        for (let v = 1; v < V; v++) if (p[v] > p[best]) best = v;
        return best;
      });
      token.forEach((v, b) => { out[b * steps + t] = v; });
      state = {};
      for (let k = 0; k < layers; k++) {
        state[`h0_l${k}`] = r[`hn_l${k}`];
        if (c.cell === 'lstm') state[`c0_l${k}`] = r[`cn_l${k}`];
      }
    }
    const want = s2s.translate({ data: source, shape: [B, Ts] }, { maxLength: steps });
    assert.deepEqual(Array.from(out), Array.from(want.data), `${c.cell}: greedy translation`);
    await enc.release();
    await dec.release();
    s2s.dispose();
  }
});

test('rnnlab/worker: a worker model exports ONNX and Keras with the worker\'s weights', async () => {
  const { createWorkerModel } = await import('../../bindings/js/worker.js');
  const wm = await createWorkerModel({ cell: 'gru', gruVariant: 'classic', inputSize: 2, hiddenSize: [3, 4], seed: 9 });
  try {
    const weights = await wm.getWeights();
    const fromOnnx = await rnn.loadOnnx(await wm.exportOnnx({ state: true }));
    assertSameWeights(weights, fromOnnx.getWeights(), 'worker ONNX');
    const k = await wm.exportKeras();
    const fromKeras = await rnn.loadKeras(k.modelJson, k.weights);
    assertSameWeights(weights, fromKeras.getWeights(), 'worker Keras');
    await assert.rejects(wm.exportOnnx({ state: 1 }), (e) => e.name === 'RnnlabError');
    fromOnnx.dispose();
    fromKeras.dispose();
  } finally {
    await wm.dispose();
  }
});

// ONNX -> rnnlab: files torch.onnx.export wrote (tests/fixtures/interop, made by
// make_onnx_fixtures.py) load and predict PyTorch's outputs; what rnnlab does not compute is
// refused naming the node and the attribute; an imported model trains, saves and exports again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { init, RnnlabError } from '../../bindings/js/index.js';
import { decodeModel, encodeModel } from '../../bindings/js/interop/onnx_proto.js';
import { assertSameWeights, inputFor, relativeError, runtime, shapeOf } from './_interop.mjs';

const rnn = await init({ simd: 'auto' });
const fixture = (name) => new URL(`../fixtures/interop/${name}`, import.meta.url);

const TORCH = [
  ['torch_lstm_features_last', { cell: 'lstm', inputEncoding: 'features', inputSize: 3, hiddenSize: [5], outputSize: 2, output: 'last', head: 'linear' }],
  ['torch_gru_embedding_sequence_softmax', { cell: 'gru', gruVariant: 'pytorch', inputEncoding: 'embedding', vocabSize: 9, embeddingSize: 4, hiddenSize: [6, 6], outputSize: 3, output: 'sequence', head: 'softmax' }],
  ['torch_rnn_features_sequence', { cell: 'rnn', inputEncoding: 'features', inputSize: 2, hiddenSize: [4], outputSize: 1, output: 'sequence', head: 'linear' }],
  ['torch_lstm_embedding_last_stacked', { cell: 'lstm', inputEncoding: 'embedding', vocabSize: 6, embeddingSize: 3, hiddenSize: [4, 4], outputSize: 2, output: 'last', head: 'linear' }],
  ['torch_gru_features_last', { cell: 'gru', gruVariant: 'pytorch', inputEncoding: 'features', inputSize: 2, hiddenSize: [3], outputSize: 2, output: 'last', head: 'linear' }],
];

test('files written by torch.onnx.export load and predict what PyTorch computed', async () => {
  for (const [name, config] of TORCH) {
    const m = await rnn.loadOnnx(readFileSync(fixture(`${name}.onnx`)));
    assert.deepEqual(shapeOf(m.config), config, name);
    const f = JSON.parse(readFileSync(fixture(`${name}.json`), 'utf8'));
    const x = { data: config.inputEncoding === 'features' ? Float32Array.from(f.x.data) : Int32Array.from(f.x.data), shape: f.x.shape };
    const y = m.predict(x);
    assert.deepEqual(y.shape, f.y.shape, name);
    const e = relativeError(y.data, f.y.data);
    assert.ok(e <= 1e-5, `${name}: relative error ${e} against PyTorch`);
    m.dispose();
  }
});

test('an imported torch model runs in onnxruntime as rnnlab runs it (and as its re-export)', async () => {
  const ort = runtime('onnxruntime-node');
  for (const [name, config] of TORCH) {
    const bytes = readFileSync(fixture(`${name}.onnx`));
    const m = await rnn.loadOnnx(bytes);
    for (const file of [bytes, await m.exportOnnx()]) {
      const session = await ort.InferenceSession.create(file);
      const x = inputFor(config, 4, 9);
      const ids = x.data instanceof Int32Array;
      // torch's graph takes int64 ids, rnnlab's int32.
      const feed = !ids ? new ort.Tensor('float32', x.data, x.shape)
        : file === bytes ? new ort.Tensor('int64', BigInt64Array.from(x.data, (v) => BigInt(v)), x.shape) : new ort.Tensor('int32', x.data, x.shape);
      const got = (await session.run({ x: feed })).y;
      const e = relativeError(got.data, m.predict(x).data);
      assert.ok(e <= 1e-5, `${name}: onnxruntime vs rnnlab ${e}`);
      await session.release();
    }
    m.dispose();
  }
});

/** A valid rnnlab export, decoded, changed by `edit`, encoded again. */
async function mutated(config, edit) {
  const m = rnn.createModel(config);
  const model = decodeModel(await m.exportOnnx());
  m.dispose();
  edit(model.graph);
  return encodeModel(model);
}
const cellNode = (g) => g.nodes.find((n) => ['RNN', 'LSTM', 'GRU'].includes(n.opType));

/** loadOnnx rejects with BAD_MODEL_FILE whose field names the node and the attribute. */
async function refused(bytes, field, message) {
  let error;
  try {
    await rnn.loadOnnx(bytes);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof RnnlabError, `expected an RnnlabError, got ${error}`);
  assert.equal(error.code, 'BAD_MODEL_FILE', error.message);
  assert.match(error.field, field, error.message);
  if (message) assert.match(error.message, message);
}

test('what rnnlab does not compute is refused, naming the node and the attribute', async () => {
  const lstm = { cell: 'lstm', inputSize: 2, hiddenSize: 3 };
  const gru = { cell: 'gru', inputSize: 2, hiddenSize: 3 };
  // A real bidirectional export from torch.
  await refused(readFileSync(fixture('torch_lstm_bidirectional.onnx')), /^node '.*LSTM.*' \(LSTM\) attribute direction$/, /bidirectional/);
  await refused(await mutated(lstm, (g) => cellNode(g).attributes.push({ name: 'direction', type: 'string', value: 'reverse' })), /attribute direction$/);
  await refused(await mutated(lstm, (g) => cellNode(g).attributes.push({ name: 'clip', type: 'float', value: 3 })), /\(LSTM\) attribute clip$/);
  await refused(await mutated(lstm, (g) => cellNode(g).attributes.push({ name: 'input_forget', type: 'int', value: 1 })), /\(LSTM\) attribute input_forget$/);
  await refused(await mutated(gru, (g) => cellNode(g).attributes.push({ name: 'activations', type: 'strings', value: ['Sigmoid', 'Relu'] })), /\(GRU\) attribute activations$/, /Relu/);
  await refused(await mutated(gru, (g) => cellNode(g).attributes.push({ name: 'activation_alpha', type: 'floats', value: [1] })), /attribute activation_alpha$/);
  await refused(await mutated(gru, (g) => { cellNode(g).attributes.find((a) => a.name === 'layout').value = 1; }), /attribute layout$/);
  // Peepholes: the LSTM's 8th input P.
  await refused(await mutated(lstm, (g) => {
    g.initializers.push({ name: 'P', dataType: 1, dims: [1, 9], data: new Float32Array(9) });
    const n = cellNode(g);
    while (n.inputs.length < 7) n.inputs.push('');
    n.inputs.push('P');
  }), /\(LSTM\) input P$/, /peephole/);
  await refused(await mutated(lstm, (g) => {
    g.initializers.push({ name: 'lens', dataType: 6, dims: [1], data: [1] });
    cellNode(g).inputs[4] = 'lens';
  }), /input sequence_lens$/);
  // An operator outside the subset.
  await refused(await mutated(gru, (g) => {
    const add = g.nodes.find((n) => n.opType === 'Add');
    add.opType = 'Relu';
    add.inputs = [add.inputs[0]];
  }), /^node '.*' \(Relu\)$/, /operator 'Relu'/);
  await refused(await mutated(gru, (g) => { g.nodes.find((n) => n.opType === 'Transpose').domain = 'com.microsoft'; }), /\(Transpose\)$/, /domain/);
  // Weights computed at run time are not weights.
  await refused(await mutated(gru, (g) => {
    const n = cellNode(g);
    g.inputs.push({ name: 'W_in', elemType: 1, shape: [1, 9, 2] });
    n.inputs[1] = 'W_in';
  }), /input W$/, /constant/);
  await assert.rejects(rnn.loadOnnx('not bytes'), (e) => e instanceof RnnlabError && e.code === 'INVALID_ARGUMENT' && e.field === 'bytes');
  await assert.rejects(rnn.loadOnnx(new Uint8Array(0)), (e) => e instanceof RnnlabError && e.code === 'BAD_MODEL_FILE');
});

test('an imported model trains like any other (fresh optimizer state), saves, and exports again', async () => {
  const m = await rnn.loadOnnx(readFileSync(fixture('torch_lstm_features_last.onnx')));
  const before = m.getWeights();
  const x = inputFor(m.config, 16, 8, 5);
  const y = { data: Float32Array.from({ length: 16 * 2 }, (_, i) => Math.sin(i)), shape: [16, 2] };
  const first = m.evaluate(x, y);
  const history = await m.fit({ x, y }, { epochs: 30, batchSize: 16, optimizer: { name: 'adam', lr: 0.02 } });
  assert.ok(history.loss.at(-1) < first * 0.7, `loss ${first} -> ${history.loss.at(-1)}`);
  assert.notDeepEqual(m.getWeights()['weight_ih_l0'].data, before['weight_ih_l0'].data);
  // Saved in rnnlab's format and loaded back: the same model.
  const again = rnn.loadModel(m.save());
  assertSameWeights(m.getWeights(), again.getWeights(), 'save/load');
  // Exported again: onnxruntime runs the fine-tuned weights.
  const ort = runtime('onnxruntime-node');
  const session = await ort.InferenceSession.create(await again.exportOnnx());
  const got = (await session.run({ x: new ort.Tensor('float32', x.data, x.shape) })).y;
  assert.ok(relativeError(got.data, m.predict(x).data) <= 1e-5);
  await session.release();
  // The same start trained twice gives the same weights: the optimizer starts fresh on import.
  const twin = await rnn.loadOnnx(readFileSync(fixture('torch_lstm_features_last.onnx')));
  await twin.fit({ x, y }, { epochs: 30, batchSize: 16, optimizer: { name: 'adam', lr: 0.02 } });
  assertSameWeights(m.getWeights(), twin.getWeights(), 'two imports trained alike');
  for (const k of [m, again, twin]) k.dispose();
});

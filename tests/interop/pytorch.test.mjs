// rnnlab <-> PyTorch through interop/pytorch/rnnlab_torch.py, run with Debian's python3-torch
// (scripts/setup.sh installs it; without it this test fails saying so): rnnlab's weights JSON
// loads into torch modules with load_state_dict and predicts what rnnlab predicts, trains on in
// PyTorch, and the state_dict written back loads with setWeights and predicts what torch does.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { init } from '../../bindings/js/index.js';
import { assertSameWeights, inputFor, python, relativeError } from './_interop.mjs';

const rnn = await init({ simd: 'auto' });
const MODULE_DIR = fileURLToPath(new URL('../../interop/pytorch/', import.meta.url));

/** What the playground's "weights as JSON under PyTorch's names" writes. */
const weightsJson = (m) => JSON.stringify({
  format: 'rnnlab-weights', config: m.config, names: 'pytorch',
  weights: Object.fromEntries(Object.entries(m.getWeights()).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }])),
});
const fromJson = (doc) => Object.fromEntries(Object.entries(doc.weights).map(([k, t]) => [k, { shape: t.shape, data: Float32Array.from(t.data) }]));

// Loads, predicts, checks the untouched round trip, trains, predicts again, writes back.
const DRIVER = `
import json, sys
sys.path.insert(0, sys.argv[1])
import torch
import rnnlab_torch
weights, data, out = sys.argv[2:5]
net = rnnlab_torch.load(weights)
d = json.load(open(data))
tokens = net.config.get('inputEncoding', 'features') != 'features'
x = torch.tensor(d['x']['data'], dtype=torch.long if tokens else torch.float32).reshape(d['x']['shape'])
with torch.no_grad():
    before = net(x)
same = rnnlab_torch.to_json(net)['weights'] == json.load(open(weights))['weights']
net.train()
opt = torch.optim.Adam(net.parameters(), lr=0.01)
softmax = net.config['head'] == 'softmax'
y = torch.tensor(d['y']['data'], dtype=torch.long if softmax else torch.float32).reshape(d['y']['shape'])
for _ in range(5):
    opt.zero_grad()
    z = net.logits(x)
    loss = torch.nn.functional.cross_entropy(z.reshape(-1, z.shape[-1]), y.reshape(-1)) if softmax else torch.nn.functional.mse_loss(z, y)
    loss.backward()
    opt.step()
net.eval()
with torch.no_grad():
    after = net(x)
rnnlab_torch.save(net, out)
print(json.dumps({'same': same, 'before': before.flatten().tolist(), 'after': after.flatten().tolist(), 'torch': torch.__version__}))
`;

const CONFIGS = [
  { cell: 'lstm', inputSize: 3, hiddenSize: [5, 4], outputSize: 2 },
  { cell: 'gru', vocabSize: 9, embeddingSize: 4, hiddenSize: 6, head: 'softmax', output: 'sequence' },
  { cell: 'gru', gruVariant: 'classic', vocabSize: 5, inputEncoding: 'onehot', hiddenSize: [4, 4], outputSize: 3 },
  { cell: 'rnn', inputSize: 2, hiddenSize: 5, output: 'sequence', outputSize: 1 },
];

test('rnnlab_torch.py: load_state_dict, predict as rnnlab, train in torch, setWeights back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-torch-'));
  try {
    for (const [i, c] of CONFIGS.entries()) {
      const m = rnn.createModel({ ...c, seed: 7 + i });
      const B = 4, T = 6;
      const x = inputFor(m.config, B, T, i + 1);
      const O = m.config.outputSize;
      const last = m.config.output === 'last';
      const y = m.config.head === 'softmax'
        ? { data: Array.from({ length: last ? B : B * T }, (_, j) => j % O), shape: last ? [B] : [B, T] }
        : { data: Array.from({ length: (last ? B : B * T) * O }, (_, j) => Math.sin(j)), shape: last ? [B, O] : [B, T, O] };
      const wFile = join(dir, `w${i}.json`), dFile = join(dir, `d${i}.json`), oFile = join(dir, `o${i}.json`);
      writeFileSync(wFile, weightsJson(m));
      writeFileSync(dFile, JSON.stringify({ x: { data: Array.from(x.data), shape: x.shape }, y }));
      const r = JSON.parse(python(['-c', DRIVER, MODULE_DIR, wFile, dFile, oFile]));
      assert.equal(r.same, true, `${c.cell}: the untouched state_dict writes back the same numbers`);
      const e0 = relativeError(r.before, m.predict(x).data);
      assert.ok(e0 <= 1e-5, `${c.cell}: torch vs rnnlab before training ${e0}`);
      const back = JSON.parse(readFileSync(oFile, 'utf8'));
      assert.equal(back.format, 'rnnlab-weights');
      const before = m.getWeights();
      m.setWeights(fromJson(back));
      assert.notDeepEqual(m.getWeights()['weight_hh_l0'].data, before['weight_hh_l0'].data, 'torch trained');
      const e1 = relativeError(m.predict(x).data, r.after);
      assert.ok(e1 <= 1e-5, `${c.cell}: rnnlab with torch's trained weights vs torch ${e1}`);
      // And rnnlab trains on from there.
      const loss0 = m.evaluate(x, { data: m.config.head === 'softmax' ? Int32Array.from(y.data) : Float32Array.from(y.data), shape: y.shape });
      assert.ok(Number.isFinite(loss0));
      m.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rnnlab -> PyTorch JSON -> rnnlab without training gives bit-identical weights', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-torch-'));
  try {
    const m = rnn.createModel({ cell: 'lstm', vocabSize: 6, embeddingSize: 3, hiddenSize: [4, 5], outputSize: 2 });
    const wFile = join(dir, 'w.json'), oFile = join(dir, 'o.json');
    writeFileSync(wFile, weightsJson(m));
    python(['-c', 'import sys; sys.path.insert(0, sys.argv[1]); import rnnlab_torch; rnnlab_torch.save(rnnlab_torch.load(sys.argv[2]), sys.argv[3])', MODULE_DIR, wFile, oFile]);
    const back = rnn.createModel(JSON.parse(readFileSync(oFile, 'utf8')).config);
    back.setWeights(fromJson(JSON.parse(readFileSync(oFile, 'utf8'))));
    assertSameWeights(m.getWeights(), back.getWeights(), 'torch round trip');
    m.dispose();
    back.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// One mapping from the page to rnnlab: the settings table (web/src/state/schema.js) says which
// option each setting becomes (`api`) and what changing it does, per task (`effect`), and
// web/src/train/options.js builds every option object from it. Checked here: every mapped row
// names an option of rnnlab's own schema, rnnlab accepts what is built, the objects equal what
// the task files used to spell by hand, the effects equal the rules App.change used to hold,
// and a new setting that maps straight to an option needs its row only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { init } from 'rnnlab';
import { CATALOG } from '../../web/src/data/catalog.js';
import { BY_KEY, SETTINGS, apiOf, defaults, effectOf } from '../../web/src/state/schema.js';
import { modelOptions, probabilityOptions, sampleOptions, trainOptions } from '../../web/src/train/options.js';
import * as forecast from '../../web/src/forecast/task.js';
import * as text from '../../web/src/text/task.js';
import * as classify from '../../web/src/classify/task.js';
import { entriesOf } from '../../web/src/memory/experiments.js';
import { Schema } from '../../bindings/js/schema.js';
import { loadModule } from '../js/_raw.mjs';

const TASKS = /** @type {const} */ (['forecast', 'text', 'classify', 'translate', 'memory']);
const rnn = await init();
const schema = new Schema((await loadModule('simd'))._schema());

/** Every state worth comparing: each task's defaults for each data set, and variations. */
function states() {
  const out = [];
  for (const task of TASKS) {
    for (const { id } of CATALOG[task]) {
      const d = defaults(task, id);
      out.push(d, { ...d, cell: 'gru', gru: 'classic' }, { ...d, cell: 'rnn', opt: 'sgd', lr: 0.5, clip: 0, seed: 7 });
      if (task === 'text' || task === 'classify') out.push({ ...d, embed: 'embedding', layers: 3, dropout: 0.25 });
      if (task === 'forecast') out.push({ ...d, bptt: 8 }, { ...d, bptt: d.window }, { ...d, bptt: d.window + 5 });
    }
  }
  return out;
}

// What the task files sent before the table said it (tasks/*.js, */task.js, memory/experiments.js
// as of issue 14), kept here as the reference the table must reproduce.
const before = {
  train: {
    forecast: (st) => ({ optimizer: { name: st.opt, lr: st.lr }, clipNorm: st.clip, tbptt: st.bptt > 0 && st.bptt < st.window ? st.bptt : 0 }),
    text: (st) => ({ optimizer: { name: st.opt, lr: st.lr }, clipNorm: st.clip }),
    classify: (st) => ({ optimizer: { name: st.opt, lr: st.lr }, clipNorm: st.clip }),
    translate: (st) => ({ optimizer: { name: st.opt, lr: st.lr }, clipNorm: st.clip }),
    memory: (st) => ({ optimizer: { name: st.opt, lr: st.lr }, clipNorm: st.clip }),
  },
  model: {
    forecast: (st) => ({ cell: st.cell, ...(st.cell === 'gru' ? { gruVariant: st.gru } : {}), inputSize: 1, outputSize: 1, hiddenSize: new Array(st.layers).fill(st.hidden), dropout: st.dropout, seed: st.seed }),
    text: (st, V) => ({ cell: st.cell, ...(st.cell === 'gru' ? { gruVariant: st.gru } : {}), vocabSize: V, inputEncoding: st.embed, outputSize: V, head: 'softmax', output: 'sequence', hiddenSize: new Array(st.layers).fill(st.hidden), dropout: st.dropout, seed: st.seed }),
    classify: (st, V) => ({ cell: st.cell, ...(st.cell === 'gru' ? { gruVariant: st.gru } : {}), vocabSize: V, inputEncoding: st.embed, outputSize: 2, head: 'softmax', output: 'last', hiddenSize: new Array(st.layers).fill(st.hidden), dropout: st.dropout, seed: st.seed }),
    translate: (st) => ({ cell: st.cell, ...(st.cell === 'gru' ? { gruVariant: st.gru } : {}), hiddenSize: st.hidden, embeddingSize: 32, seed: st.seed }),
    adding: (st, cell) => ({ hiddenSize: st.hidden, seed: st.seed, cell, ...(cell === 'gru' ? { gruVariant: st.gru } : {}), inputSize: 2, outputSize: 1 }),
    nomemory: (st, V) => ({ hiddenSize: st.hidden, seed: st.seed, cell: st.cell, ...(st.cell === 'gru' ? { gruVariant: st.gru } : {}), vocabSize: V, inputEncoding: 'onehot', outputSize: V, head: 'softmax', output: 'sequence' }),
  },
  sample: (st, ids, V) => ({ prime: ids, length: st.len, temperature: st.temp, topK: Math.min(st.topk, V), topP: st.topp }),
};
/** App.change's rules before the table held them, from each row's one effect of that time. */
const PLAIN = { cell: 'model', gru: 'model', hidden: 'model', seed: 'model', opt: 'live', lr: 'live', clip: 'live', batch: 'live', period: 'view' };
function effectBefore(key, next) {
  let effect = PLAIN[key] ?? BY_KEY.get(key)?.effect;
  // The Automatic forecaster is given the season: a new fit.
  if (key === 'period' && (next.diff === 'season' || next.mode === 'auto')) effect = 'data';
  if (next.task === 'memory' && effect !== 'view') effect = 'data';
  if (next.task === 'translate' && key === 'batch') effect = 'data';
  if (key === 'seed' && next.task === 'forecast' && ['sine', 'trend'].includes(next.data)) effect = 'data';
  return effect;
}

test('every row that maps to rnnlab names an option of rnnlab\'s own schema, of the right kind', () => {
  const known = {
    model: new Set([...schema.modelConfig, ...schema.seq2seqConfig].map((f) => f.api)),
    train: new Set(schema.trainOptions.map((f) => f.api)),
    // generate()'s arguments prime and length travel with its sampling options.
    sample: new Set([...schema.sampleOptions.map((f) => f.api), 'prime', 'length']),
  };
  let mapped = 0;
  for (const s of SETTINGS) {
    for (const task of s.tasks) {
      const api = apiOf(s, task);
      if (!api) continue;
      mapped++;
      assert.ok(known[api.to]?.has(api.name), `${s.key} (${task}) -> ${api.to} option ${api.name}: rnnlab has no such option`);
    }
  }
  assert.ok(mapped >= 30, `rows mapped for their tasks: ${mapped}`);
  // The page's own settings (data and views) map to nothing; every other row maps where it applies.
  const own = SETTINGS.filter((s) => s.tasks.every((t) => !apiOf(s, t))).map((s) => s.key);
  assert.deepEqual(own.sort(), ['batch', 'budget', 'context', 'data', 'diff', 'gap', 'horizon', 'layers', 'log', 'mode', 'norm', 'period', 'task', 'time', 'val', 'window'].sort());
});

test('option objects built from the table are the ones the task files used to send', async () => {
  const texts = { text: 'In the beginning God created the heaven and the earth.\nAnd the earth was without form.\n'.repeat(40) };
  const prepText = text.prepare(rnn, defaults('text'), texts);
  const books = classify.prepareBooks(rnn, { genesis: texts.text, psalms: 'O give thanks unto the LORD; for he is good.\n'.repeat(40) });
  let compared = 0;
  for (const st of states()) {
    assert.deepEqual(trainOptions(st), before.train[st.task](st), `training options, ${st.task}/${st.data}`);
    if (st.task === 'forecast') assert.deepEqual(modelOptions(st, forecast.modelShape()), before.model.forecast(st));
    if (st.task === 'text') assert.deepEqual(modelOptions(st, text.modelShape(prepText)), before.model.text(st, prepText.t.vocab.size));
    if (st.task === 'classify') assert.deepEqual(modelOptions(st, classify.modelShape(books)), before.model.classify(st, books.vocab.size));
    if (st.task === 'translate') assert.deepEqual(modelOptions(st, { embeddingSize: 32 }), before.model.translate(st));
    if (st.task === 'memory') {
      const nomemory = st.data === 'nomemory';
      for (const e of entriesOf(st, nomemory ? { rnn, text: texts.text.repeat(20) } : {})) {
        const want = nomemory ? before.model.nomemory(st, e.model.vocabSize) : before.model.adding(st, e.model.cell);
        assert.deepEqual(e.model, want, `memory ${st.data}: ${e.id}`);
        assert.deepEqual(e.train(), { ...before.train.memory(st), clipNorm: e.id === 'unclipped' ? 0 : st.clip }, `memory ${st.data}: ${e.id}'s training`);
      }
    }
    if (st.task === 'text') {
      const { vocab } = prepText.t;
      const { ids } = text.primeIds(vocab, st.prime);
      assert.deepEqual(sampleOptions(st, { vocabSize: vocab.size, encode: (s) => text.primeIds(vocab, s).ids }), before.sample(st, ids, vocab.size));
      assert.deepEqual(probabilityOptions(st), { temperature: st.temp });
    }
    compared++;
  }
  assert.ok(compared > 40, `states compared: ${compared}`);
});

test('rnnlab accepts what the table builds: every task\'s model, a training step and a sample', () => {
  const source = { text: 'And God said, Let there be light: and there was light.\n'.repeat(30) };
  for (const st of states()) {
    if (st.task === 'translate') {
      const m = rnn.createSeq2Seq(modelOptions(st, { embeddingSize: 32, inputVocab: 12, outputVocab: 11 }));
      const x = { data: new Int32Array(2 * 5).fill(1), shape: [2, 5] };
      const y = { data: new Int32Array(2 * 3).fill(2), shape: [2, 3] };
      assert.ok(Number.isFinite(m.trainBatch(x, y, trainOptions(st))), `translate trains (${st.cell}, ${st.opt})`);
      m.dispose();
      continue;
    }
    if (st.task === 'memory' || st.task === 'classify') continue; // same option kinds as forecast and text
    const prep = st.task === 'text' ? text.prepare(rnn, { ...st, bptt: 8 }, source) : null;
    const m = rnn.createModel(st.task === 'text' ? modelOptions(st, text.modelShape(prep)) : modelOptions(st, forecast.modelShape()));
    try {
      const T = st.task === 'text' ? 8 : st.window;
      const x = st.task === 'text' ? { data: prep.t.train.slice(0, 2 * T), shape: [2, T] } : { data: new Float32Array(2 * T).fill(0.5), shape: [2, T, 1] };
      const y = st.task === 'text' ? { data: prep.t.train.slice(1, 2 * T + 1), shape: [2, T] } : { data: new Float32Array(2).fill(0.1), shape: [2, 1] };
      assert.ok(Number.isFinite(m.trainBatch(x, y, trainOptions(st))), `${st.task}/${st.data} trains (${st.cell}, ${st.opt}, bptt ${st.bptt})`);
      if (st.task === 'text') {
        const { vocab } = prep.t;
        const out = m.generate({ ...sampleOptions(st, { vocabSize: vocab.size, encode: (s) => text.primeIds(vocab, s).ids }), seed: 1 });
        assert.equal(out.length, st.len);
        assert.equal(m.nextTokenProbabilities(text.primeIds(vocab, st.prime).ids, probabilityOptions(st)).length, vocab.size);
      }
    } finally {
      m.dispose();
    }
  }
});

test('training options are worked out once per state, and a changed setting (a new state) is seen at once', () => {
  const st = defaults('text');
  assert.equal(trainOptions(st), trainOptions(st), 'the same object at every step');
  assert.ok(Object.isFrozen(trainOptions(st).optimizer), 'shared between steps, so frozen');
  const next = { ...st, lr: 0.5, clip: 0 };
  assert.deepEqual(trainOptions(next), { optimizer: { name: st.opt, lr: 0.5 }, clipNorm: 0 });
});

test('what a change does, per task, comes from the table and matches the rules App.change held', () => {
  let checked = 0;
  for (const base of states()) {
    for (const s of SETTINGS) {
      if (!s.tasks.includes(base.task)) continue;
      for (const next of [base, { ...base, diff: 'season' }, { ...base, diff: 'none' }]) {
        assert.equal(effectOf(s, next), effectBefore(s.key, next), `${s.key} on ${next.task}/${next.data} (diff ${next.diff})`);
        checked++;
      }
    }
  }
  assert.ok(checked > 500, `checked ${checked}`);
  // The per-task exceptions, spelled out.
  assert.equal(effectOf(BY_KEY.get('lr'), defaults('memory')), 'data', 'a race is rebuilt from all its settings');
  assert.equal(effectOf(BY_KEY.get('lr'), defaults('text')), 'live');
  assert.equal(effectOf(BY_KEY.get('batch'), defaults('translate')), 'data', 'the translation worker makes its own batches');
  assert.equal(effectOf(BY_KEY.get('seed'), defaults('forecast', 'sine')), 'data', 'a synthetic series comes from the seed');
  assert.equal(effectOf(BY_KEY.get('seed'), defaults('forecast', 'nottingham')), 'model');
  assert.equal(effectOf(BY_KEY.get('period'), { ...defaults('forecast'), diff: 'season' }), 'data');
});

test('a setting that maps straight to an option is one row: add it to the table, it reaches rnnlab', () => {
  // A weight-decay setting, as a contributor would add it: one row, nothing else.
  const row = { key: 'wd', label: 'Weight decay', kind: 'float', effect: { default: 'live', memory: 'data' }, api: { to: 'train', name: 'optimizer.weightDecay' },
    group: 'training', tasks: ['forecast', 'text', 'classify', 'translate', 'memory'], def: 0.01, min: 0, max: 1, help: 'AdamW' };
  SETTINGS.push(row);
  BY_KEY.set(row.key, row);
  try {
    for (const task of TASKS) {
      const st = { ...defaults(task), opt: 'adamw' };
      assert.equal(st.wd, 0.01, `${task}: the default comes from the row`);
      assert.deepEqual(trainOptions(st).optimizer, { name: 'adamw', lr: st.lr, weightDecay: 0.01 }, `${task}: the option is sent`);
    }
    const st = { ...defaults('forecast'), opt: 'adamw', wd: 0.2 };
    const m = rnn.createModel(modelOptions(st, forecast.modelShape()));
    const loss = m.trainBatch({ data: new Float32Array(st.window).fill(0.5), shape: [1, st.window, 1] }, { data: Float32Array.of(0.1), shape: [1, 1] }, trainOptions(st));
    assert.ok(Number.isFinite(loss), 'rnnlab takes it');
    m.dispose();
  } finally {
    SETTINGS.pop();
    BY_KEY.delete(row.key);
  }
});

// The boundary's one schema (src/include/rnnlab/schema.h, exported by bindings/schema_export.cpp)
// as the JS layer sees it, against the typed API (bindings/types/index.d.ts) and against what
// the core actually reads: a field added, renamed or retyped on one side only fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES } from '../../bindings/js/index.js';
import { Schema, apiName, packTrainOptions } from '../../bindings/js/schema.js';
import { loadModule } from './_raw.mjs';
import { load, throwsRnnlab } from './_helpers.mjs';

const DTS = readFileSync(new URL('../../bindings/types/index.d.ts', import.meta.url), 'utf8');

/** {name -> {optional, type}} of `export interface name {...}` in the .d.ts. */
function dtsInterface(name) {
  const start = DTS.indexOf(`export interface ${name} `);
  assert.ok(start >= 0, `interface ${name} is in index.d.ts`);
  const body = DTS.slice(DTS.indexOf('{', start) + 1, DTS.indexOf('\n}', start));
  const props = new Map();
  for (const line of body.split('\n')) {
    const m = /^ {2}(?:readonly )?(\w+)(\?)?: (.+);$/.exec(line);
    if (m) props.set(m[1], { optional: m[2] === '?', type: m[3] });
  }
  return props;
}

/** The string literals of a union type text ("'a' | 'b' | X" -> ['a', 'b']). */
const literals = (type) => [...type.matchAll(/'([^']*)'/g)].map((m) => m[1]);

/** Whether an option must be given: its default lies outside its limits, and it always applies. */
const required = (f) => f.when === null && (f.type === 'int' || f.type === 'float') && !f.zeroMeansAuto &&
  (f.default < f.min || f.default > f.max);

/**
 * Every way the schema and the typed API disagree, as messages (empty when they agree).
 * @param {Schema} schema
 */
function disagreements(schema) {
  const out = [];
  const compare = (fields, iface, { config = false } = {}) => {
    const props = dtsInterface(iface);
    const names = new Set(fields.map((f) => f.leaf ?? f.api));
    for (const f of fields) {
      const key = f.leaf ?? f.api;
      const p = props.get(key);
      if (!p) {
        out.push(`${f.name} (API ${f.api}) is not in ${iface}`);
        continue;
      }
      // Options: optional unless required. Configurations: optional exactly when conditional.
      const optional = config ? f.when !== null : !required(f);
      if (p.optional !== optional) out.push(`${iface}.${key} should be ${optional ? 'optional' : 'required'}`);
      if (f.type === 'enum' && literals(p.type).join('|') !== f.choices.join('|')) {
        out.push(`${iface}.${key} is ${p.type}, the core has ${f.choices.map((c) => `'${c}'`).join(' | ')}`);
      }
    }
    for (const key of props.keys()) if (!names.has(key) && !(iface === 'OptimizerOptions' && key === 'schedule')) out.push(`${iface}.${key} is no field of the core`);
  };
  compare(schema.modelConfig, 'ModelOptions');
  compare(schema.modelConfig, 'ModelConfig', { config: true });
  compare(schema.seq2seqConfig, 'Seq2SeqOptions');
  compare(schema.seq2seqConfig, 'Seq2SeqConfig', { config: true });
  compare(schema.translateOptions, 'TranslateOptions');
  // generate()'s options also hold its arguments prime and length.
  const generate = dtsInterface('GenerateOptions');
  for (const f of schema.sampleOptions) if (!generate.get(f.api)?.optional) out.push(`${f.api} is no optional property of GenerateOptions`);
  for (const key of generate.keys()) if (!['prime', 'length'].includes(key) && !schema.sampleOptions.some((f) => f.api === key)) out.push(`GenerateOptions.${key} is no sampling option of the core`);
  // Training options by group: the top level, optimizer.*, optimizer.schedule.*.
  const group = (prefix) => schema.trainOptions
    .filter((f) => f.api.startsWith(prefix) && !f.api.slice(prefix.length).includes('.'))
    .map((f) => ({ ...f, leaf: f.api.slice(prefix.length) }));
  compare(group('optimizer.schedule.'), 'ScheduleOptions');
  compare(group('optimizer.'), 'OptimizerOptions');
  const top = dtsInterface('TrainOptions');
  for (const key of schema.trainKeys) if (!top.has(key)) out.push(`training option ${key} is not in TrainOptions`);
  for (const key of top.keys()) if (!schema.trainKeys.includes(key)) out.push(`TrainOptions.${key} is no training option of the core`);
  const topFields = group('');
  compare(topFields.filter((f) => top.has(f.leaf)), 'TrainOptions', {});
  return out.filter((m) => !/^TrainOptions\.optimizer is no field/.test(m));
}

let raw;
/** The schema straight from a fresh module, as the runtime builds it. */
async function moduleSchema() {
  raw ??= await loadModule(process.env.RNNLAB_TEST_SIMD === '0' ? 'baseline' : 'simd');
  return { M: raw, schema: new Schema(raw._schema()) };
}

test('the schema and the typed API name the same options, types and choices', async () => {
  const { schema } = await moduleSchema();
  assert.deepEqual(disagreements(schema), []);
  assert.deepEqual(schema.trainKeys, ['optimizer', 'loss', 'huberDelta', 'clipNorm', 'tbptt', 'stateful']);
  // The check has teeth: a field the typed API lacks, a renamed choice, a field made optional.
  const tampered = new Schema(raw._schema());
  tampered.trainOptions = [...tampered.trainOptions, { ...tampered.trainOptions[1], name: 'optimizer.warmup', api: 'optimizer.warmup' }];
  tampered.modelConfig = tampered.modelConfig.map((f) => (f.name === 'cell' ? { ...f, choices: ['rnn', 'lstm', 'gru', 'transformer'] } : f));
  tampered.seq2seqConfig = tampered.seq2seqConfig.map((f) => (f.name === 'input_vocab' ? { ...f, default: 1 } : f));
  const found = disagreements(tampered);
  assert.ok(found.some((m) => m.includes('optimizer.warmup')), found.join('\n'));
  assert.ok(found.some((m) => m.includes('ModelOptions.cell')), found.join('\n'));
  assert.ok(found.some((m) => m.includes('Seq2SeqOptions.inputVocab')), found.join('\n'));
});

test('API names are the core names in camelCase, with the two renames', () => {
  assert.equal(apiName('optimizer.schedule.step_size'), 'optimizer.schedule.stepSize');
  assert.equal(apiName('hidden_sizes'), 'hiddenSize');
  assert.equal(apiName('optimizer.type'), 'optimizer.name');
  assert.equal(apiName('clip_norm'), 'clipNorm');
});

test('error codes and the Status layout come from the module', async () => {
  const { schema } = await moduleSchema();
  const names = schema.errorCodes.map((c) => c.name);
  assert.deepEqual(names.slice(0, 8), ERROR_CODES.slice(0, 8), 'the core codes lead, in order');
  for (const n of names) assert.ok(ERROR_CODES.includes(n), n);
  assert.deepEqual(literals(/export type RnnlabErrorCode =([^;]*);/.exec(DTS)[1]), [...ERROR_CODES]);
  const fields = schema.status.fields;
  assert.deepEqual(fields.map((f) => apiName(f.name)), ['error', 'loss', 'gradNorm', 'lr', 'steps']);
  const offsets = new Set(fields.map((f) => f.offset));
  assert.equal(offsets.size, fields.length);
  for (const f of fields) assert.ok(f.offset % 4 === 0 && f.offset + 4 <= schema.status.bytes, f.name);
  // The training result the JS reads at those offsets is the core's.
  const rnn = await load();
  const m = rnn.createModel({ hiddenSize: 3, seed: 5 });
  const history = [];
  await m.fit({ x: { data: new Float32Array(8 * 4).fill(0.5), shape: [8, 4, 1] }, y: new Float32Array(8).fill(1) },
    { epochs: 1, batchSize: 8, optimizer: { name: 'sgd', lr: 0.25 }, onBatchEnd: (b) => history.push(b) });
  assert.equal(history.length, 1);
  assert.equal(history[0].lr, 0.25);
  assert.ok(history[0].gradNorm > 0 && Number.isFinite(history[0].loss));
  m.dispose();
});

/** A valid non-default value of every training option (conditions met where they can be). */
function nonDefaultTrainOptions(schema) {
  // Options that apply only under some optimizer, schedule or loss are packed in separate runs.
  const runs = [
    { optimizer: { name: 'sgd', lr: 0.125, momentum: 0.5, nesterov: true, weightDecay: 0.25,
      schedule: { name: 'step', stepSize: 7, gamma: 0.75 } }, loss: 'huber', huberDelta: 0.5, clipNorm: 2, tbptt: 3, stateful: true },
    { optimizer: { name: 'adamw', beta1: 0.5, beta2: 0.75, eps: 1e-3, schedule: { name: 'cosine', tMax: 11, etaMin: 1e-4 } } },
    { optimizer: { name: 'rmsprop', alpha: 0.5, eps: 1e-4 } },
  ];
  // Every option of the table is set in some run.
  const set = new Set();
  const walk = (o, prefix) => {
    for (const [k, v] of Object.entries(o)) {
      if (v !== null && typeof v === 'object') walk(v, `${prefix}${k}.`);
      else set.add(`${prefix}${k}`);
    }
  };
  for (const r of runs) walk(r, '');
  for (const f of schema.trainOptions) assert.ok(set.has(f.api), `no run sets ${f.api}`);
  return runs;
}

test('every training option arrives in the core under its own name', async () => {
  const { M, schema } = await moduleSchema();
  for (const opts of nonDefaultTrainOptions(schema)) {
    const { slots, values } = packTrainOptions(schema, opts, { head: 'linear' });
    assert.equal(slots.length, schema.trainOptions.length);
    const at = M._scratchReserve(slots.byteLength);
    M.HEAPF64.set(slots, at >> 3);
    const text = M._decodeTrainOptions(at);
    assert.equal(M.HEAP32[M._statusAddress() >> 2], 0, 'decoded without error');
    const core = Object.fromEntries(text.trim().split('\n').map((l) => l.split('=')));
    for (const f of schema.trainOptions) {
      const sent = values[f.name];
      const got = core[f.name];
      if (f.type === 'float') assert.equal(Math.fround(Number(got)), Math.fround(sent), f.name);
      else assert.equal(got, String(sent), f.name);
    }
  }
});

test('every configuration field arrives in the core and comes back under its API name', async () => {
  const rnn = await load();
  const model = { cell: 'gru', gruVariant: 'classic', inputEncoding: 'embedding', vocabSize: 37, embeddingSize: 5,
    hiddenSize: [6, 4], outputSize: 3, output: 'sequence', head: 'softmax', dropout: 0.25, seed: 2 ** 40 + 3 };
  const m = rnn.createModel(model);
  assert.deepEqual({ ...m.config, hiddenSize: [...m.config.hiddenSize] }, model);
  const { schema } = await moduleSchema();
  assert.deepEqual(Object.keys(model).sort(), schema.modelConfig.filter((f) => f.name !== 'input_size').map((f) => f.api).sort());
  m.dispose();
  const s2s = { cell: 'lstm', inputVocab: 9, outputVocab: 8, embeddingSize: 3, hiddenSize: [5], dropout: 0.5, seed: 77 };
  const s = rnn.createSeq2Seq(s2s);
  assert.deepEqual({ ...s.config, hiddenSize: [...s.config.hiddenSize] }, s2s);
  s.dispose();
});

test('the JS checks use the core limits: the last value in range passes, the next fails', async () => {
  const rnn = await load();
  const { schema } = await moduleSchema();
  const limit = (table, name) => table.find((f) => f.name === name);
  const hidden = limit(schema.modelConfig, 'hidden_sizes');
  throwsRnnlab(() => rnn.createModel({ hiddenSize: hidden.max + 1 }), 'INVALID_CONFIG', 'hiddenSize');
  throwsRnnlab(() => rnn.createModel({ hiddenSize: new Array(hidden.maxCount + 1).fill(1) }), 'INVALID_CONFIG', 'hiddenSize');
  rnn.createModel({ hiddenSize: new Array(hidden.maxCount).fill(1) }).dispose();
  const input = limit(schema.modelConfig, 'input_size');
  throwsRnnlab(() => rnn.createModel({ inputSize: input.max + 1 }), 'INVALID_CONFIG', 'inputSize');
  const vocab = limit(schema.seq2seqConfig, 'output_vocab');
  throwsRnnlab(() => rnn.createSeq2Seq({ inputVocab: 3, outputVocab: vocab.min - 1 }), 'INVALID_CONFIG', 'outputVocab');
  rnn.createSeq2Seq({ inputVocab: 3, outputVocab: vocab.min, hiddenSize: 2 }).dispose();
  // A training option just outside its range, for every bounded one.
  const m = rnn.createModel({ hiddenSize: 2 });
  const x = { data: new Float32Array(3), shape: [1, 3, 1] };
  const y = new Float32Array(1);
  for (const f of schema.trainOptions) {
    if (f.type !== 'float' && f.type !== 'int') continue;
    const bad = f.minOpen ? f.min : f.type === 'int' ? f.min - 1 : f.min - 0.5;
    const opts = {};
    let o = opts;
    const path = f.api.split('.');
    path.slice(0, -1).forEach((p) => (o = o[p] = {}));
    o[path.at(-1)] = bad;
    // Meet the option's condition.
    if (f.when) {
      const on = schema.trainOptions.find((g) => g.name === f.when.field);
      let c = opts;
      const onPath = on.api.split('.');
      onPath.slice(0, -1).forEach((p) => (c = c[p] ??= {}));
      c[onPath.at(-1)] = f.when.values[0];
    }
    throwsRnnlab(() => m.trainBatch(x, y, opts), 'INVALID_CONFIG', f.api);
  }
  m.dispose();
});

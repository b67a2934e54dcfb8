// rnn.data: windows, normalizer, split, charVocab, parseCsv.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { load, throwsRnnlab } from './_helpers.mjs';

const rnn = await load();
const D = rnn.data;

test('windows: univariate, multivariate, stride, horizon, targets', () => {
  const s = Float32Array.from({ length: 10 }, (_, i) => i);
  const w = D.windows(s, { window: 3 });
  assert.equal(w.count, 7);
  assert.deepEqual(w.x.shape, [7, 3, 1]);
  assert.deepEqual(w.y.shape, [7, 1]);
  assert.deepEqual([...w.x.data.subarray(0, 6)], [0, 1, 2, 1, 2, 3]);
  assert.deepEqual([...w.y.data], [3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...w.starts], [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(w.targets, [0]);
  const h = D.windows(Array.from(s), { window: 4, horizon: 2, stride: 2 });
  assert.equal(h.count, 3);
  assert.deepEqual([...h.y.data], [4, 5, 6, 7, 8, 9]);
  // [T, F] = 6 x 2, predicting feature 1.
  const mv = [[0, 10], [1, 11], [2, 12], [3, 13], [4, 14], [5, 15]];
  const m = D.windows(mv, { window: 2, targets: [1] });
  assert.deepEqual(m.x.shape, [4, 2, 2]);
  assert.deepEqual([...m.y.data], [12, 13, 14, 15]);
  assert.deepEqual(m.targets, [1]);
  const flat = D.windows(new Float32Array(mv.flat()), { window: 2, features: 2, targets: [1, 0] });
  assert.deepEqual([...flat.y.data.subarray(0, 2)], [12, 2]);
  const t = D.windows({ data: new Float32Array(mv.flat()), shape: [6, 2] }, { window: 5 });
  assert.equal(t.count, 1);
  // Windows feed a model directly.
  const model = rnn.createModel({ inputSize: 2, outputSize: 2, hiddenSize: 3 });
  assert.ok(Number.isFinite(model.trainBatch(t.x, t.y)));
  model.dispose();
});

test('windows: errors', () => {
  const s = new Float32Array(10);
  const cases = [
    [() => D.windows(s), 'INVALID_ARGUMENT', 'options'],
    [() => D.windows(s, {}), 'INVALID_CONFIG', 'window'],
    [() => D.windows(s, { window: 0 }), 'INVALID_CONFIG', 'window'],
    [() => D.windows(s, { window: 3, horizon: 0 }), 'INVALID_CONFIG', 'horizon'],
    [() => D.windows(s, { window: 3, stride: 1.5 }), 'INVALID_CONFIG', 'stride'],
    [() => D.windows(s, { window: 10 }), 'SHAPE_MISMATCH', 'series'],
    [() => D.windows(s, { window: 3, features: 3 }), 'SHAPE_MISMATCH', 'series'],
    [() => D.windows(s, { window: 3, features: 0 }), 'INVALID_CONFIG', 'features'],
    [() => D.windows(s, { window: 3, targets: [1] }), 'INVALID_CONFIG', 'targets[0]'],
    [() => D.windows(s, { window: 3, features: 2, targets: [1, 1] }), 'INVALID_CONFIG', 'targets'],
    [() => D.windows(s, { window: 3, targets: [] }), 'INVALID_CONFIG', 'targets'],
    [() => D.windows(s, { window: 3, targets: 0 }), 'INVALID_CONFIG', 'targets'],
    [() => D.windows({ data: s, shape: [5, 2] }, { window: 2, features: 3 }), 'SHAPE_MISMATCH', 'features'],
    [() => D.windows({ data: s, shape: [5, 2, 1] }, { window: 2 }), 'SHAPE_MISMATCH', 'series'],
    [() => D.windows([1, NaN, 3, 4], { window: 2 }), 'NON_FINITE_DATA', 'series'],
    [() => D.windows('1,2,3', { window: 2 }), 'INVALID_ARGUMENT', 'series'],
    [() => D.windows([], { window: 2 }), 'SHAPE_MISMATCH', 'series'],
    [() => D.windows(s, { window: 3, size: 2 }), 'INVALID_CONFIG', 'size'],
    // The core's cap on materialised windows (64 M floats).
    [() => D.windows(new Float32Array(20000), { window: 9000 }), 'TOO_LARGE', 'window'],
  ];
  for (const [fn, code, field] of cases) throwsRnnlab(fn, code, field);
});

test('normalizer: zscore, minmax, none; transform / inverse round trip; JSON', () => {
  const s = new Float32Array([1, 100, 2, 200, 3, 300, 4, 400]); // [4, 2]
  const z = D.normalizer('zscore').fit(s, { features: 2 });
  assert.equal(z.kind, 'zscore');
  assert.equal(z.fitted, true);
  assert.equal(z.features, 2);
  const t = z.transform(s);
  assert.ok(t instanceof Float32Array);
  const mean0 = (t[0] + t[2] + t[4] + t[6]) / 4;
  assert.ok(Math.abs(mean0) < 1e-6);
  // Round trip within the core's documented bound, |x' - x| <= ulp(x) + 2^-24 |x - offset|
  // (here 1 -> 0.99999994: no float z maps back to exactly 1).
  const inv = z.inverse(t);
  const offsets = [2.5, 250];
  inv.forEach((v, i) => {
    const x = s[i];
    const bound = 2 ** (Math.floor(Math.log2(Math.abs(x))) - 23) + 2 ** -24 * Math.abs(x - offsets[i % 2]);
    assert.ok(Math.abs(v - x) <= bound, `${x} -> ${v}`);
  });
  assert.deepEqual([...inv.subarray(2)], [...s.subarray(2)]);
  const shaped = z.transform({ data: s, shape: [4, 2] });
  assert.deepEqual(shaped.shape, [4, 2]);
  assert.deepEqual(shaped.data, t);
  assert.ok(Math.abs(z.transform([150], { columns: [1] })[0] - (t[1] + t[3]) / 2) < 1e-6);
  const mm = D.normalizer('minmax').fit([[1, 5], [3, 5]]);
  assert.deepEqual([...mm.transform([[2, 5]])], [0.5, 0], 'a constant feature maps to 0');
  const none = D.normalizer('none').fit([5, 6]);
  assert.deepEqual([...none.transform([5, 6])], [5, 6]);
  const json = JSON.parse(JSON.stringify(z));
  assert.equal(json.kind, 'zscore');
  assert.equal(json.offset.length, 2);
  const back = D.normalizer(json);
  assert.deepEqual(back.transform(s), t);
  assert.equal(D.normalizer().kind, 'zscore');
});

test('normalizer: errors', () => {
  const z = D.normalizer('zscore');
  throwsRnnlab(() => z.transform([1]), 'INVALID_STATE', 'normalizer');
  throwsRnnlab(() => z.inverse([1]), 'INVALID_STATE', 'normalizer');
  throwsRnnlab(() => D.normalizer('robust'), 'INVALID_CONFIG', 'kind');
  throwsRnnlab(() => z.fit([1, Infinity]), 'NON_FINITE_DATA', 'series');
  throwsRnnlab(() => z.fit([1, 2], { feature: 2 }), 'INVALID_CONFIG', 'feature');
  z.fit([[1, 2], [3, 4]]);
  throwsRnnlab(() => z.transform([1, 2, 3]), 'SHAPE_MISMATCH', 'values');
  throwsRnnlab(() => z.transform([1, NaN]), 'NON_FINITE_DATA', 'values');
  throwsRnnlab(() => z.transform([1], { columns: [2] }), 'INVALID_CONFIG', 'columns[0]');
  throwsRnnlab(() => z.transform([1], { cols: [0] }), 'INVALID_CONFIG', 'cols');
  throwsRnnlab(() => z.transform('1'), 'INVALID_ARGUMENT', 'values');
  // Results beyond float range are the core's NON_FINITE_DATA.
  const tiny = D.normalizer({ kind: 'zscore', offset: [0], scale: [1e-30] });
  throwsRnnlab(() => tiny.transform([1e10]), 'NON_FINITE_DATA', 'values');
  throwsRnnlab(() => D.normalizer({ kind: 'zscore', offset: [0], scale: [0] }), 'INVALID_CONFIG', 'normalizer.scale[0]');
  throwsRnnlab(() => D.normalizer({ kind: 'zscore', offset: [0, 1], scale: [1] }), 'SHAPE_MISMATCH', 'normalizer');
  throwsRnnlab(() => D.normalizer({ kind: 'zscore', offset: [], scale: [] }), 'SHAPE_MISMATCH', 'normalizer');
  throwsRnnlab(() => D.normalizer({ kind: 'zscore', offset: [0], scale: [1], mean: 2 }), 'INVALID_CONFIG', 'normalizer.mean');
});

test('split: chronological, normaliser fitted on training rows only', () => {
  const s = Float32Array.from({ length: 100 }, (_, i) => i);
  const sp = D.split(s, { window: 5, validationFraction: 0.2 });
  assert.equal(sp.splitRow, 80);
  assert.ok(sp.normalizer.fitted);
  const json = sp.normalizer.toJSON();
  assert.ok(Math.abs(json.offset[0] - 39.5) < 1e-9, 'mean of rows 0..79');
  assert.equal(sp.train.count, 75);
  assert.equal(sp.validation.count, 20);
  assert.equal(sp.validation.starts[0], 75);
  const lastTrainTarget = sp.normalizer.inverse(sp.train.y.data.subarray(74), { columns: [0] })[0];
  assert.equal(lastTrainTarget, 79);
  const firstValTarget = sp.normalizer.inverse(sp.validation.y.data.subarray(0, 1), { columns: sp.validation.targets })[0];
  assert.equal(firstValTarget, 80);
  const mm = D.split(s, { window: 5, normalization: 'minmax', horizon: 2, stride: 2 });
  assert.equal(mm.normalizer.kind, 'minmax');
  assert.deepEqual(mm.train.y.shape[1], 2);
  throwsRnnlab(() => D.split(s), 'INVALID_ARGUMENT', 'options');
  throwsRnnlab(() => D.split(s, { window: 5, validationFraction: 1 }), 'INVALID_CONFIG', 'validationFraction');
  throwsRnnlab(() => D.split(s, { window: 5, validationFraction: 0 }), 'INVALID_CONFIG', 'validationFraction');
  throwsRnnlab(() => D.split(s, { window: 90 }), 'INVALID_CONFIG', 'series');
  throwsRnnlab(() => D.split(s, { window: 5, normalization: 'l2' }), 'INVALID_CONFIG', 'normalization');
  throwsRnnlab(() => D.split(s, { window: 5, fraction: 0.1 }), 'INVALID_CONFIG', 'fraction');
});

test('charVocab: build, encode, decode, fallback, JSON', () => {
  const v = D.charVocab('hello, wörld 😀');
  assert.equal(v.size, 11);
  assert.deepEqual(v.symbols.slice(0, 3), [' ', ',', 'd']);
  assert.ok(v.symbols.includes('😀') && v.symbols.includes('ö'));
  assert.equal(v.fallbackId, -1);
  const e = v.encode('hello 😀');
  assert.ok(e instanceof Int32Array && e.length === 7);
  assert.equal(v.decode(e), 'hello 😀');
  assert.equal(v.decode([]), '');
  assert.equal(v.decode(Array.from(e)), 'hello 😀');
  throwsRnnlab(() => v.encode('xyz'), 'INVALID_CONFIG', 'text');
  throwsRnnlab(() => v.decode([11]), 'INVALID_CONFIG', 'ids');
  throwsRnnlab(() => v.decode([-1]), 'INVALID_CONFIG', 'ids');
  throwsRnnlab(() => v.decode('ab'), 'INVALID_ARGUMENT', 'ids');
  throwsRnnlab(() => v.encode(5), 'INVALID_ARGUMENT', 'text');
  throwsRnnlab(() => v.encode('\uDC00'), 'INVALID_CONFIG', 'text');
  assert.equal(D.charVocab('aaaabbbc', { maxSize: 3 }).fallbackId, -1, 'everything fits: no fallback');
  const small = D.charVocab('aaaabbbcd', { maxSize: 3, fallback: '?' });
  assert.deepEqual([...small.symbols], ['?', 'a', 'b']);
  assert.equal(small.fallbackId, 0);
  assert.deepEqual([...small.encode('abcz')], [1, 2, 0, 0]);
  const reserved = D.charVocab('ab', { reserveFallback: true });
  assert.equal(reserved.size, 3);
  assert.equal(reserved.symbols[2], '\uFFFD');
  const back = D.charVocab(JSON.parse(JSON.stringify(small)));
  assert.deepEqual(back.encode('abcz'), small.encode('abcz'));
  throwsRnnlab(() => D.charVocab(''), 'INVALID_CONFIG', 'text');
  throwsRnnlab(() => D.charVocab(5), 'INVALID_ARGUMENT', 'text');
  throwsRnnlab(() => D.charVocab('ab', { maxSize: 1 }), 'INVALID_CONFIG', 'maxSize');
  throwsRnnlab(() => D.charVocab('ab', { fallback: 'xy' }), 'INVALID_CONFIG', 'fallback');
  throwsRnnlab(() => D.charVocab('ab', { size: 3 }), 'INVALID_CONFIG', 'size');
  throwsRnnlab(() => D.charVocab({ symbols: 'ba', fallbackId: -1 }), 'INVALID_CONFIG', 'symbols');
  throwsRnnlab(() => D.charVocab({ symbols: 'ab', fallbackId: 2 }), 'INVALID_CONFIG', 'fallbackId');
  throwsRnnlab(() => D.charVocab({ symbols: 'ab' }, { maxSize: 2 }), 'INVALID_CONFIG', 'options');
});

test('charVocab on the shipped corpus feeds a character model', () => {
  const text = readFileSync(new URL('../../data/text/kjv-genesis.txt', import.meta.url), 'utf8').slice(0, 5000);
  const v = D.charVocab(text);
  const idsAll = v.encode(text);
  assert.equal(v.decode(idsAll), text);
  const m = rnn.createModel({ vocabSize: v.size, hiddenSize: 16, head: 'softmax', output: 'sequence' });
  const T = 20;
  const x = { data: idsAll.subarray(0, 8 * T), shape: [8, T] };
  const y = { data: idsAll.subarray(1, 8 * T + 1), shape: [8, T] };
  assert.ok(m.trainBatch(x, y) > 0);
  assert.equal(v.decode(m.generate({ prime: v.encode('In the'), length: 10 })).length, 10);
  m.dispose();
});

test('parseCsv reads the shipped series', () => {
  const csv = readFileSync(new URL('../../data/timeseries/air-passengers.csv', import.meta.url), 'utf8');
  const r = D.parseCsv(csv);
  assert.equal(r.dates.length, 144);
  assert.equal(r.dates[0], '1949-01');
  assert.equal(r.values.length, 144);
  assert.equal(r.values[0], 112);
  throwsRnnlab(() => D.parseCsv('date,value\n1949,abc\n'), 'INVALID_CONFIG', 'csv');
  throwsRnnlab(() => D.parseCsv('date,value\n1949,nan\n'), 'NON_FINITE_DATA', 'csv');
  throwsRnnlab(() => D.parseCsv(''), 'INVALID_CONFIG', 'csv');
  throwsRnnlab(() => D.parseCsv(3), 'INVALID_ARGUMENT', 'csv');
});

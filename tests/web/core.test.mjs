// The playground's logic without a browser (web/src/{state,data,forecast,text,train}): the
// settings table and links, CSV reading, season detection, transforms and their inverses,
// error measures and baselines, batch schedules and the loss log.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { init } from 'rnnlab';
import { SERIES } from '../../web/src/data/catalog.js';
import { CsvError, extractSeries, guessColumns, parseDate, parseNumber, readTable } from '../../web/src/data/csv.js';
import { syntheticSeries } from '../../web/src/data/synthetic.js';
import { errors, naiveHold, naiveOneStep, seasonalOneStep, seasonalRepeat } from '../../web/src/forecast/metrics.js';
import { detectPeriod } from '../../web/src/forecast/period.js';
import { prepareForecast } from '../../web/src/forecast/prepare.js';
import { BY_KEY, SETTINGS, checkValue, defaults, fromHash, toHash } from '../../web/src/state/schema.js';
import { prepareText, MAX_VOCAB } from '../../web/src/text/prepare.js';
import { primeIds } from '../../web/src/text/task.js';
import { sequenceBatches, sequenceSet, windowBatches } from '../../web/src/train/batches.js';
import { LossLog } from '../../web/src/train/losslog.js';

const rnn = await init();
const csvOf = (file) => readFileSync(new URL(`../../data/timeseries/${file}`, import.meta.url), 'utf8');

test('settings: every default passes its own check, for both tasks and every data set', () => {
  for (const task of ['forecast', 'text']) {
    const ids = task === 'forecast' ? SERIES.map((s) => s.id) : ['genesis', 'psalms'];
    for (const id of ids) {
      const st = defaults(task, id);
      for (const s of SETTINGS) {
        if (!s.tasks.includes(task)) continue;
        assert.ok(checkValue(s, st[s.key], task).ok, `${task}/${id}: default ${s.key}=${st[s.key]}`);
      }
    }
  }
});

test('links: a state survives the round trip through the URL, text settings included', () => {
  const st = { ...defaults('text', 'psalms'), hidden: 200, lr: 0.0125, prime: 'O LORD, & <script>alert(1)</script> "quoted"', temp: 1.3 };
  const { state, notices } = fromHash(toHash(st));
  assert.deepEqual(notices, []);
  for (const s of SETTINGS) if (s.tasks.includes('text')) assert.deepEqual(state[s.key], st[s.key], s.key);
  // Forecast booleans and enums.
  const f = { ...defaults('forecast', 'gas'), log: true, diff: 'season', norm: 'minmax' };
  assert.deepEqual(fromHash(toHash(f)).state, { ...f, ...Object.fromEntries(SETTINGS.filter((s) => !s.tasks.includes('forecast')).map((s) => [s.key, f[s.key]])) });
});

test('links: unknown keys and bad values are ignored with a reason; missing ones take defaults', () => {
  const { state, notices } = fromHash('#task=forecast&data=nowhere&hidden=0&layers=2.5&cell=cnn&lr=abc&zzz=1&batch=64');
  assert.equal(state.data, 'nottingham');
  assert.equal(state.hidden, 32);
  assert.equal(state.layers, 2);
  assert.equal(state.cell, 'lstm');
  assert.equal(state.batch, 64);
  assert.equal(notices.length, 6, notices.join('\n'));
  assert.match(notices.join('\n'), /data "nowhere" ignored: must be one of/);
  assert.match(notices.join('\n'), /Hidden units "0" ignored: must be between 1 and 8192/);
  assert.match(notices.join('\n'), /Layers "2.5" ignored: must be a whole number/);
  assert.match(notices.join('\n'), /unknown setting "zzz" ignored/);
  assert.equal(fromHash('#task=chess').state.task, 'forecast');
  assert.equal(checkValue(BY_KEY.get('prime'), 'x'.repeat(201), 'text').ok, false);
});

test('CSV: header, delimiter, quotes, decimal commas, dates and missing cells', () => {
  const semi = readTable('Datum;Temperatur\n"2020-01-01";"3,5"\n2020-01-02;4,25\n2020-01-03;NA\n2020-01-04;5,0\n');
  assert.equal(semi.delimiter, ';');
  assert.equal(semi.decimalComma, true);
  assert.deepEqual(semi.header, ['Datum', 'Temperatur']);
  const g = guessColumns(semi);
  assert.deepEqual(g, { dateColumn: 0, valueColumn: 1 });
  const s = extractSeries(semi, g);
  assert.deepEqual(Array.from(s.values), [3.5, 4.25, 4.625, 5]);
  assert.deepEqual(s.missingLines, [4], 'the missing cell is reported by its line in the file');
  assert.equal(s.dates?.[0], Date.UTC(2020, 0, 1) / 1000);
  const tab = readTable('1871\t1120\n1872\t1160\n1873\t963\n');
  assert.equal(tab.header, null, 'no header when the first row is data');
  assert.equal(tab.delimiter, '\t');
  const thousands = readTable('when,"price ($)"\n2020,"1,234.5"\n2021,"1,300.25"\n');
  assert.deepEqual(Array.from(extractSeries(thousands, guessColumns(thousands)).values), [1234.5, 1300.25]);
  const newestFirst = readTable('date,v\n2022-03,3\n2022-02,2\n2022-01,1\n');
  const r = extractSeries(newestFirst, guessColumns(newestFirst));
  assert.deepEqual(Array.from(r.values), [1, 2, 3]);
  assert.equal(r.reversed, true);
  assert.equal(parseNumber('1.234,5', true), 1234.5);
  assert.equal(parseNumber('abc', false), undefined);
  assert.ok(Number.isNaN(parseNumber(' n/a ', false)));
  assert.equal(parseDate('1960-Q3'), Date.UTC(1960, 6, 1) / 1000);
  assert.equal(parseDate('hello'), null);
});

test('CSV: what cannot be read is an error naming the line, the column and the text', () => {
  assert.throws(() => readTable(''), (e) => e instanceof CsvError && /empty/.test(e.message));
  assert.throws(() => readTable('a,b\n1,"2\n3,4\n'), /line \d+: .*quoted field is not closed/);
  const t = readTable('date,value\n2020,1\n2021,12a\n2022,3\n');
  assert.throws(() => extractSeries(t, guessColumns(t)), /line 3, column "value": "12a" is not a number/);
  const words = readTable('name,city\nann,paris\nbob,rome\n');
  assert.equal(guessColumns(words).valueColumn, -1);
  assert.throws(() => readTable('x\u0000y'), /NUL/);
});

test('every bundled series reads through the page’s CSV path, oldest first, with dates', () => {
  for (const s of SERIES.filter((x) => x.file)) {
    const table = readTable(csvOf(s.file));
    const r = extractSeries(table, guessColumns(table));
    const lines = csvOf(s.file).trim().split('\n').length - 1;
    assert.equal(r.values.length, lines, s.id);
    assert.ok(r.dates && r.dates[1] > r.dates[0], `${s.id}: dates ascending`);
    assert.deepEqual(r.missingLines, []);
  }
});

test('seasons: detected from the training part (12 for monthly temperatures, 4 quarterly, none for the Nile)', () => {
  const period = (file) => {
    const t = readTable(csvOf(file));
    const v = extractSeries(t, guessColumns(t)).values;
    return detectPeriod(v.subarray(0, v.length - Math.round(0.2 * v.length))).period;
  };
  assert.equal(period('nottingham-temperature.csv'), 12);
  assert.equal(period('air-passengers.csv'), 12);
  assert.equal(period('uk-gas.csv'), 4);
  assert.equal(period('lynx-trappings.csv'), 10);
  assert.equal(period('nile-flow.csv'), 1);
  const sp = period('sunspots-monthly.csv');
  assert.ok(sp >= 110 && sp <= 140, `sunspot cycle ~11 years, got ${sp} months`);
  assert.equal(detectPeriod(syntheticSeries('trend', 3).values.subarray(0, 192)).period, 12, 'the synthetic season, under its trend');
});

test('transforms: a perfect prediction of z gives back the series exactly (one step and free-running)', () => {
  const { values } = syntheticSeries('trend', 5);
  for (const [log, diffLag] of [[false, 0], [true, 0], [false, 1], [true, 1], [false, 12], [true, 12]]) {
    const p = prepareForecast(rnn, values, { window: 24, valFraction: 0.2, normalization: 'zscore', log, diffLag });
    assert.equal(p.splitRaw, values.length - Math.round(0.2 * values.length));
    // The validation targets, as the model would predict them if it were perfect.
    const v = p.split.validation;
    const rows = Array.from(v.starts, (s) => p.targetRow(s));
    assert.equal(rows[0], p.splitRaw, 'the first validation target is the first validation row');
    const levels = p.oneStepLevels(v.y.data, rows);
    levels.forEach((l, i) => assert.ok(Math.abs(l - values[rows[i]]) < 1e-3 * Math.abs(values[rows[i]]), `log ${log} lag ${diffLag}: row ${rows[i]}`));
    const chain = p.chainLevels(v.y.data, p.splitRaw - 1);
    chain.forEach((l, i) => assert.ok(Math.abs(l - values[p.splitRaw + i]) < 1e-2 * Math.abs(values[p.splitRaw + i]), `chained, log ${log} lag ${diffLag}`));
    // The forecast window ending at a row holds exactly that row's transformed value last.
    const w = p.windowEndingAt(p.splitRaw - 1);
    assert.equal(w.length, 24);
    assert.equal(w[23], p.zNorm[p.splitRaw - 1 - diffLag]);
  }
  assert.throws(() => prepareForecast(rnn, Float64Array.from([1, 2, 0, 3, 4, 5, 6, 7, 8, 9, 10]), { window: 2, valFraction: 0.2, normalization: 'zscore', log: true, diffLag: 0 }), /a log needs positive values, but row 3 is 0/);
  assert.throws(() => prepareForecast(rnn, values.subarray(0, 30), { window: 24, valFraction: 0.2, normalization: 'zscore', log: false, diffLag: 1 }), /needs at least 26/);
});

test('errors and baselines: hand-checked values', () => {
  const e = errors([1, 2, 4], [1, 0, 2]);
  assert.equal(e.mae, (0 + 2 + 2) / 3);
  assert.equal(e.rmse, Math.sqrt((0 + 4 + 4) / 3));
  assert.equal(e.mape, (100 * (0 + 1)) / 2, 'MAPE skips the true 0');
  assert.equal(e.mapeSkipped, 1);
  const raw = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(Array.from(naiveOneStep(raw, 6)), [6, 7]);
  assert.deepEqual(Array.from(seasonalOneStep(raw, 6, 4)), [3, 4]);
  assert.deepEqual(Array.from(naiveHold(raw, 6, 3)), [6, 6, 6]);
  assert.deepEqual(Array.from(seasonalRepeat(raw, 6, 5, 4)), [3, 4, 5, 6, 3]);
});

test('batches: each epoch visits every window once; the same (seed, step) gives the same batch', () => {
  const N = 50;
  const x = { data: Float32Array.from({ length: N * 3 }, (_, i) => Math.floor(i / 3)), shape: [N, 3, 1] };
  const y = { data: Float32Array.from({ length: N }, (_, i) => i), shape: [N, 1] };
  const src = windowBatches(x, y, 16, 9);
  assert.equal(src.stepsPerEpoch, 4);
  for (const epoch of [0, 1, 7]) {
    const seen = [];
    for (let b = 0; b < 4; b++) {
      const { x: xb, y: yb } = src.batch(epoch * 4 + b);
      seen.push(...yb.data);
      yb.data.forEach((v, i) => assert.equal(xb.data[i * 3], v, 'inputs and targets stay paired'));
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i));
  }
  assert.notDeepEqual(Array.from(src.batch(0).y.data), Array.from(src.batch(4).y.data), 'reshuffled every epoch');
  const again = windowBatches(x, y, 16, 9);
  assert.deepEqual(Array.from(again.batch(9).y.data), Array.from(src.batch(9).y.data));
  const ids = Int32Array.from({ length: 1000 }, (_, i) => i % 97);
  const seq = sequenceBatches(ids, 20, 4, 3);
  const b = seq.batch(5);
  for (let r = 0; r < 4; r++) for (let t = 0; t < 19; t++) assert.equal(b.y.data[r * 20 + t], b.x.data[r * 20 + t + 1], 'targets are the next characters');
  assert.deepEqual(Array.from(sequenceBatches(ids, 20, 4, 3).batch(5).x.data), Array.from(b.x.data));
  assert.equal(sequenceSet(ids.subarray(0, 30), 20, 8)?.x.shape[0], 8);
});

test('loss log: stays within its buckets for a million steps, keeps means, mins and maxes exact', () => {
  const log = new LossLog(64);
  let sum = 0;
  for (let i = 0; i < 1_000_000; i++) {
    const v = 1 + (i % 7);
    log.push(v);
    sum += v;
  }
  const s = log.series();
  assert.ok(s.x.length <= 64, `${s.x.length} points`);
  assert.equal(s.x.at(-1), 1_000_000);
  const total = s.mean.reduce((a, m, i) => a + m * (s.x[i] - (i ? s.x[i - 1] : 0)), 0);
  assert.ok(Math.abs(total - sum) / sum < 1e-9, 'bucket means weigh back to the exact sum');
  assert.equal(Math.min(...s.lo), 1);
  assert.equal(Math.max(...s.hi), 7);
  const small = new LossLog(1024, 100);
  small.push(3);
  small.push(2);
  small.pushVal(102, 2.5);
  assert.deepEqual(small.series(), { x: [101, 102], mean: [3, 2], lo: [3, 2], hi: [3, 2], val: [null, 2.5] });
});

test('text: a capped vocabulary maps rare characters to one symbol and says which', () => {
  const text = 'abcdefghij'.repeat(50) + Array.from({ length: 120 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  const p = prepareText(rnn, text, { valFraction: 0.1, seqLen: 16 });
  assert.equal(p.vocab.size, MAX_VOCAB);
  assert.equal(p.distinct, 130);
  assert.equal(p.dropped.length, 130 - (MAX_VOCAB - 1));
  assert.ok(p.baselines.unigram < p.baselines.uniform);
  assert.throws(() => prepareText(rnn, '   ', { valFraction: 0.1, seqLen: 16 }), /the text is empty/);
  assert.throws(() => prepareText(rnn, 'short text', { valFraction: 0.1, seqLen: 64 }), /sequences of 64 need at least 66/);
  const g = prepareText(rnn, readFileSync(new URL('../../data/text/kjv-genesis.txt', import.meta.url), 'utf8'), { valFraction: 0.1, seqLen: 64 });
  assert.equal(g.vocab.size, 60);
  assert.equal(g.dropped.length, 0);
  const pr = primeIds(g.vocab, 'And God said «');
  assert.equal(pr.kept, 'And God said ');
  assert.deepEqual(pr.missing, ['«']);
});

test('adding problem: a chunk written in place holds exactly the batches it stands for', async () => {
  const { addingBatches, GUESS_MSE } = await import('../../web/src/memory/adding.js');
  const src = addingBatches(30, 4, 7);
  const c = src.chunk(10, 3);
  assert.deepEqual(c.x.shape, [12, 30, 2]);
  for (let i = 0; i < 3; i++) {
    const b = src.batch(10 + i);
    assert.deepEqual(Array.from(c.x.data.subarray(i * 240, (i + 1) * 240)), Array.from(b.x.data));
    assert.deepEqual(Array.from(c.y.data.subarray(i * 4, (i + 1) * 4)), Array.from(b.y.data));
    // Two markers per sequence, the target their sum.
    for (let s = 0; s < 4; s++) {
      let sum = 0;
      let marks = 0;
      for (let t = 0; t < 30; t++) if (b.x.data[(s * 30 + t) * 2 + 1] === 1) { marks++; sum += b.x.data[(s * 30 + t) * 2]; }
      assert.equal(marks, 2);
      assert.ok(Math.abs(sum - b.y.data[s]) < 1e-6);
    }
  }
  assert.ok(Math.abs(GUESS_MSE - 1 / 6) < 1e-12);
});

// What rnnlab can do today, in Node (`npm start` runs this until the playground lands):
//   1. forecast monthly sunspots, against honest baselines;
//   2. "remember across a gap": why an LSTM learns what a plain RNN cannot;
//   3. a character-level LSTM trained briefly on the Book of Genesis, then sampled.
import { readFileSync } from 'node:fs';
import { init } from '../bindings/js/index.js';

const here = (p) => new URL(p, import.meta.url);
const rnn = await init();
const line = (s = '') => console.log(s);
line(`rnnlab ${rnn.version}: ${rnn.simd ? 'WebAssembly SIMD' : 'baseline WebAssembly'} build, kernels "${rnn.kernel}"`);

// 1. Sunspots: train on the past, validate on the last 20% of months.
{
  const csv = readFileSync(here('../data/timeseries/sunspots-monthly.csv'), 'utf8');
  const { values } = rnn.data.parseCsv(csv);
  const window = 24;
  const split = rnn.data.split(values, { window, horizon: 1, validationFraction: 0.2 });
  const model = rnn.createModel({ cell: 'lstm', inputSize: 1, hiddenSize: 32, seed: 1 });
  const t0 = performance.now();
  await model.fit({ x: split.train.x, y: split.train.y }, {
    epochs: 12, batchSize: 32, optimizer: { name: 'adam', lr: 5e-3 }, shuffle: true,
  });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  const pred = split.normalizer.inverse(model.predict(split.validation.x).data);
  const truth = split.normalizer.inverse(split.validation.y.data);
  const lastSeen = split.normalizer.inverse(
    split.validation.x.data.filter((_, i) => i % window === window - 1));
  const mae = (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
  line();
  line(`1. Sunspots, ${values.length} months (1749-2013): LSTM trained in ${secs} s on ${split.train.count} windows`);
  line(`   validation mean absolute error, in sunspot numbers:`);
  line(`     LSTM (${window} months of context)  ${mae(pred, truth).toFixed(2)}`);
  line(`     naive: next = last month          ${mae(lastSeen, truth).toFixed(2)}`);
  model.dispose();
}

// 2. Remember across a gap: the label is the sign of the first step; then `gap` steps of
//    noise of the same size. Accuracy is measured on sequences the model never saw.
{
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const make = (n, T) => {
    const x = new Float32Array(n * T), y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rand() < 0.5 ? 0 : 1;
      x[i * T] = y[i] ? 1 : -1;
      for (let t = 1; t < T; t++) x[i * T + t] = rand() * 2 - 1;
    }
    return { x: { data: x, shape: [n, T, 1] }, y };
  };
  line();
  line('2. Remember across a gap: classify a sequence by its FIRST step, then `gap` steps of noise');
  for (const gap of [50, 150]) {
    const T = gap + 1, train = make(1024, T), test = make(512, T);
    const cells = [];
    for (const cell of ['rnn', 'gru', 'lstm']) {
      const m = rnn.createModel({ cell, inputSize: 1, hiddenSize: 16, outputSize: 2, head: 'softmax', seed: 3 });
      await m.fit(train, { epochs: 40, batchSize: 32, optimizer: { name: 'adam', lr: 3e-3 }, clipNorm: 1 });
      const p = m.predict(test.x).data;
      let right = 0;
      for (let i = 0; i < 512; i++) right += (p[2 * i + 1] > p[2 * i]) === (test.y[i] === 1) ? 1 : 0;
      cells.push(`${cell} ${(100 * right / 512).toFixed(0).padStart(3)}%`);
      m.dispose();
    }
    line(`   gap ${String(gap).padStart(3)}: held-out accuracy  ${cells.join('   ')}   (chance: 50%)`);
  }
  line('   A plain RNN\'s gradient shrinks at every step back in time, so over long gaps it cannot');
  line('   learn what mattered at the start; the LSTM\'s gated cell state carries it.');
}

// 3. A character model on Genesis.
{
  const text = readFileSync(here('../data/text/kjv-genesis.txt'), 'utf8');
  const vocab = rnn.data.charVocab(text);
  const ids = vocab.encode(text);
  const V = vocab.size, B = 32, T = 64;
  const m = rnn.createModel({ cell: 'lstm', vocabSize: V, inputEncoding: 'onehot', hiddenSize: 256,
    outputSize: V, head: 'softmax', output: 'sequence', seed: 5 });
  const xb = new Int32Array(B * T), yb = new Int32Array(B * T);
  let s = 11;
  const t0 = performance.now();
  let loss = 0, steps = 0;
  while (performance.now() - t0 < 15000) {
    for (let b = 0; b < B; b++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const start = s % (ids.length - T - 1);
      xb.set(ids.subarray(start, start + T), b * T);
      yb.set(ids.subarray(start + 1, start + T + 1), b * T);
    }
    loss = m.trainBatch({ data: xb, shape: [B, T] }, { data: yb, shape: [B, T] },
      { optimizer: { name: 'adam', lr: 2e-3 }, clipNorm: 5 });
    steps++;
  }
  const ms = (performance.now() - t0) / steps;
  line();
  line(`3. Character LSTM (256 units) on Genesis: ${steps} steps in 15 s (${ms.toFixed(0)} ms/step), loss ${loss.toFixed(2)} nats/char`);
  const prime = vocab.encode('And God said');
  const out = m.generate({ prime, length: 200, temperature: 0.7, seed: 2 });
  line(`   sample: "And God said${vocab.decode(out).replace(/\n/g, ' ')}"`);
  m.dispose();
}
line();
line('The browser playground (web/) arrives with the next issue; `npm test` runs every test.');

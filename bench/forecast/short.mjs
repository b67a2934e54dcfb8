// Short-series robustness: many short series cut out of longer real ones, each scored with the
// rule of run.mjs (the cut's last 20% held out, forecast free-running from the split, MAE
// divided by the better of naive and seasonal naive on that cut). Not a hand-picked set: every
// series of the folders gives, for each cut length, windows at evenly spaced offsets (the first
// and last possible ones included), so the cuts are fixed by the data and the options alone.
// Prints the geometric mean, the share of cuts above 1.25 and above 1.5, the worst cuts and the
// same figures per length.
//
//   node bench/forecast/short.mjs                     cuts of the bundled ten (8 real + 2 synthetic)
//   node bench/forecast/short.mjs DIR [DIR...]        cuts of every date,value CSV in the folders
//                                                     (the word `bundled` among them: the bundled ten too)
//   options: --cuts 16,24,32,48 (window lengths), --offsets N (windows per series and length,
//            default 4), --steps N (network step budget with seed 1, default 150: deterministic;
//            0 with --budget to time-limit instead), --budget MS (default 10000), --networks N
//            (0: classical members only), --only NAME, --worst K (default 12), --verbose (every cut),
//            --onoff K (also K seeded random on/off series of 20-80 values, 0/1 runs with a switch
//            probability of 0.1-0.4 a step, scored whole and summarised apart)
// Cuts whose held-out part is constant where the simple rules are exact (relative MAE undefined)
// are skipped and counted. m: the season of the seasonal-naive rule on the cut's training part
// (0: none); naive: the naive rule's own score.
import { cpus } from 'node:os';
import { init } from '../../bindings/js/index.js';
import { detectPeriod } from '../../web/src/forecast/period.js';
import { filled, geo, loadSeries, mae, takeFlag } from './series.mjs';

const args = process.argv.slice(2);
const flag = (name, def) => takeFlag(args, name, def);
const lengths = flag('--cuts', '16,24,32,48').split(',').map(Number);
const offsets = Number(flag('--offsets', '4'));
const steps = Number(flag('--steps', '150'));
const budget = Number(flag('--budget', '10000'));
const networks = flag('--networks', undefined);
const only = flag('--only', '');
const worstCount = Number(flag('--worst', '12'));
const onoff = Number(flag('--onoff', '0'));
const verbose = args.includes('--verbose');
const dirs = args.filter((a) => !a.startsWith('--'));



/** K on/off series (0/1 runs), seeded: a user's binary series, which the cuts do not contain. */
function onoffSeries(k) {
  let seed = 5;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const out = [];
  for (let j = 0; j < k; j++) {
    const n = 20 + Math.floor(rand() * 60);
    const p = 0.1 + 0.3 * rand();
    let v = rand() < 0.5 ? 0 : 1;
    out.push({ name: `onoff-${j + 1}`, len: 'on/off', values: Array.from({ length: n }, () => (rand() < p ? (v = 1 - v) : v)) });
  }
  return out;
}

/** Windows of each length at `offsets` evenly spaced starts (deduplicated). */
function cutsOf(s) {
  const out = [];
  for (const len of lengths) {
    const room = s.values.length - len;
    if (room < 0) continue;
    const starts = new Set();
    for (let k = 0; k < offsets; k++) starts.add(offsets > 1 ? Math.round((k * room) / (offsets - 1)) : room);
    for (const start of starts) out.push({ name: `${s.name}[${start}+${len}]`, len, values: s.values.slice(start, start + len) });
  }
  return out;
}



const rnn = await init();
const rows = [];
let skipped = 0;
const t0 = Date.now();
for (const s of [...loadSeries(dirs, only), ...(onoff ? [{ onoff: true }] : [])]) {
  for (const c of s.onoff ? onoffSeries(onoff) : cutsOf(s)) {
    const n = c.values.length;
    const split = Math.floor(n * 0.8);
    const train = c.values.slice(0, split);
    const test = c.values.slice(split);
    const h = test.length;
    if (train.filter(Number.isFinite).length < 8) {
      skipped++;
      continue;
    }
    const trainFilled = filled(train);
    const testIdx = test.map((_, i) => i).filter((i) => Number.isFinite(test[i]));
    const y = testIdx.map((i) => test[i]);
    const pick = (f) => testIdx.map((i) => f[i]);
    let period = detectPeriod(trainFilled).period;
    if (period < 2 || period * 2 > split) period = 0;
    const naive = mae(pick(new Array(h).fill(trainFilled[split - 1])), y);
    const snaive = period > 1 ? mae(pick(Array.from({ length: h }, (_, i) => trainFilled[split - period + (i % period)])), y) : Infinity;
    const base = Math.min(naive, snaive);
    if (!(base > 1e-12 * Math.max(1, ...y.map(Math.abs)))) {
      skipped++;
      continue;
    }
    const f = rnn.createForecaster({ seed: 1, ...(steps > 0 ? { maxSteps: steps } : {}), ...(networks !== undefined ? { networks: Number(networks) } : {}) });
    await f.fit(train, { timeBudgetMs: steps > 0 ? 3_600_000 : budget });
    const rel = mae(pick(Array.from(f.forecast(h).mean)), y) / base;
    const d = f.describe();
    f.dispose();
    const row = { name: c.name, len: c.len, rel, period, naive: naive / base, choice: d.choice, members: d.members, net: d.network.used };
    rows.push(row);
    if (verbose) console.log(`${row.name.padEnd(34)} ${rel.toFixed(3).padStart(7)}  m=${String(period).padStart(2)} naive ${row.naive.toFixed(2)}  ${row.net ? '[net] ' : ''}${d.choice}: ${d.members.join('; ')}`);
  }
}

const summary = (list) => {
  const v = list.map((r) => r.rel);
  const share = (t) => `${((100 * v.filter((x) => x > t).length) / v.length).toFixed(1)}%`;
  return `${String(list.length).padStart(4)} cuts  geometric mean ${geo(v).toFixed(3)}  above 1.25 ${share(1.25).padStart(6)}  above 1.5 ${share(1.5).padStart(6)}  worst ${Math.max(...v).toFixed(3)}`;
};
console.log(`\nworst ${worstCount}:`);
for (const r of [...rows].sort((a, b) => b.rel - a.rel).slice(0, worstCount)) console.log(`  ${r.name.padEnd(34)} ${r.rel.toFixed(3).padStart(7)}  m=${String(r.period).padStart(2)} naive ${r.naive.toFixed(2)}  ${r.net ? '[net] ' : ''}${r.choice}: ${r.members.join('; ')}`);
console.log('');
for (const len of lengths) {
  const list = rows.filter((r) => r.len === len);
  if (list.length) console.log(`length ${String(len).padStart(3)}: ${summary(list)}`);
}
const cut = rows.filter((r) => r.len !== 'on/off');
if (cut.length) {
  console.log(`all:        ${summary(cut)}  (${skipped} skipped)`);
  console.log(`naive:      ${summary(cut.map((r) => ({ rel: r.naive })))}  (the naive rule's score, for scale)`);
}
const binary = rows.filter((r) => r.len === 'on/off');
if (binary.length) console.log(`on/off:     ${summary(binary).replace('cuts', 'series')}`);
console.log(`${steps > 0 ? `step budget ${steps}, seed 1` : `time budget ${budget} ms`}${networks !== undefined ? `, networks ${networks}` : ''}; ${cpus()[0]?.model ?? 'unknown CPU'}; ${new Date().toISOString().slice(0, 10)}; ${((Date.now() - t0) / 1000).toFixed(0)} s`);

// Scores rnnlab's forecaster against naive, seasonal naive, augurs AutoETS and augurs MSTL:
// each series' last 20% held out, forecast free-running from the split. Prints per series the
// MAE relative to the better of naive and seasonal naive (below 1 beats both), the forecaster's
// pooled 80% interval coverage and fit time, and the geometric means.
//
//   node bench/forecast/run.mjs                       the bundled ten (8 real + 2 synthetic)
//   node bench/forecast/run.mjs DIR [DIR...]          every date,value CSV in the folders
//   options: --budget MS (fit time budget, default 10000), --steps N (a step budget instead:
//            deterministic), --only NAME (series whose name contains NAME), --no-peers,
//            --networks N (LSTMs in the ensemble; 0: classical members only)
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { init } from '../../bindings/js/index.js';
import { detectPeriod } from '../../web/src/forecast/period.js';
import { filled, geo, loadSeries, mae, takeFlag } from './series.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const flag = (name, def) => takeFlag(args, name, def);
const budget = Number(flag('--budget', '10000'));
const steps = flag('--steps', undefined);
const only = flag('--only', '');
const networks = flag('--networks', undefined);
const peers = !args.includes('--no-peers');
const dirs = args.filter((a) => !a.startsWith('--'));



async function loadAugurs() {
  const base = join(root, 'node_modules/@bsull/augurs');
  const ets = await import(join(base, 'ets.js'));
  ets.initSync({ module: readFileSync(join(base, 'ets_bg.wasm')) });
  const mstl = await import(join(base, 'mstl.js'));
  mstl.initSync({ module: readFileSync(join(base, 'mstl_bg.wasm')) });
  return { ets, mstl };
}

const fmt = (v) => (v === null ? '   -  ' : v.toFixed(3).padStart(6));


const rnn = await init();
const augurs = peers ? await loadAugurs() : null;
const rows = [];
let covered = 0;
let covered95 = 0;
let counted = 0;
for (const s of loadSeries(dirs, only)) {
  const n = s.values.length;
  const split = Math.floor(n * 0.8);
  const train = s.values.slice(0, split);
  const test = s.values.slice(split);
  const h = test.length;
  const trainFilled = filled(train);
  const testIdx = test.map((v, i) => i).filter((i) => Number.isFinite(test[i]));
  const y = testIdx.map((i) => test[i]);
  const pick = (f) => testIdx.map((i) => f[i]);
  // The season of the seasonal-naive rule (and the peers'): the page's own rule, the highest
  // significant autocorrelation peak of the training part.
  let period = detectPeriod(trainFilled).period;
  if (period < 2 || period * 2 > split) period = 0;
  const last = trainFilled[split - 1];
  const naive = mae(pick(new Array(h).fill(last)), y);
  const snaive = period > 1 ? mae(pick(Array.from({ length: h }, (_, i) => trainFilled[split - period + (i % period)])), y) : Infinity;
  const base = Math.min(naive, snaive) || 1e-12;

  const f = rnn.createForecaster({ ...(steps ? { maxSteps: Number(steps), seed: 1 } : {}), ...(networks ? { networks: Number(networks) } : {}) });
  const t0 = Date.now();
  await f.fit(train, steps ? { timeBudgetMs: 3_600_000 } : { timeBudgetMs: budget });
  const fitMs = Date.now() - t0;
  const t1 = performance.now();
  const fc = f.forecast(h, { levels: [0.8, 0.95] });
  const forecastMs = performance.now() - t1;
  const ours = mae(pick(Array.from(fc.mean)), y);
  const lo = pick(Array.from(fc.intervals[0].lower));
  const hi = pick(Array.from(fc.intervals[0].upper));
  const lo95 = pick(Array.from(fc.intervals[1].lower));
  const hi95 = pick(Array.from(fc.intervals[1].upper));
  let inside = 0;
  let inside95 = 0;
  y.forEach((v, i) => (inside += v >= lo[i] && v <= hi[i] ? 1 : 0));
  y.forEach((v, i) => (inside95 += v >= lo95[i] && v <= hi95[i] ? 1 : 0));
  covered += inside;
  covered95 += inside95;
  counted += y.length;
  const d = f.describe();
  f.dispose();

  let autoEts = null;
  let mstl = null;
  if (augurs) {
    // augurs 0.10.2's AutoETS panics on seasonal models ("seasonal component not implemented
    // yet"): then it runs without a season, as a user of it would have to.
    for (const m of period > 1 ? [period, 1] : [1]) {
      const quiet = console.error;
      console.error = () => {};
      try {
        const model = new augurs.ets.AutoETS(m, 'ZZZ');
        model.fit(new Float64Array(trainFilled));
        autoEts = mae(pick(model.predict(h).point), y) / base;
        model.free();
        break;
      } catch {
        autoEts = null;
      } finally {
        console.error = quiet;
      }
    }
    if (period > 1) {
      try {
        const m = augurs.mstl.MSTL.ets([period]);
        m.fit(new Float64Array(trainFilled));
        mstl = mae(pick(m.predict(h).point), y) / base;
        m.free();
      } catch {
        mstl = null;
      }
    }
  }
  const row = { name: s.name, n, h, period, rel: ours / base, naive: naive / base, snaive: Number.isFinite(snaive) ? snaive / base : null, autoEts, mstl, coverage: inside / y.length, coverage95: inside95 / y.length, fitMs, forecastMs, choice: d.choice, net: d.network.used };
  rows.push(row);
  console.log(`${row.name.padEnd(26)} n=${String(n).padStart(5)} h=${String(h).padStart(4)} m=${String(period).padStart(3)}  rnnlab ${fmt(row.rel)}  naive ${fmt(row.naive)}  snaive ${fmt(row.snaive)}  AutoETS ${fmt(autoEts)}  MSTL ${fmt(mstl)}  cov80 ${(row.coverage * 100).toFixed(0).padStart(3)}% cov95 ${(row.coverage95 * 100).toFixed(0).padStart(3)}%  fit ${(fitMs / 1000).toFixed(1)}s  fc ${forecastMs.toFixed(1)}ms  ${row.net ? '[net] ' : ''}${d.choice}`);
}
const g = (k) => {
  const v = rows.map((r) => r[k]).filter((x) => x !== null && Number.isFinite(x));
  return v.length ? `${geo(v).toFixed(3)}${v.length < rows.length ? ` (${v.length} series)` : ''}` : '-';
};
console.log(`\ngeometric mean over ${rows.length} series: rnnlab ${g('rel')}  naive ${g('naive')}  snaive ${g('snaive')}  AutoETS ${g('autoEts')}  MSTL ${g('mstl')}`);
const meanOf = (k) => (100 * rows.reduce((a, r) => a + r[k], 0) / rows.length).toFixed(1);
const span = (k) => `${(100 * Math.min(...rows.map((r) => r[k]))).toFixed(0)}-${(100 * Math.max(...rows.map((r) => r[k]))).toFixed(0)}%`;
console.log(`interval coverage pooled 80% ${(100 * covered / counted).toFixed(1)}%, 95% ${(100 * covered95 / counted).toFixed(1)}%; mean per series 80% ${meanOf('coverage')}% (${span('coverage')}), 95% ${meanOf('coverage95')}% (${span('coverage95')})`);
console.log(`pooled 80% interval coverage ${(100 * covered / counted).toFixed(1)}%  worst rnnlab ${Math.max(...rows.map((r) => r.rel)).toFixed(3)}  series above 1.25: ${rows.filter((r) => r.rel > 1.25).length}`);
console.log(`${steps ? `step budget ${steps}` : `time budget ${budget} ms`}; ${cpus()[0]?.model ?? 'unknown CPU'}; ${new Date().toISOString().slice(0, 10)}`);

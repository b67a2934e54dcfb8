// Speed on a long series: fit time against the budget and forecast time for a 100,000-value
// hourly-like series (daily and weekly cycles, a slow trend, deterministic noise).
//   node bench/forecast/long.mjs [--n 100000] [--budget 10000]
import { cpus } from 'node:os';
import { init } from '../../bindings/js/index.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? def : Number(process.argv[i + 1]);
};
const n = arg('--n', 100_000);
const budget = arg('--budget', 10_000);
const rnn = await init();
const y = Array.from({ length: n }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 24) + 5 * Math.sin((2 * Math.PI * t) / 168) + 2 * Math.sin(t * 1.7) + 1e-4 * t);
const f = rnn.createForecaster();
const t0 = Date.now();
await f.fit(y, { timeBudgetMs: budget });
const fitMs = Date.now() - t0;
const times = [24, 500, 5000].map((h) => {
  const t = performance.now();
  f.forecast(h);
  return `${h} steps ${(performance.now() - t).toFixed(1)} ms`;
});
console.log(`n=${n}: fit ${fitMs} ms (budget ${budget}); forecast ${times.join(', ')}`);
console.log(f.describe().summary);
console.log(`${cpus()[0]?.model ?? 'unknown CPU'}; ${new Date().toISOString().slice(0, 10)}`);
f.dispose();

// Does fitting in a worker, with the networks in workers of their own, save wall time? The same
// fit (a seed and a step budget: identical forecasts, checked) timed on the main thread
// (createForecaster) and through rnnlab/worker (createWorkerForecaster), alternating, on a
// bundled series. Figures only: nothing is asserted.
//
//   node bench/forecast/workers.mjs [--series NAME] [--steps N (over all networks)] [--rounds N]
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init } from '../../bindings/js/index.js';
import { createWorkerForecaster } from '../../bindings/js/worker.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const flag = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const name = flag('--series', 'co2-mauna-loa');
const maxSteps = Number(flag('--steps', '3000'));
const rounds = Number(flag('--rounds', '3'));

const lines = readFileSync(join(root, 'data/timeseries', `${name}.csv`), 'utf8').trim().split(/\r?\n/).slice(1);
const values = lines.map((l) => Number(l.split(',').pop()));
const options = { seed: 1, maxSteps, timeBudgetMs: 600_000 };
const rnn = await init();

async function mainThread() {
  const f = rnn.createForecaster(options);
  const t0 = performance.now();
  await f.fit(values);
  const ms = performance.now() - t0;
  const out = { ms, report: f.describe(), mean: f.forecast(12).mean };
  f.dispose();
  return out;
}

async function inWorker() {
  const f = await createWorkerForecaster(options);
  const t0 = performance.now();
  const report = await f.fit(values);
  const ms = performance.now() - t0;
  const out = { ms, report, mean: (await f.forecast(12)).mean };
  await f.dispose();
  return out;
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const times = { main: [], worker: [] };
let workers = 0;
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [inWorker, mainThread] : [mainThread, inWorker];
  const res = {};
  for (const run of order) res[run === mainThread ? 'main' : 'worker'] = await run();
  if (res.main.mean.some((v, i) => v !== res.worker.mean[i])) throw new Error('the worker forecast differs from the main thread one');
  times.main.push(res.main.ms);
  times.worker.push(res.worker.ms);
  workers = res.worker.report.network?.workers ?? 0;
  console.log(`round ${r + 1}: main thread ${res.main.ms.toFixed(0)} ms, worker ${res.worker.ms.toFixed(0)} ms (${workers} network workers), load ${loadavg()[0].toFixed(2)}`);
}
const m = median(times.main);
const w = median(times.worker);
console.log(`${name}, ${maxSteps} steps over all networks, ${availableParallelism()} cores: main thread ${m.toFixed(0)} ms, worker ${w.toFixed(0)} ms (median of ${rounds}): ${(m / w).toFixed(2)}x; identical forecasts`);

// What the forecast benchmarks share: reading date,value CSVs, the bundled series, and the
// arithmetic of the scores (MAE, geometric mean, gaps filled for the rules and the peers).
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticSeries } from '../../web/src/data/synthetic.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A date,value CSV (header line first); empty or NA values are NaN. */
export function readCsv(path) {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1);
  const values = lines.map((line) => {
    const v = line.split(',').at(-1).trim();
    return v === '' || v === 'NA' ? NaN : Number(v);
  });
  return { name: basename(path, '.csv'), values };
}

/**
 * The series of the folders (each CSV, sorted by name); `bundled`, or no folder at all, stands
 * for the bundled ten (data/timeseries and the two synthetic series with seed 1).
 * @param {string[]} dirs
 * @param {string} [only] keep the series whose name contains it
 */
export function loadSeries(dirs, only = '') {
  const list = [];
  for (const from of dirs.length ? dirs : ['bundled']) {
    const csvs = (dir) => readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => readCsv(join(dir, f)));
    if (from !== 'bundled') {
      list.push(...csvs(from));
      continue;
    }
    list.push(...csvs(join(root, 'data/timeseries')));
    list.push({ name: 'synthetic-sine', values: Array.from(syntheticSeries('sine', 1).values) });
    list.push({ name: 'synthetic-trend', values: Array.from(syntheticSeries('trend', 1).values) });
  }
  return list.filter((s) => s.name.includes(only));
}

/** Mean absolute error of a forecast against the actual values. */
export const mae = (f, y) => f.reduce((s, v, i) => s + Math.abs(v - y[i]), 0) / y.length;

/** Geometric mean. */
export const geo = (v) => Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length);

/** Missing values filled for the rules and the peers (linear interpolation, ends held). */
export function filled(values) {
  const out = values.slice();
  let prev = -1;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) continue;
    for (let j = prev + 1; j < i; j++) out[j] = prev < 0 ? out[i] : out[prev] + ((out[i] - out[prev]) * (j - prev)) / (i - prev);
    prev = i;
  }
  for (let j = prev + 1; j < out.length; j++) out[j] = out[prev];
  return out;
}

/** Takes `name value` out of the command-line arguments: the value, or `def` when absent. */
export function takeFlag(args, name, def) {
  const i = args.indexOf(name);
  if (i < 0) return def;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

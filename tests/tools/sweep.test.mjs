// The scaling sweep's pieces (bench/sweep/, bench/js/), without running a benchmark: its plan
// (axes, shared base, cap skipping, the runners' arguments), the command-line checks of the
// sweep and of a runner, the shape configuration's FLOP count, the per-step cap of timeRuns,
// and the SVG and markdown drawn from a fixture sweep.json. No timing is asserted.
// (Run by ctest as `bench_sweep`, label quick.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { shapeConfig, shapeFromOptions, timeRuns, trainConfig } from '../../bench/js/common.mjs';
import { sweepMarkdown, sweepSvg } from '../../bench/sweep/chart.mjs';
import { AXES, BASE, IMPLS, TIMING, medianRun, parseSweepArgs, planPoints, runnerArgs, skippedBy } from '../../bench/sweep/plan.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixturePath = fileURLToPath(new URL('./fixtures/sweep-small.json', import.meta.url));
const fixture = () => JSON.parse(readFileSync(fixturePath, 'utf8'));

test('the full plan: every axis value once, the base shape shared by the three axes', () => {
  const points = planPoints(AXES);
  const distinct = new Set(points.map((p) => `${p.hidden}/${p.seq}/${p.batch}`));
  assert.equal(points.length, distinct.size);
  const total = Object.values(AXES).reduce((n, v) => n + v.length, 0);
  assert.equal(points.length, total - 2); // the base sits on all three axes
  const base = points.filter((p) => p.hidden === BASE.hidden && p.seq === BASE.seq && p.batch === BASE.batch);
  assert.equal(base.length, 1);
  assert.deepEqual(base[0].axes.map(([a]) => a).sort(), ['batch', 'hidden', 'seq']);
  for (const [axis, values] of Object.entries(AXES)) {
    const seen = points.flatMap((p) => p.axes.filter(([a]) => a === axis).map(([, v]) => v));
    assert.deepEqual(seen.sort((a, b) => a - b), [...values].sort((a, b) => a - b), axis);
  }
  assert.deepEqual(AXES.hidden, [32, 64, 128, 256, 512, 1024]);
  assert.deepEqual(AXES.seq, [16, 32, 64, 128, 256, 512]);
  assert.equal(Math.min(...AXES.batch), 1);
  assert.equal(Math.max(...AXES.batch), 256);
});

test('a cap skips the larger values of that axis for that implementation only', () => {
  const points = planPoints(AXES);
  const at = (h, t, b) => points.find((p) => p.hidden === h && p.seq === t && p.batch === b);
  const capped = new Map([['tfjs-wasm|hidden', 512]]);
  assert.equal(skippedBy(capped, 'tfjs-wasm', at(1024, 64, 32)), true);
  assert.equal(skippedBy(capped, 'tfjs-wasm', at(512, 64, 32)), false); // the capped point itself ran
  assert.equal(skippedBy(capped, 'rnnlab-1t', at(1024, 64, 32)), false);
  assert.equal(skippedBy(capped, 'tfjs-wasm', at(128, 512, 32)), false); // another axis
  // The base lies on three axes: capped on one of them, it still runs for the others.
  assert.equal(skippedBy(new Map([['tfjs-wasm|hidden', 64]]), 'tfjs-wasm', at(128, 64, 32)), false);
});

test('the runners get the shape, the timing, and Node-only flags only under Node', () => {
  const p = { hidden: 256, seq: 16, batch: 4 };
  const rn = runnerArgs('rnnlab-2t', p, TIMING.full);
  assert.equal(rn[0], IMPLS['rnnlab-2t'].script);
  assert.deepEqual(rn.slice(rn.indexOf('--variant'), rn.indexOf('--variant') + 2), ['--variant', 'simd-threads']);
  const val = (args, flag) => args[args.indexOf(flag) + 1];
  assert.equal(val(rn, '--hidden'), '256');
  assert.equal(val(rn, '--seq'), '16');
  assert.equal(val(rn, '--batch'), '4');
  assert.equal(val(rn, '--cap-ms'), String(TIMING.full.capMs));
  assert.ok(rn.includes('--warmup-ms') && rn.includes('--json'));
  const py = runnerArgs('pytorch-2t', p, TIMING.full);
  assert.equal(py[0], 'bench/pytorch_bench.py');
  assert.equal(val(py, '--threads'), '2');
  assert.ok(!py.includes('--warmup-ms'));
  assert.throws(() => runnerArgs('numpy', p, TIMING.full), /unknown implementation 'numpy'/);
});

test('the sweep command line: defaults, --quick, and clear errors', () => {
  const d = parseSweepArgs([]);
  assert.deepEqual(d.impl, Object.keys(IMPLS));
  assert.deepEqual(d.axisValues, AXES);
  assert.deepEqual(d.timing, TIMING.full);
  const q = parseSweepArgs(['--quick', '--impl', 'rnnlab-1t,tfjs-wasm', '--axes', 'batch', '--cap-ms', '2000']);
  assert.deepEqual(q.impl, ['rnnlab-1t', 'tfjs-wasm']);
  assert.deepEqual(Object.keys(q.axisValues), ['batch']);
  assert.equal(q.timing.capMs, 2000);
  assert.equal(q.timing.budgetMs, TIMING.quick.budgetMs);
  assert.throws(() => parseSweepArgs(['--impl', 'rnnlab-1t,keras']), /--impl: unknown 'keras'/);
  assert.throws(() => parseSweepArgs(['--axes', 'depth']), /--axes: unknown 'depth'/);
  assert.throws(() => parseSweepArgs(['--cap-ms', '0']), /--cap-ms needs a positive integer, got '0'/);
  assert.throws(() => parseSweepArgs(['--out']), /--out needs a value/);
  assert.throws(() => parseSweepArgs(['--fast']), /unknown argument '--fast'/);
  assert.equal(d.repeat, 1);
  assert.equal(parseSweepArgs(['--repeat', '3']).repeat, 3);
  assert.throws(() => parseSweepArgs(['--repeat', '0']), /--repeat needs a positive integer, got '0'/);

  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench/sweep/run.mjs'), '--impl', 'tensorflow'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--impl: unknown 'tensorflow'/);
  assert.match(r.stderr, /usage: node bench\/sweep\/run\.mjs/);
});

test('--repeat keeps the median run of each implementation, with every repeat listed', () => {
  const run = (ms, cpu) => ({ impl: 'rnnlab-2t', status: 'ok', median_ms: ms, thread_cpu_median_ms: cpu, loadavg: [1, 1, 1] });
  const kept = medianRun([run(3.6, 3.7), run(1.8, 1.9), run(2.1, 2.2)]);
  assert.equal(kept.median_ms, 2.1);
  assert.equal(kept.thread_cpu_median_ms, 2.2);
  assert.deepEqual(kept.repeats.map((r) => r.median_ms), [3.6, 1.8, 2.1]);
  assert.equal(medianRun([run(4, 4), run(2, 2)]).median_ms, 2); // the lower middle of an even count
  assert.equal(medianRun([{ status: 'failed', note: 'x' }, run(5, 5)]).median_ms, 5);
  const single = run(1, 1);
  assert.equal(medianRun([single]), single);
  const capped = { status: 'capped', note: 'first step' };
  assert.equal(medianRun([capped]), capped);
  const md = sweepMarkdown({ ...fixture(), repeat: 3 });
  assert.match(md, /the median of 3 runs per implementation and point/);
});

test('a runner refuses an incomplete shape before loading anything', () => {
  for (const script of ['bench/js/wasm_bench.mjs', 'bench/js/tfjs_bench.mjs']) {
    const r = spawnSync(process.execPath, [path.join(ROOT, script), '--hidden', '64', '--seq', '8'], { encoding: 'utf8' });
    assert.equal(r.status, 2, script);
    assert.match(r.stderr, /--hidden, --seq and --batch go together/, script);
  }
  assert.throws(() => shapeFromOptions({ hidden: 64, seq: 0, batch: 2 }), /--seq needs a positive integer/);
  assert.equal(shapeFromOptions({}), null);
});

test("a shape's FLOP count follows CONFIGS.md's rule (TS-S as a shape: 26.0 M)", () => {
  const tss = trainConfig('TS-S');
  const c = shapeConfig({ hidden: 32, seq: 32, batch: 32, features: 1 });
  assert.ok(Math.abs(c.flops - tss.flops) / tss.flops < 0.002, `${c.flops} vs ${tss.flops}`);
  const base = shapeConfig({ hidden: 128, seq: 64, batch: 32 });
  assert.equal(base.flops, 3 * (2 * 32 * 64 * 4 * 128 * (8 + 128) + 2 * 32 * 128));
  assert.deepEqual([base.hidden, base.T, base.B, base.features, base.chars], [[128], 64, 32, 8, false]);
});

test('timeRuns stops after a first call over the cap, and runs a cheap one to the end', async () => {
  let calls = 0;
  const slow = await timeRuns({ warmup: 3, steps: 5, capMs: 1 }, async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 30));
  });
  assert.equal(calls, 1);
  assert.equal(slow.capped, true);
  assert.equal(slow.length, 0);
  assert.ok(slow.firstMs > 1);
  const events = [];
  const fast = await timeRuns({ warmup: 2, steps: 4, capMs: 60000, onStart: () => events.push('start'), onFirst: () => events.push('first') }, () => {});
  assert.equal(fast.capped, undefined);
  assert.equal(fast.length, 4);
  assert.equal(fast.warmup, 2);
  assert.deepEqual(events, ['start', 'first']);
  // CPU clocks: read around each timed call only (fake clocks advancing 5 and 2 per read)
  let c = 0;
  let tc = 0;
  const withCpu = await timeRuns({ warmup: 1, steps: 3, cpuNow: () => (c += 5), threadCpuNow: () => (tc += 2) }, () => {});
  assert.deepEqual(withCpu.cpu, [5, 5, 5]);
  assert.deepEqual(withCpu.threadCpu, [2, 2, 2]);
});

/** Tags of an XML document balance (a small check of well-formedness; no parser dependency). */
function assertBalanced(xml) {
  const stack = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, selfClosing] = m;
    if (selfClosing) continue;
    if (close) assert.equal(stack.pop(), name, `</${name}> closes <${stack.at(-1)}>`);
    else stack.push(name);
  }
  assert.deepEqual(stack, []);
  assert.doesNotMatch(xml.replace(/&(amp|lt|gt|quot);/g, ''), /&/);
}

test('the chart of a fixture sweep: valid SVG, one line per implementation and panel, capped points marked', () => {
  const sweep = fixture();
  const svg = sweepSvg(sweep);
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  assertBalanced(svg);
  assert.match(svg, /Test CPU &lt;fixture&gt;/); // text is escaped
  assert.match(svg, /2026-12-07/);
  assert.match(svg, /load average 3\.5 3 2\.5 at start, 4 3\.2 2\.6 at end/);
  const lines = [...svg.matchAll(/<path class="series" data-impl="([^"]+)" d="([^"]+)"/g)];
  const byImpl = (impl) => lines.filter((m) => m[1] === impl);
  // 3 axes x (ms, CPU ms, memory) panels; every implementation has >= 2 points in each
  for (const impl of Object.keys(sweep.impls)) assert.equal(byImpl(impl).length, 9, impl);
  // TF.js: capped at H 512, skipped at 1024: its hidden-axis lines have 2 points (32, 128)
  const tfHidden = byImpl('tfjs-wasm').map((m) => m[2].split(/[ML]/).filter(Boolean).length);
  assert.ok(tfHidden.includes(2));
  assert.equal(byImpl('rnnlab-1t').map((m) => m[2].split(/[ML]/).filter(Boolean).length)[0], 4);
  for (const [, , d] of lines) assert.match(d, /^M[\d.-]+ [\d.-]+( L[\d.-]+ [\d.-]+)+$/);
  const capped = [...svg.matchAll(/<path class="capped" data-impl="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(capped, ['tfjs-wasm', 'tfjs-wasm']); // wall and CPU panels of the hidden axis
  assert.match(svg, /main-thread CPU ms per step vs hidden size/);
  for (const label of Object.values(sweep.impls)) assert.ok(svg.includes(`>${label}</text>`), label);
  assert.match(svg, />1 s</); // log axis in ms, decades labelled
});

test('2-thread runs: rnnlab in the CPU-time panels and speed-up columns, PyTorch (spinning BLAS) not in the panels', () => {
  const sweep = fixture();
  sweep.impls['rnnlab-2t'] = 'rnnlab wasm SIMD, 2 threads';
  sweep.impls['pytorch-2t'] = 'PyTorch native, 2 BLAS threads';
  const copies = (from, to, f) => sweep.runs.filter((r) => r.impl === from).map((r) => ({ ...r, impl: to, median_ms: r.median_ms / f, thread_cpu_median_ms: r.thread_cpu_median_ms / f }));
  sweep.runs.push(...copies('rnnlab-1t', 'rnnlab-2t', 1.5), ...copies('pytorch-1t', 'pytorch-2t', 1.25));
  const svg = sweepSvg(sweep);
  assertBalanced(svg);
  const count = (impl) => [...svg.matchAll(new RegExp(`class="series" data-impl="${impl}"`, 'g'))].length;
  assert.equal(count('rnnlab-2t'), 9);
  assert.equal(count('pytorch-2t'), 6);
  assert.match(svg, /stroke-dasharray="6 4"/);
  const md = sweepMarkdown(sweep);
  // wall: 2t speed-ups of both; main-thread CPU: rnnlab's only
  assert.match(md, /\| 128 \| 20\.0 \| 400 \| 40\.0 \| 13\.3 \| 32\.0 \| 20\.00x \| 2\.00x \| 1\.50x \| 1\.25x \| 3\.5 \|/);
  assert.match(md, /\| 128 \| 10\.0 \| 200 \| 20\.0 \| 6\.67 \| 16\.0 \| 20\.00x \| 2\.00x \| 1\.50x \|\n/);
});

test('the tables of a fixture sweep: medians, capped and skipped runs, same-point ratios', () => {
  const md = sweepMarkdown(fixture());
  assert.match(md, /Sweep of 2026-12-07 \(--quick, 1\.5 min\): 2 x Test CPU <fixture>/);
  assert.match(md, /\*\*hidden size\*\* \(seq 64, batch 32\):/);
  // base: rnnlab 20 ms, TF.js 400 ms, PyTorch 40 ms -> 20x and 2x
  assert.match(md, /\| hidden \| rnnlab 1t \| TF\.js \| PyTorch 1t \| TF\.js \/ rnnlab \| PyTorch 1t \/ rnnlab \| load \|\n/);
  assert.match(md, /\| 128 \| 20\.0 \| 400 \| 40\.0 \| 20\.00x \| 2\.00x \| 3\.5 \|/);
  assert.match(md, /\| 512 \| 320 \| > 15 s \(cap\) \| 640 \|  \| 2\.00x \|/);
  assert.match(md, /\| 1024 \| 1280 \| skipped \| 2560 \|/);
  // main-thread CPU time: half the wall time in the fixture; its ratios from the CPU figures
  assert.match(md, /\*\*hidden size\*\*, main-thread CPU ms:\n\n\| hidden \| rnnlab 1t \| TF\.js \| PyTorch 1t \| TF\.js \/ rnnlab \| PyTorch 1t \/ rnnlab \|\n/);
  assert.match(md, /\| 128 \| 10\.0 \| 200 \| 20\.0 \| 20\.00x \| 2\.00x \|\n/);
  assert.match(md, /\| batch \| rnnlab 1t RSS \| TF\.js RSS \| PyTorch 1t RSS \| rnnlab wasm mem \(in use\) \| TF\.js wasm mem \|/);
  assert.match(md, /\| 128 \| 20 \| 100 \| 20 \| 32 \(8\.0\) \| 32 \|/);
  assert.match(md, /\| 512 \| 80 \| capped \| 80 \|/);
});

test('run.mjs --from redraws the files of a sweep.json without running anything', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'rnnlab-sweep-'));
  try {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bench/sweep/run.mjs'), '--from', fixturePath, '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(path.join(out, 'sweep.svg'), 'utf8'), sweepSvg(fixture()));
    assert.equal(readFileSync(path.join(out, 'sweep.md'), 'utf8'), sweepMarkdown(fixture()));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

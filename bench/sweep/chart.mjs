// Draws a sweep.json (bench/sweep/run.mjs) as a static SVG (log-log: one panel per axis for ms
// per training step, one below it for peak memory; one line per implementation) and as
// markdown tables with the ratios of each point's back-to-back runs. Pure functions.

const STYLE = {
  'rnnlab-1t': { color: '#1f77b4', dash: '' },
  'rnnlab-2t': { color: '#1f77b4', dash: '6 4' },
  'tfjs-wasm': { color: '#d62728', dash: '' },
  'pytorch-1t': { color: '#2ca02c', dash: '' },
  'pytorch-2t': { color: '#2ca02c', dash: '6 4' },
};
/**
 * The implementations whose main thread's CPU time per step estimates their wall time on idle
 * cores: the 1-thread runs, and rnnlab's pool, whose workers and main thread sleep while they
 * wait. Not PyTorch on 2 BLAS threads: OpenBLAS's main thread spins while it waits.
 */
const CPU_ESTIMATES = ['rnnlab-1t', 'rnnlab-2t', 'tfjs-wasm', 'pytorch-1t'];
const AXIS_TITLE = { hidden: 'hidden size', seq: 'sequence length', batch: 'batch' };
const MiB = 1024 * 1024;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x) => Number(x.toFixed(1));

/** The run of impl at the point where axis = value (runs share BASE across axes). */
export function runAt(sweep, axis, value, impl) {
  return sweep.runs.find((r) => r.impl === impl && r.axes.some(([a, v]) => a === axis && v === value));
}

/** The memory a chart shows for a run: the process's peak RSS growth over the run, in MiB. */
export const memoryMiB = (r) => (r?.status === 'ok' && r.memory?.peak_rss_growth_bytes !== undefined ? r.memory.peak_rss_growth_bytes / MiB : null);

/** The main thread's median CPU ms per step of a run, or null. */
const threadCpu = (r) => (r?.status === 'ok' && r.thread_cpu_median_ms > 0 ? r.thread_cpu_median_ms : null);

/** Decades [10^a, 10^b] around the values (positive ones). */
function decades(values) {
  const v = values.filter((x) => x > 0);
  if (!v.length) return [0, 1];
  const lo = Math.floor(Math.log10(Math.min(...v)));
  const hi = Math.ceil(Math.log10(Math.max(...v)));
  return [lo, hi > lo ? hi : lo + 1];
}

const tickLabel = (e, unit) => {
  const v = 10 ** e;
  if (unit === 'ms' && v >= 1000) return `${v / 1000} s`;
  return v >= 1 ? String(v) : v.toFixed(-e);
};

/** One log-log panel: series [{impl, points: [{x, y, capped}]}]. Returns SVG elements. */
function panel({ x0, y0, w, h, xs, yDec, title, yUnit, series, capY }) {
  const out = [];
  const [lx, hx] = [Math.log10(Math.min(...xs)) - 0.15, Math.log10(Math.max(...xs)) + 0.15];
  const X = (x) => x0 + ((Math.log10(x) - lx) / (hx - lx)) * w;
  const Y = (y) => y0 + h - ((Math.log10(y) - yDec[0]) / (yDec[1] - yDec[0])) * h;
  out.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#fff" stroke="#888"/>`);
  for (let e = yDec[0]; e <= yDec[1]; ++e) {
    const y = num(Y(10 ** e));
    out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + w}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 - 5}" y="${y + 4}" text-anchor="end">${esc(tickLabel(e, yUnit))}</text>`);
  }
  for (const x of xs) {
    const px = num(X(x));
    out.push(`<line x1="${px}" y1="${y0}" x2="${px}" y2="${y0 + h}" stroke="#eee"/>`);
    out.push(`<text x="${px}" y="${y0 + h + 14}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<text x="${x0 + w / 2}" y="${y0 - 6}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  for (const s of series) {
    const st = STYLE[s.impl] ?? { color: '#555', dash: '' };
    const ok = s.points.filter((p) => !p.capped && p.y > 0);
    if (ok.length > 1) {
      const d = ok.map((p, i) => `${i ? 'L' : 'M'}${num(X(p.x))} ${num(Y(p.y))}`).join(' ');
      out.push(`<path class="series" data-impl="${esc(s.impl)}" d="${d}" fill="none" stroke="${st.color}" stroke-width="1.8"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`);
    }
    for (const p of ok) out.push(`<circle cx="${num(X(p.x))}" cy="${num(Y(p.y))}" r="2.6" fill="${st.color}"/>`);
    for (const p of s.points.filter((q) => q.capped && capY)) {
      const [cx, cy] = [num(X(p.x)), num(Y(capY))];
      out.push(`<path class="capped" data-impl="${esc(s.impl)}" d="M${cx - 5} ${cy + 4} L${cx + 5} ${cy + 4} L${cx} ${cy - 5} Z" fill="none" stroke="${st.color}" stroke-width="1.5"><title>first step over the cap</title></path>`);
    }
  }
  return out;
}

/** The sweep as an SVG document (a string). */
export function sweepSvg(sweep) {
  const impls = Object.keys(sweep.impls);
  const axes = Object.keys(sweep.axes);
  const capMs = sweep.timing?.capMs ?? null;
  const anyCapped = sweep.runs.some((r) => r.status === 'capped');
  const ms = sweep.runs.filter((r) => r.status === 'ok').map((r) => r.median_ms);
  const yMs = decades(anyCapped && capMs ? [...ms, capMs] : ms);
  const mem = sweep.runs.map(memoryMiB).filter((x) => x > 0);
  const yMem = decades(mem);
  const cpuImpls = impls.filter((i) => CPU_ESTIMATES.includes(i));
  const cpuOf = threadCpu;
  const hasCpu = sweep.runs.some((r) => cpuImpls.includes(r.impl) && cpuOf(r));
  const pw = 290;
  const gap = 60;
  const left = 60;
  const W = left + axes.length * pw + (axes.length - 1) * gap + 30;
  const top = 104;
  const hMs = 250;
  const cpuTop = top + hMs + 60;
  const hCpu = hasCpu ? 190 : 0;
  const memTop = cpuTop + (hasCpu ? hCpu + 60 : 0);
  const hMem = 130;
  const notes = [
    ...(hasCpu ? ['Main-thread CPU ms: the median over the timed steps of the main thread\'s CPU time: about the step\'s wall time on idle cores, and far less inflated by a shared',
      'machine\'s load than the wall time (not drawn for PyTorch on 2 threads, whose main thread spins while it waits for OpenBLAS\'s).'] : []),
    'Memory: growth of the process\'s peak resident set from after the data were made to after the steps: model, optimizer state,',
    'activations, allocator caches, wasm memory growth (a run that grew none is not drawn). rnnlab on 2 threads: the simd-threads build, init({threads: 2}).',
    'PyTorch on 2 threads: 2 BLAS threads, torch\'s own pool at one (both pools at two spun against each other on 2 cores).',
    `PyTorch's BLAS: ${sweep.torch_blas ?? '?'}.`,
  ];
  const H = memTop + hMem + 36 + notes.length * 15;
  const el = [];
  const la = (l) => (l ? l.join(' ') : '?');
  el.push(`<text x="${left}" y="22" font-size="15" font-weight="bold">rnnlab scaling sweep: ms per training step and peak memory (LSTM 1 layer, 8 features, dense-1 head, MSE, Adam)</text>`);
  el.push(`<text x="${left}" y="40">${esc(`${sweep.date}, ${sweep.machine.cores} x ${sweep.machine.cpu_model}, Node ${sweep.node}; load average ${la(sweep.loadavg_start)} at start, ${la(sweep.loadavg_end)} at end${sweep.quick ? '; --quick' : ''}`)}</text>`);
  el.push(`<text x="${left}" y="56">${esc(`base H ${sweep.base.hidden}, T ${sweep.base.seq}, B ${sweep.base.batch}; one axis varied at a time; median of each run's timed steps; ${capMs ? `triangle: first step over ${capMs / 1000} s (the axis's larger values skipped)` : ''}`)}</text>`);
  let x = left;
  impls.forEach((impl) => {
    const st = STYLE[impl] ?? { color: '#555', dash: '' };
    el.push(`<line x1="${x}" y1="76" x2="${x + 22}" y2="76" stroke="${st.color}" stroke-width="2"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`);
    el.push(`<text class="legend" x="${x + 27}" y="80">${esc(sweep.impls[impl])}</text>`);
    x += 27 + sweep.impls[impl].length * 6.1 + 14; // ~6 px a character at 11 px sans-serif
  });
  axes.forEach((axis, k) => {
    const x0 = left + k * (pw + gap);
    const xs = sweep.axes[axis];
    const seriesOf = (y) => impls.map((impl) => ({
      impl,
      points: xs.map((x) => {
        const r = runAt(sweep, axis, x, impl);
        return { x, y: y(r), capped: r?.status === 'capped' };
      }).filter((p) => p.capped || p.y !== null),
    }));
    el.push(...panel({ x0, y0: top, w: pw, h: hMs, xs, yDec: yMs, title: `ms per step vs ${AXIS_TITLE[axis] ?? axis}`, yUnit: 'ms',
      series: seriesOf((r) => (r?.status === 'ok' ? r.median_ms : null)), capY: capMs }));
    if (hasCpu) {
      el.push(...panel({ x0, y0: cpuTop, w: pw, h: hCpu, xs, yDec: yMs, title: `main-thread CPU ms per step vs ${AXIS_TITLE[axis] ?? axis}`, yUnit: 'ms',
        series: seriesOf(cpuOf).filter((s) => cpuImpls.includes(s.impl)), capY: capMs }));
    }
    el.push(...panel({ x0, y0: memTop, w: pw, h: hMem, xs, yDec: yMem, title: `peak RSS growth, MiB, vs ${AXIS_TITLE[axis] ?? axis}`, yUnit: 'MiB',
      series: seriesOf((r) => { const m = memoryMiB(r); return m > 0 ? m : null; }), capY: null }));
  });
  notes.forEach((t, i) => el.push(`<text x="${left}" y="${memTop + hMem + 40 + i * 15}">${esc(t)}</text>`));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#fafafa"/>
${el.join('\n')}
</svg>
`;
}

function fmtMs(r, capMs) {
  if (!r) return '';
  if (r.status === 'ok') return r.median_ms >= 100 ? r.median_ms.toFixed(0) : r.median_ms >= 10 ? r.median_ms.toFixed(1) : r.median_ms.toFixed(2);
  if (r.status === 'capped') return `> ${capMs / 1000} s (cap)`;
  return r.status;
}
const ratio = (a, b) => (a?.status === 'ok' && b?.status === 'ok' ? `${(a.median_ms / b.median_ms).toFixed(2)}x` : '');
const mibOf = (bytes) => (bytes === undefined || bytes === null ? '' : (bytes / MiB).toFixed(bytes >= 10 * MiB ? 0 : 1));

/** Markdown tables: per axis, ms per step of every implementation and the same-point ratios; then memory. */
export function sweepMarkdown(sweep) {
  const impls = Object.keys(sweep.impls);
  const capMs = sweep.timing?.capMs;
  const short = { 'rnnlab-1t': 'rnnlab 1t', 'rnnlab-2t': 'rnnlab 2t', 'tfjs-wasm': 'TF.js', 'pytorch-1t': 'PyTorch 1t', 'pytorch-2t': 'PyTorch 2t' };
  const name = (i) => short[i] ?? i;
  const lines = [];
  lines.push(`Sweep of ${sweep.date} (${sweep.quick ? '--quick, ' : ''}${sweep.minutes ?? '?'} min): ${sweep.machine.cores} x ${sweep.machine.cpu_model}, Node ${sweep.node}, load average ${sweep.loadavg_start?.join(' ')} at start, ${sweep.loadavg_end?.join(' ') ?? '?'} at end. PyTorch BLAS: ${sweep.torch_blas}.`);
  lines.push('');
  const repeat = sweep.repeat > 1 ? `the run with the median of ${sweep.repeat} runs per implementation and point, each in a fresh process; ` : '';
  lines.push(`Median ms per training step (${repeat}each run: at most ${sweep.timing.steps} timed steps within ${sweep.timing.budgetMs / 1000} s after warm-up; a first step over ${capMs / 1000} s is stopped: '> cap', and the axis's larger values are skipped). Ratios from the same point's runs, made back to back (> 1: rnnlab 1 thread faster; speed-up: 1 thread ms / 2 threads ms); load: 1-minute load average before the point's first run.`);
  for (const axis of Object.keys(sweep.axes)) {
    const other = Object.entries(sweep.base).filter(([k]) => ['hidden', 'seq', 'batch'].includes(k) && k !== axis).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push('', `**${AXIS_TITLE[axis] ?? axis}** (${other}):`, '');
    const has = (...need) => need.every((i) => impls.includes(i));
    const ratios = [
      ['TF.js / rnnlab', 'tfjs-wasm', 'rnnlab-1t'], ['PyTorch 1t / rnnlab', 'pytorch-1t', 'rnnlab-1t'],
      ['rnnlab 2t speed-up', 'rnnlab-1t', 'rnnlab-2t'], ['PyTorch 2t speed-up', 'pytorch-1t', 'pytorch-2t'],
    ].filter(([, a, b]) => has(a, b));
    const head = [axis, ...impls.map(name), ...ratios.map(([t]) => t), 'load'];
    lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
    for (const v of sweep.axes[axis]) {
      const at = (i) => runAt(sweep, axis, v, i);
      const load = sweep.runs.find((r) => r.axes.some(([a, x]) => a === axis && x === v))?.loadavg?.[0] ?? ''; // the point's first run
      lines.push(`| ${[v, ...impls.map((i) => fmtMs(at(i), capMs)), ...ratios.map(([, a, b]) => ratio(at(a), at(b))), load].join(' | ')} |`);
    }
  }
  if (sweep.runs.some((r) => threadCpu(r))) {
    lines.push('', "Main-thread CPU ms per training step: the median over the timed steps of the main thread's CPU time. For a 1-thread run it is about the step's wall time on an idle core; for rnnlab on 2 threads the serial part, the main thread's share and its wait for the worker (it spins at most 5 ms, then sleeps), about the wall time on 2 idle cores. A shared machine's load inflates it far less than the wall time, so these ratios are the steadier ones. PyTorch 2t: OpenBLAS's main thread spins while it waits, so its figure is no such estimate (no speed-up computed).");
    for (const axis of Object.keys(sweep.axes)) {
      lines.push('', `**${AXIS_TITLE[axis] ?? axis}**, main-thread CPU ms:`, '');
      const ratios = [['TF.js / rnnlab', 'tfjs-wasm', 'rnnlab-1t'], ['PyTorch 1t / rnnlab', 'pytorch-1t', 'rnnlab-1t'], ['rnnlab 2t speed-up', 'rnnlab-1t', 'rnnlab-2t']]
        .filter(([, a, b]) => impls.includes(a) && impls.includes(b));
      const head = [axis, ...impls.map(name), ...ratios.map(([t]) => t)];
      lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
      for (const v of sweep.axes[axis]) {
        const at = (i) => runAt(sweep, axis, v, i);
        const cpuRun = (r) => (threadCpu(r) ? { status: 'ok', median_ms: threadCpu(r) } : r);
        lines.push(`| ${[v, ...impls.map((i) => fmtMs(cpuRun(at(i)), capMs)), ...ratios.map(([, a, b]) => ratio(cpuRun(at(a)), cpuRun(at(b))))].join(' | ')} |`);
      }
    }
  }
  lines.push('', 'Peak memory, MiB: the process\'s peak RSS growth over the run (after the data were made), per implementation; and the WebAssembly memory\'s size after the steps (it only grows: the peak) of rnnlab (1 thread; heap in use by malloc then) and TF.js.');
  for (const axis of Object.keys(sweep.axes)) {
    lines.push('', `**${AXIS_TITLE[axis] ?? axis}**:`, '');
    const head = [axis, ...impls.map((i) => `${name(i)} RSS`), 'rnnlab wasm mem (in use)', 'TF.js wasm mem'];
    lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
    for (const v of sweep.axes[axis]) {
      const at = (i) => runAt(sweep, axis, v, i);
      const rn = at('rnnlab-1t');
      const tf = at('tfjs-wasm');
      const rss = impls.map((i) => (at(i)?.status === 'ok' ? mibOf(at(i).memory?.peak_rss_growth_bytes) : at(i)?.status ?? ''));
      const rnMem = rn?.status === 'ok' ? `${mibOf(rn.memory.wasm_memory_bytes)} (${mibOf(rn.memory.heap_in_use_bytes)})` : '';
      lines.push(`| ${[v, ...rss, rnMem, tf?.status === 'ok' ? mibOf(tf.memory.wasm_memory_bytes) : ''].join(' | ')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

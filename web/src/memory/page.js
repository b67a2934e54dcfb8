// The memory experiments' page: a live race of models that differ in one thing, what it
// measured, the gradient reaching back in time for each racer, and (for the gap race) error
// against the gap from races at several gaps. Its sentences come from words.js.
import { EXPERIMENTS } from '../data/catalog.js';
import { loadTextFile } from '../data/files.js';
import { GUESS_MSE, headline, raceOf } from './experiments.js';
import { Chart, COLORS, axis, logAxis } from '../views/chart.js';
import { fmt, fmtDuration, h, replace } from '../lib/dom.js';
import { RaceTrainer } from './raceTrainer.js';
import { explainConditions, gapExplanation, gradExplanation, raceExplanation, verdict } from './words.js';

const RACER_COLORS = { rnn: '#D55E00', lstm: '#0072B2', gru: '#009E73', clipped: '#0072B2', unclipped: '#D55E00', memory: '#0072B2', nomemory: '#D55E00' };
/** The racers' colours dark enough for their names as text (4.5:1 on white; styles.css). */
const RACER_TEXT = { rnn: 'var(--free-text)', lstm: 'var(--model)', gru: 'var(--gru-text)', clipped: 'var(--model)', unclipped: 'var(--free-text)', memory: 'var(--model)', nomemory: 'var(--free-text)' };
/** Gaps of the sweep (error against the gap). */
export const SWEEP_GAPS = [10, 25, 50, 100, 150];

export class MemoryController {
  /**
   * @param {{main: HTMLElement, side: HTMLElement, data: HTMLElement}} slots
   */
  constructor(slots) {
    this.task = 'memory';
    this.hideLoss = true;
    this.noSaving = true;
    this.probeEveryMs = 400;
    this.about = h('div', { class: 'about' });
    replace(slots.data, this.about);
    this.raceHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Error of each model against training time' });
    this.race2Host = h('div', { class: 'chart', role: 'img', 'aria-label': 'Gradient norm of each training step' });
    this.tableHost = h('div', { class: 'race-table', 'aria-live': 'polite' });
    this.verdict = h('p', { class: 'verdict', role: 'status', id: 'race-verdict' });
    this.gradHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Gradient reaching each time step, per model' });
    this.gapHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Error against the gap, per cell' });
    this.sweepButton = h('button', { type: 'button', id: 'sweep', onclick: () => this.sweep() }, 'Race at every gap');
    this.sweepStatus = h('span', { class: 'note', id: 'sweep-status' });
    this.gapExplain = h('p', { class: 'explain', id: 'gap-explain' });
    this.gradExplain = h('p', { class: 'explain', id: 'grad-explain' });
    this.gapSection = h('section', { class: 'gap-section' },
      h('h3', null, 'Error against the gap'),
      h('div', { class: 'inline' }, this.sweepButton, this.sweepStatus),
      this.gapHost,
      this.gapExplain);
    this.xAxis = 'time';
    const xToggle = h('select', { id: 'race-x', onchange: () => { this.xAxis = xToggle.value; this.raceChart.rebuild(); this.draw(); } },
      h('option', { value: 'time' }, 'training time'), h('option', { value: 'steps' }, 'training steps'));
    this.titleEl = h('h2', null, 'The race');
    this.explainEl = h('p', { class: 'explain' });
    this.secondTitle = h('h3', null, 'Gradient norm of each step (before clipping)');
    this.secondSection = h('div', null, this.secondTitle, this.race2Host);
    replace(slots.main,
      h('div', { class: 'panel-head' }, this.titleEl, h('label', { for: 'race-x' }, 'against'), xToggle),
      this.raceHost,
      this.secondSection,
      this.explainEl,
      this.gapSection);
    replace(slots.side,
      h('h2', null, 'What it measured'),
      this.verdict,
      this.tableHost,
      h('h3', null, 'Gradient reaching each step'),
      this.gradHost,
      this.gradExplain);
    /** @type {any} */
    this.state = null;
    this.series = /** @type {string[]} */ ([]);
    this.raceChart = new Chart(this.raceHost, (w, hh) => this.#raceOptions(w, hh), 260);
    this.race2Chart = new Chart(this.race2Host, (w, hh) => this.#race2Options(w, hh), 200);
    this.gradChart = new Chart(this.gradHost, (w, hh) => this.#gradOptions(w, hh), 220);
    this.gapChart = new Chart(this.gapHost, (w, hh) => this.#gapOptions(w, hh), 220);
    /** Results of finished races by gap: gap -> {cell -> mse}. @type {Map<number, Record<string, number>>} */
    this.byGap = new Map();
    this.sweeping = null;
  }

  async load(state) {
    if (state.data === 'nomemory') return { text: await loadTextFile('kjv-genesis.txt') };
    return {};
  }

  prepare(rnn, state, source) {
    return { rnn, text: source.text, experiment: EXPERIMENTS.find((e) => e.id === state.data) };
  }

  /** The race, built and started (its workers loaded), ready to play. */
  async build(rnn, state, prep) {
    this.rnn = rnn;
    const race = await raceOf(state, { rnn, text: prep.text }).start();
    this.trainer = new RaceTrainer(race);
    race.on((what) => {
      if (what === 'progress' || what === 'inspect' || what === 'start' || what === 'error' || what === 'state') this.dirty = true;
      if (race.released && state.data === 'gap') this.#record(state.gap, race);
    });
    return this.trainer;
  }

  // ---- inside the network: one racer at a time ----

  exampleControl(onChange) {
    const racers = this.trainer?.race.racers ?? [];
    this.insideRacer = racers.find((r) => r.entry.probe && r.entry.id !== 'rnn')?.entry.id ?? racers[0]?.entry.id;
    const select = h('select', { id: 'inside-racer', onchange: () => {
      this.insideRacer = select.value;
      onChange();
    } }, racers.filter((r) => r.entry.probe).map((r) => h('option', { value: r.entry.id, selected: r.entry.id === this.insideRacer }, r.entry.label)));
    this.onInsideChange = onChange;
    return h('div', { class: 'inline example-pick' }, h('label', { for: 'inside-racer' }, 'Model'), select,
      h('span', { class: 'note' }, ' on the first held-out sequence (the race’s gradient probe)'));
  }

  /** The chosen racer's latest inspection of the probe sequence, if it has one. */
  insideView() {
    const r = this.trainer?.race.racers.find((x) => x.entry.id === this.insideRacer);
    if (!r?.inspection || !r.entry.probe) return null;
    const x = r.entry.probe.x;
    const T = x.shape[1];
    let labels;
    let values;
    let marks = [];
    if (x.shape.length === 3) {
      values = Array.from({ length: T }, (_, t) => x.data[t * 2]);
      marks = values.map((_, t) => t).filter((t) => x.data[t * 2 + 1] === 1);
      labels = values.map((v, t) => `${v.toFixed(3)}${x.data[t * 2 + 1] === 1 ? ', marked: one of the two numbers to add' : ''}`);
    } else {
      labels = [...(r.entry.probe.labels ?? [])];
    }
    return { inspection: r.inspection, example: { x, labels, values, marks, title: `${r.entry.label}, held-out sequence 1` }, cell: r.entry.model.cell, step: r.inspection.step };
  }

  unrolled(state) {
    if (state.data === 'nomemory') {
      return { shape: /** @type {const} */ ('many-to-many'), cell: state.cell, layers: 1, inputs: [...'In the beginning God'],
        caption: `The model with memory is many-to-many over ${state.gap} characters; the one with sequences of 1 is one-to-one: one character in, one prediction out, no state carried.` };
    }
    return { shape: /** @type {const} */ ('many-to-one'), cell: state.data === 'gap' ? (this.insideRacer ?? 'lstm') : state.cell, layers: 1,
      inputs: Array.from({ length: state.gap }, (_, t) => (t === 1 ? '0.7 ✓' : t === state.gap - 20 ? '0.2 ✓' : '0.5')),
      caption: `Many-to-one: ${state.gap} pairs (number, marker) in, one answer out at the end; only that output feeds the loss, so the error must travel back ${state.gap} steps to reach the first marked number.` };
  }

  /** The counters of the top bar for a race. */
  counters(t) {
    const racers = t.race.racers;
    const ms = racers.reduce((a, r) => a + r.ms, 0);
    return [
      ['steps (each)', `${t.steps.toLocaleString('en-US')} / ${t.race.budget.toLocaleString('en-US')}`, 'steps', String(t.steps)],
      ['steps/s (all)', t.playing ? fmt(t.stepsPerSecond, 3) : '–', 'steps-per-second', ''],
      ['training time (all)', fmtDuration(ms), 'time', ''],
    ];
  }

  showPrepared(prep, state) {
    this.state = state;
    const e = prep.experiment;
    replace(this.about, h('p', null, e.about), h('p', { class: 'facts' }, explainConditions(state)));
    this.gapSection.hidden = state.data !== 'gap';
    this.secondSection.hidden = state.data !== 'clip';
    replace(this.titleEl, e.title);
    replace(this.explainEl, raceExplanation(state));
    replace(this.gapExplain, gapExplanation());
    replace(this.gradExplain, gradExplanation(state));
    this.series = [];
    this.raceChart.rebuild();
    this.race2Chart.rebuild();
    this.gradChart.rebuild();
    this.dirty = true;
    this.draw();
    this.#drawGap();
  }

  /** Redraws from the race's measurements (no calls to the workers: the race makes those). */
  async probe() {
    if (!this.dirty) return;
    this.dirty = false;
    this.draw();
  }

  draw() {
    const race = this.trainer?.race;
    const state = this.state;
    if (!race || !state || !race.racers.length) return;
    const ids = race.racers.map((r) => r.entry.id);
    if (ids.join() !== this.series.join()) {
      this.series = ids;
      this.raceChart.rebuild();
      this.race2Chart.rebuild();
      this.gradChart.rebuild();
    }
    // Each racer's points on one x axis: union of x values, nulls elsewhere.
    const xs = new Set();
    const key = (p) => (this.xAxis === 'time' ? Math.round(p.ms) / 1000 : p.steps);
    for (const r of race.racers) for (const p of r.points) xs.add(key(p));
    const x = [...xs].sort((a, b) => a - b);
    const index = new Map(x.map((v, i) => [v, i]));
    const ys = race.racers.map((r) => {
      const y = new Array(x.length).fill(null);
      for (const p of r.points) {
        const v = headline(state, p);
        y[/** @type {number} */ (index.get(key(p)))] = Number.isFinite(v) && v > 0 ? v : null;
      }
      return y;
    });
    this.raceChart.set([x, ...ys, ...(state.data === 'nomemory' ? [] : [x.map(() => GUESS_MSE)])]);
    if (state.data === 'clip') {
      const logs = race.racers.map((r) => r.session.gradLog.series());
      const longest = logs.reduce((a, l) => (l.x.length > a.x.length ? l : a), logs[0]);
      const lossLogs = race.racers.map((r) => r.session.log.series());
      this.race2Chart.set([longest.x, ...logs.map((l) => longest.x.map((_, i) => l.mean[i] ?? null)), ...lossLogs.map((l) => longest.x.map((_, i) => l.mean[i] ?? null))]);
    }
    // Gradient flow per racer (latest inspection of the probe sequence).
    const withProbe = race.racers.filter((r) => r.entry.probe);
    const T = withProbe[0]?.inspection?.layers[0].gradNorm.length ?? 0;
    if (T) {
      const tx = Array.from({ length: T }, (_, i) => i + 1);
      this.gradChart.set([tx, ...withProbe.map((r) => (r.inspection ? Array.from(r.inspection.layers[0].gradNorm, (v) => (Number.isFinite(v) && v > 0 ? v : null)) : tx.map(() => null)))]);
    }
    this.#drawTable(race, state);
  }

  #drawTable(race, state) {
    const lower = state.data === 'nomemory' ? 'loss' : 'mse';
    const rows = race.racers.map((r) => {
      const p = r.points.at(-1);
      const s = r.session;
      const ended = race.stateOf(r);
      const status = ended === 'diverged' ? `diverged at step ${s.steps + 1}` : ended === 'crashed' ? 'worker stopped' : s.steps >= race.budget ? 'done' : r.busy ? 'training' : race.racing ? 'waiting its turn' : 'paused';
      return h('tr', { dataset: { racer: r.entry.id } },
        // The status goes under the name: the side panel has no room for a sixth column.
        h('th', { scope: 'row', style: { color: RACER_TEXT[r.entry.id] } }, r.entry.label, h('span', { class: 'racer-status note' }, status)),
        h('td', { dataset: { steps: String(s.steps) } }, s.steps.toLocaleString('en-US')),
        h('td', null, fmtDuration(r.ms)),
        h('td', { dataset: { value: p ? String(p[lower]) : '' } }, p ? fmt(p[lower], 3) : '–'),
        state.data === 'nomemory' ? null : h('td', null, p?.accuracy === undefined ? '–' : `${Math.round(100 * p.accuracy)}%`));
    });
    replace(this.tableHost, h('table', { class: 'metrics', id: 'race-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'model'), h('th', { scope: 'col' }, 'steps'), h('th', { scope: 'col' }, 'time'),
        h('th', { scope: 'col' }, state.data === 'nomemory' ? 'val. loss (nats/char)' : 'test MSE'),
        state.data === 'nomemory' ? null : h('th', { scope: 'col', title: 'share of held-out sums answered within ±0.1' }, 'within ±0.1'))),
      h('tbody', null, rows)));
    replace(this.verdict, verdict(race, state));
  }

  #record(gap, race) {
    const res = Object.fromEntries(race.racers.map((r) => [r.entry.id, r.points.at(-1)?.mse ?? NaN]));
    this.byGap.set(gap, res);
    this.#drawGap();
  }

  #drawGap() {
    const gaps = [...this.byGap.keys()].sort((a, b) => a - b);
    this.gapChart.set([gaps, ...['rnn', 'lstm', 'gru'].map((c) => gaps.map((g) => this.byGap.get(g)?.[c] ?? null)), gaps.map(() => GUESS_MSE)]);
    if (!this.sweeping) replace(this.sweepStatus, gaps.length ? `measured at ${gaps.join(', ')}` : 'Each finished race adds its gap here; or race at every gap from 10 to 150 in turn (a few minutes).');
  }

  /**
   * Races at every gap of SWEEP_GAPS in turn (same settings otherwise), filling the error
   * against gap chart. A second press stops it.
   */
  async sweep() {
    if (this.sweeping) {
      this.sweeping.stop = true;
      return;
    }
    const state = this.state;
    const rnn = this.rnn;
    this.sweeping = { stop: false };
    replace(this.sweepButton, 'Stop');
    try {
      for (const gap of SWEEP_GAPS) {
        if (this.sweeping.stop) break;
        replace(this.sweepStatus, `racing at gap ${gap}…`);
        const race = await raceOf({ ...state, gap }, { rnn }).start();
        try {
          await new Promise((resolve) => {
            const check = () => {
              if (this.sweeping?.stop) {
                race.pause();
                resolve(undefined);
              } else if (race.finished && race.racers.every((r) => r.points.at(-1)?.steps === r.session.steps)) resolve(undefined);
            };
            race.on(check);
            race.play();
          });
          if (!this.sweeping.stop) this.#record(gap, race);
        } finally {
          await race.dispose();
        }
      }
    } finally {
      this.sweeping = null;
      replace(this.sweepButton, 'Race at every gap');
      this.#drawGap();
    }
  }

  #raceOptions(width, height) {
    const state = this.state ?? { data: 'gap' };
    const racers = this.trainer?.race.racers ?? [];
    return {
      width, height,
      scales: { x: { time: false }, y: { distr: 3, log: 10 } },
      axes: [axis(this.xAxis === 'time' ? 'training time (s)' : 'training steps'), logAxis(state.data === 'nomemory' ? 'validation loss (nats/char)' : 'test MSE (log scale)')],
      series: [{ label: this.xAxis === 'time' ? 's' : 'step' },
        ...racers.map((r) => ({ label: r.entry.label, stroke: RACER_COLORS[r.entry.id], width: 2, spanGaps: true, points: { show: false }, value: (_u, v) => fmt(v, 3) })),
        ...(state.data === 'nomemory' ? [] : [{ label: 'guessing the mean', stroke: COLORS.baseline, dash: [4, 4], width: 1, points: { show: false }, value: () => fmt(GUESS_MSE, 3) }])],
    };
  }

  #race2Options(width, height) {
    const racers = this.trainer?.race.racers ?? [];
    return {
      width, height,
      scales: { x: { time: false }, y: { distr: 3, log: 10 } },
      axes: [axis('training step'), logAxis('gradient norm, loss (log)')],
      series: [{ label: 'step' },
        ...racers.map((r) => ({ label: `gradient norm, ${r.entry.label}`, stroke: RACER_COLORS[r.entry.id], width: 1.5, points: { show: false }, value: (_u, v) => (v == null ? '–' : v.toExponential(2)) })),
        ...racers.map((r) => ({ label: `loss, ${r.entry.label}`, stroke: RACER_COLORS[r.entry.id], dash: [3, 3], width: 1, points: { show: false }, value: (_u, v) => (v == null ? '–' : v.toExponential(2)) }))],
    };
  }

  #gradOptions(width, height) {
    const racers = (this.trainer?.race.racers ?? []).filter((r) => r.entry.probe);
    return {
      width, height,
      scales: { x: { time: false }, y: { distr: 3, log: 10 } },
      axes: [axis('time step t'), logAxis('‖∂L/∂hₜ‖')],
      series: [{ label: 't' }, ...racers.map((r) => ({ label: r.entry.label, stroke: RACER_COLORS[r.entry.id], width: 2, points: { show: false }, value: (_u, v) => (v == null ? '–' : v.toExponential(2)) }))],
    };
  }

  #gapOptions(width, height) {
    return {
      width, height,
      scales: { x: { time: false }, y: { distr: 3, log: 10 } },
      axes: [axis('gap (sequence length)'), logAxis('test MSE at the end')],
      series: [{ label: 'gap' },
        ...['rnn', 'lstm', 'gru'].map((c) => ({ label: c.toUpperCase(), stroke: RACER_COLORS[c], width: 2, points: { show: true, size: 6 }, value: (_u, v) => fmt(v, 3) })),
        { label: 'guessing the mean', stroke: COLORS.baseline, dash: [4, 4], width: 1, points: { show: false } }],
    };
  }

  destroy() {
    if (this.sweeping) this.sweeping.stop = true;
    this.raceChart.destroy();
    this.race2Chart.destroy();
    this.gradChart.destroy();
    this.gapChart.destroy();
  }
}


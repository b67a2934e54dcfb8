// "Inside the network": for one example, the gate activations, the cell state and the hidden
// state of a layer as heatmaps (units down, time across, aligned with the input above them),
// the trace of one unit, the gradient reaching each step (‖∂L/∂hₜ‖, log scale, per layer) and
// the model unrolled. Fed by Model.inspect() on the training worker, a few times a second at
// most, so training keeps its speed.
import { Heatmap } from './heatmap.js';
import { Chart, axis, logAxis } from './chart.js';
import { drawUnrolled } from './unrolled.js';
import { GATE_INFO, STATE_INFO } from './gateInfo.js';
import { fmt, h, replace } from '../lib/dom.js';

const READOUT_HINT = 'Hover a heatmap (or use the step and unit boxes) to read what the network saw and did there.';
const TRACE_TITLE = 'One unit over time';

/**
 * @typedef {object} Example
 * @property {any} x one sequence, shaped for inspect ([1, T] ids or [1, T, F] values)
 * @property {any} [y] its target, so the gradients are those of the real loss
 * @property {string[]} labels what the network read at each step, for the input strip
 * @property {number[]} [values] the input as numbers (drawn as a line), if it is numeric
 * @property {number[]} [marks] steps to highlight in the input strip
 * @property {string} title e.g. "validation window ending 1939-12"
 */

export class InsidePanel {
  /**
   * @param {HTMLElement} host
   * @param {{onChange: () => void}} hooks called when a choice needs a new inspection
   */
  constructor(host, hooks) {
    this.hooks = hooks;
    this.layer = 0;
    this.order = 'variance';
    this.maxUnits = 16;
    this.hover = { t: -1, unit: -1 };
    /** Whether the traced unit was chosen by the user (hover, or the unit box). */
    this.unitChosen = false;
    /** @type {any} */
    this.inspection = null;
    /** @type {Example | null} */
    this.example = null;
    this.cell = 'lstm';
    this.layerSelect = h('select', { id: 'inside-layer', onchange: () => { this.layer = Number(this.layerSelect.value); this.redraw(); } });
    this.orderSelect = h('select', { id: 'inside-order', onchange: () => { this.order = this.orderSelect.value; this.redraw(); } },
      h('option', { value: 'variance', selected: true }, 'most changing first'), h('option', { value: 'activity' }, 'most active first'), h('option', { value: 'index' }, 'as numbered'));
    this.unitsSelect = h('select', { id: 'inside-units', onchange: () => { this.maxUnits = Number(this.unitsSelect.value); this.redraw(); } },
      [8, 16, 32, 64, 128].map((n) => h('option', { value: String(n), selected: n === 16 }, `${n}`)));
    this.stepInput = h('input', { id: 'inside-step', type: 'range', min: '0', max: '0', value: '0', oninput: () => this.#setHover(Number(this.stepInput.value), this.hover.unit < 0 ? 0 : this.hover.unit) });
    this.unitInput = h('input', { id: 'inside-unit', type: 'number', min: '0', max: '0', value: '0', onchange: () => this.#setHover(Math.max(0, this.hover.t), Number(this.unitInput.value)) });
    this.exampleHost = h('div', { class: 'inside-example' });
    this.strip = /** @type {HTMLCanvasElement} */ (h('canvas', { class: 'input-strip', 'aria-hidden': 'true' }));
    this.maps = h('div', { class: 'maps' });
    this.readout = h('p', { class: 'readout', id: 'inside-readout' }, READOUT_HINT);
    this.traceHost = h('div', { class: 'chart trace' });
    this.gradHost = h('div', { class: 'chart' });
    this.unrolledHost = h('div', { class: 'unrolled-host' });
    this.status = h('span', { class: 'note', id: 'inside-status' });
    replace(host,
      h('div', { class: 'panel-head' }, h('h2', { id: 'inside-title' }, 'Inside the network'), this.status),
      h('div', { class: 'inside-grid' },
        h('div', { class: 'inside-main' },
          this.exampleHost,
          h('div', { class: 'inside-controls' },
            h('label', { for: 'inside-layer' }, 'Layer'), this.layerSelect,
            h('label', { for: 'inside-order' }, 'Units'), this.orderSelect,
            h('label', { for: 'inside-units' }, 'show'), this.unitsSelect,
            h('label', { for: 'inside-step' }, 'Step'), this.stepInput,
            h('label', { for: 'inside-unit' }, 'Unit'), this.unitInput),
          this.strip,
          this.maps,
          this.readout,
          this.traceTitle = h('h3', { id: 'trace-title' }, TRACE_TITLE),
          this.traceHost),
        h('div', { class: 'inside-side' },
          h('h3', null, 'Gradient reaching each step'),
          this.gradHost,
          h('p', { class: 'explain' },
            '‖∂L/∂hₜ‖: how much the loss changes with the hidden state at step t, after backpropagation through time carried the error back from the outputs that feed the loss. ',
            'Each step back multiplies it by the recurrent Jacobian; where that shrinks it, the line falls geometrically (a straight slope on this log scale) and early steps stop learning: the vanishing gradient.'),
          h('h3', null, 'The model, unrolled'),
          this.unrolledHost)));
    this.heatmaps = /** @type {Heatmap[]} */ ([]);
    this.gradChart = new Chart(this.gradHost, (w, hh) => this.#gradOptions(w, hh), 200);
    this.gradSeries = /** @type {string[]} */ ([]);
    this.traceChart = new Chart(this.traceHost, (w, hh) => this.#traceOptions(w, hh), 150);
    this.traceSeries = /** @type {string[]} */ ([]);
    this.ro = new ResizeObserver(() => this.redraw());
    this.ro.observe(this.maps);
    // Scrolled into view: catch up at once rather than at the next periodic refresh.
    this.visible = false;
    this.io = new IntersectionObserver((entries) => {
      const was = this.visible;
      this.visible = entries.some((e) => e.isIntersecting);
      if (this.visible && !was) hooks.onChange();
    }, { rootMargin: '200px' });
    this.io.observe(host);
  }

  /** The control that picks the example (the task provides it). */
  setExampleControl(el) {
    replace(this.exampleHost, el);
  }

  /** Draws the unrolled model (see views/unrolled.js). */
  setUnrolled(u) {
    drawUnrolled(this.unrolledHost, u);
  }

  /**
   * A new inspection of `example` by a model with `cell` cells, after `step` training steps.
   * @param {any} inspection what Model.inspect returned
   * @param {Example} example
   * @param {string} cell
   * @param {number} step
   */
  show(inspection, example, cell, step) {
    const cellChanged = cell !== this.cell || !this.inspection || this.inspection.layers.length !== inspection.layers.length;
    this.inspection = inspection;
    this.example = example;
    this.cell = cell;
    if (cellChanged) {
      this.layer = Math.min(this.layer, inspection.layers.length - 1);
      replace(this.layerSelect, ...inspection.layers.map((_, i) => h('option', { value: String(i), selected: i === this.layer }, `${i + 1}${i === 0 ? ' (bottom)' : i === inspection.layers.length - 1 ? ' (top)' : ''}`)));
      this.heatmaps.forEach((m) => m.remove());
      this.heatmaps = [];
    }
    this.status.dataset.step = String(step);
    replace(this.status, `after ${step.toLocaleString('en-US')} steps · ${example.title}`);
    this.#drawGradients();
    this.redraw();
  }

  /**
   * Clears every view (for a new model or task): nothing of the previous example (its input
   * strip, readout, unit trace, layers) may stay on screen under the next one's controls.
   */
  clear(message) {
    this.inspection = null;
    this.example = null;
    this.views = null;
    this.cell = '';
    this.unitChosen = false;
    this.hover = { t: -1, unit: -1 };
    this.heatmaps.forEach((m) => m.remove());
    this.heatmaps = [];
    replace(this.maps, h('p', { class: 'placeholder' }, message));
    replace(this.status, '');
    delete this.status.dataset.step;
    replace(this.layerSelect);
    for (const input of [this.stepInput, this.unitInput]) {
      /** @type {HTMLInputElement} */ (input).max = '0';
      /** @type {HTMLInputElement} */ (input).value = '0';
    }
    // A canvas is cleared by setting its size.
    this.strip.width = 0;
    this.strip.height = 0;
    this.strip.style.width = '0px';
    this.strip.style.height = '0px';
    replace(this.readout, READOUT_HINT);
    replace(this.traceTitle, TRACE_TITLE);
    this.traceSeries = [];
    this.traceChart.data = [[]];
    this.traceChart.rebuild();
    this.gradChart.set([[], []]);
  }

  #units(layer) {
    const H = layer.hidden;
    const T = layer.h.shape[1];
    const idx = Array.from({ length: H }, (_, i) => i);
    if (this.order !== 'index') {
      const score = new Float64Array(H);
      for (let u = 0; u < H; u++) {
        let s = 0;
        let s2 = 0;
        for (let t = 0; t < T; t++) {
          const v = layer.h.data[t * H + u];
          s += this.order === 'activity' ? Math.abs(v) : v;
          s2 += v * v;
        }
        score[u] = this.order === 'activity' ? s / T : s2 / T - (s / T) ** 2;
      }
      idx.sort((a, b) => score[b] - score[a]);
    }
    return idx.slice(0, this.maxUnits);
  }

  /** Draws the heatmaps and the input strip for the chosen layer. */
  redraw() {
    const ins = this.inspection;
    if (!ins || !this.example) return;
    const layer = ins.layers[this.layer];
    if (!layer) return;
    const H = layer.hidden;
    const T = layer.h.shape[1];
    const names = /** @type {string[]} */ (layer.gates.names);
    const G = names.length;
    const units = this.#units(layer);
    this.units = units;
    // Narrow maps for short sequences (several side by side), one per row for long ones.
    const width = Math.min(Math.max(240, this.maps.clientWidth - 2), Math.max(260, T * 9));
    /** @type {{key: string, info: any, value: (t: number, u: number) => number}[]} */
    const views = [];
    const info = GATE_INFO[this.cell] ?? {};
    names.forEach((g, gi) => {
      if (!info[g]) return;
      views.push({ key: g, info: info[g], value: (t, u) => layer.gates.data[t * G * H + gi * H + u] });
    });
    if (layer.c) views.push({ key: 'c', info: STATE_INFO.c, value: (t, u) => layer.c.data[t * H + u] });
    views.push({ key: 'h', info: STATE_INFO.h, value: (t, u) => layer.h.data[t * H + u] });
    this.views = views;
    if (this.heatmaps.length !== views.length) {
      this.heatmaps.forEach((m) => m.remove());
      replace(this.maps);
      this.heatmaps = views.map((v) => new Heatmap(this.maps, {
        title: v.info.title, explain: v.info.explain, kind: v.info.kind === 'gate' ? 'gate' : 'signed',
        onHover: (t, row) => this.#setHover(t, this.units[row]), onLeave: () => {},
      }));
    }
    views.forEach((v, i) => {
      // tanh quantities keep a fixed scale of ±1; the cell state is scaled to what it reaches.
      this.heatmaps[i].draw(v.value, T, units, width, v.info.kind === 'tanh' ? 1 : 0);
      this.heatmaps[i].el.dataset.gate = v.key;
    });
    this.stripWidth = width;
    this.#drawStrip(width, T);
    this.stepInput.max = String(T - 1);
    this.unitInput.max = String(H - 1);
    if (this.hover.t >= T || this.hover.unit >= H) this.hover = { t: -1, unit: -1 };
    // Until a unit is hovered or picked, trace the first unit shown (the order changes as it
    // trains, so a unit chosen by an earlier order could have left the maps).
    if (this.hover.unit < 0 || !this.unitChosen) this.hover = { t: this.hover.t, unit: units[0] };
    this.#showHover();
  }

  #drawStrip(width, T) {
    const ex = /** @type {Example} */ (this.example);
    const dpr = window.devicePixelRatio || 1;
    const cssH = ex.values ? 36 : 18;
    this.strip.style.width = `${width}px`;
    this.strip.style.height = `${cssH}px`;
    this.strip.width = Math.round(width * dpr);
    this.strip.height = Math.round(cssH * dpr);
    const c = /** @type {CanvasRenderingContext2D} */ (this.strip.getContext('2d'));
    c.scale(dpr, dpr);
    const colW = width / T;
    c.fillStyle = '#333';
    if (ex.values) {
      const v = ex.values;
      const lo = Math.min(...v);
      const hi = Math.max(...v);
      c.strokeStyle = '#3b3b3b';
      c.lineWidth = 1.25;
      c.beginPath();
      v.forEach((x, t) => {
        const px = (t + 0.5) * colW;
        const py = cssH - 4 - ((x - lo) / (hi - lo || 1)) * (cssH - 8);
        if (t === 0) c.moveTo(px, py);
        else c.lineTo(px, py);
      });
      c.stroke();
    } else {
      c.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
      c.textAlign = 'center';
      const every = Math.max(1, Math.ceil(8 / colW));
      ex.labels.forEach((ch, t) => {
        if (t % every) return;
        c.fillText(ch === ' ' ? '·' : ch === '\n' ? '↵' : ch, (t + 0.5) * colW, 13);
      });
    }
    c.fillStyle = 'rgba(213,94,0,0.55)';
    for (const t of ex.marks ?? []) c.fillRect(t * colW, 0, Math.max(2, colW), cssH);
    if (this.hover.t >= 0) {
      c.fillStyle = 'rgba(0,114,178,0.18)';
      c.fillRect(this.hover.t * colW, 0, Math.max(1, colW), cssH);
    }
  }

  #setHover(t, unit) {
    this.hover = { t, unit };
    this.unitChosen = true;
    this.#showHover();
    if (this.inspection && this.example) this.#drawStrip(this.stripWidth, this.inspection.layers[this.layer].h.shape[1]);
  }

  #showHover() {
    const { t, unit } = this.hover;
    for (const m of this.heatmaps) m.mark(t);
    if (unit < 0 || !this.inspection || !this.views) return;
    /** @type {HTMLInputElement} */ (this.unitInput).value = String(unit);
    if (t >= 0) {
      /** @type {HTMLInputElement} */ (this.stepInput).value = String(t);
      const ex = /** @type {Example} */ (this.example);
      const parts = this.views.map((v) => `${v.info.title.split(' ').slice(-1)[0]} ${fmt(v.value(t, unit), 3)}`);
      const label = ex.labels[t] === ' ' ? 'a space' : ex.labels[t] === '\n' ? 'a line break' : `“${ex.labels[t]}”`;
      replace(this.readout, h('strong', null, `Step ${t + 1}`), `: the network read ${label}. Unit ${unit}: ${parts.join(', ')}.`);
    }
    const T = this.inspection.layers[this.layer].h.shape[1];
    const x = Array.from({ length: T }, (_, i) => i + 1);
    const names = this.views.map((v) => v.info.title);
    if (names.join() !== this.traceSeries.join()) {
      this.traceSeries = names;
      this.traceChart.data = [x, ...this.views.map(() => x.map(() => null))];
      this.traceChart.rebuild();
    }
    this.traceChart.set([x, ...this.views.map((v) => x.map((_, i) => v.value(i, unit)))]);
    replace(this.traceTitle, `Unit ${unit} over time (layer ${this.layer + 1})`);
  }

  #traceOptions(width, height) {
    const colors = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#3b3b3b'];
    return {
      width, height,
      scales: { x: { time: false } },
      axes: [axis('step'), axis('value', { size: 44 })],
      series: [{ label: 'step' }, ...this.traceSeries.map((name, i) => ({ label: name, stroke: colors[i % colors.length], width: name.startsWith('hidden') ? 2 : 1.25, points: { show: false }, value: (_u, v) => fmt(v, 3) }))],
      legend: { live: true },
    };
  }

  #drawGradients() {
    const ins = this.inspection;
    const T = ins.layers[0].gradNorm.length;
    const x = Array.from({ length: T }, (_, i) => i + 1);
    const names = ins.layers.map((_, i) => `layer ${i + 1}`);
    if (names.join() !== this.gradSeries.join()) {
      this.gradSeries = names;
      this.gradChart.data = [x, ...names.map(() => x.map(() => null))];
      this.gradChart.rebuild();
    }
    this.gradChart.set([x, ...ins.layers.map((l) => Array.from(l.gradNorm, (v) => (Number.isFinite(v) && v > 0 ? v : null)))]);
  }

  #gradOptions(width, height) {
    const colors = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];
    return {
      width, height,
      scales: { x: { time: false }, y: { distr: 3, log: 10 } },
      axes: [axis('time step t'), logAxis('‖∂L/∂hₜ‖')],
      series: [{ label: 't' }, ...this.gradSeries.map((name, i) => ({ label: name, stroke: colors[i % colors.length], width: 1.75, points: { show: false }, value: (_u, v) => (v == null ? '–' : v.toExponential(2)) }))],
    };
  }

  destroy() {
    this.ro.disconnect();
    this.io.disconnect();
    this.gradChart.destroy();
    this.traceChart.destroy();
  }
}


// Training and validation loss against steps: bucket means with a min–max band (see
// LossLog), validation points joined, optional reference lines (e.g. a text's unigram
// entropy), a log-scale toggle. Redrawn a few times a second at most, whatever the step rate.
import { Chart, COLORS, axis, logAxis } from './chart.js';
import { fmt } from '../lib/dom.js';

export class LossChart {
  /**
   * @param {HTMLElement} host
   * @param {{yLabel: string}} opts
   */
  constructor(host, opts) {
    this.logScale = false;
    /** @type {{label: string, value: number}[]} */
    this.refs = [];
    this.yLabel = opts.yLabel;
    this.chart = new Chart(host, (width, height) => this.#options(width, height), 220);
  }

  #options(width, height) {
    const refSeries = this.refs.map((r) => ({ label: r.label, stroke: COLORS.baseline, width: 1, dash: [4, 4], points: { show: false }, value: (_u, v) => fmt(v) }));
    return {
      width, height,
      scales: { x: { time: false }, y: this.logScale ? { distr: 3, log: 10 } : { auto: true } },
      axes: [axis('training step'), this.logScale ? logAxis(this.yLabel) : axis(this.yLabel, { size: 60 })],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: 'step', value: (_u, v) => (v == null ? '–' : Math.round(v).toLocaleString('en-US')) },
        { label: 'training (min)', stroke: 'transparent', points: { show: false }, value: (_u, v) => fmt(v) },
        { label: 'training (max)', stroke: 'transparent', points: { show: false }, value: (_u, v) => fmt(v) },
        { label: 'training loss', stroke: COLORS.train, width: 1.5, points: { show: false }, value: (_u, v) => fmt(v) },
        { label: 'validation loss', stroke: COLORS.val, width: 2, spanGaps: true, points: { show: true, size: 4 }, value: (_u, v) => fmt(v) },
        ...refSeries,
      ],
      bands: [{ series: [2, 1], fill: COLORS.band }],
    };
  }

  /** Horizontal reference lines (rebuilds the chart when they change). */
  setReferences(refs) {
    const same = refs.length === this.refs.length && refs.every((r, i) => r.label === this.refs[i].label && r.value === this.refs[i].value);
    if (same) return;
    this.refs = refs;
    this.chart.rebuild();
  }

  setLogScale(on) {
    if (on === this.logScale) return;
    this.logScale = on;
    this.chart.rebuild();
  }

  /** @param {import('../train/losslog.js').LossLog} log */
  update(log) {
    const s = log.series();
    const n = s.x.length;
    // A log scale cannot show values <= 0 (an MSE can reach 0 exactly): leave those out.
    const clean = (arr) => arr.map((v) => (Number.isFinite(v) && (!this.logScale || v > 0) ? v : null));
    const data = [s.x, clean(s.lo), clean(s.hi), clean(s.mean), clean(s.val), ...this.refs.map((r) => new Array(n).fill(r.value))];
    this.chart.set(data);
  }

  destroy() {
    this.chart.destroy();
  }
}

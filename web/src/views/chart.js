// A uPlot chart that fills its container and follows its size. Options that uPlot cannot
// change on a live chart (a log scale, the series list) rebuild it; data updates are cheap.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export class Chart {
  /**
   * @param {HTMLElement} host
   * @param {(width: number, height: number) => uPlot.Options} makeOptions
   * @param {number} [height]
   */
  constructor(host, makeOptions, height = 240) {
    this.host = host;
    this.makeOptions = makeOptions;
    this.height = height;
    /** @type {uPlot | null} */
    this.plot = null;
    /** @type {uPlot.AlignedData | null} */
    this.data = null;
    this.observer = new ResizeObserver(() => this.#resize());
    this.observer.observe(host);
  }

  #width() {
    return Math.max(200, Math.floor(this.host.clientWidth));
  }

  #resize() {
    if (!this.plot) return;
    const width = this.#width();
    if (width !== this.plot.width) this.plot.setSize({ width, height: this.height });
  }

  /** Sets the data (creating the chart the first time). */
  set(data) {
    this.data = data;
    if (!this.plot) {
      this.plot = new uPlot(this.makeOptions(this.#width(), this.height), data, this.host);
      return;
    }
    this.plot.setData(data);
  }

  /** Recreates the chart with new options (e.g. a log scale), keeping the data. */
  rebuild() {
    this.plot?.destroy();
    this.plot = null;
    if (this.data) this.set(this.data);
  }

  destroy() {
    this.observer.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}

/** Colour-blind-safe colours (Okabe & Ito), one meaning each across the page. */
export const COLORS = {
  data: '#3b3b3b',
  model: '#0072B2',
  free: '#D55E00',
  future: '#CC79A7',
  train: '#0072B2',
  val: '#E69F00',
  baseline: '#7a7a7a',
  band: 'rgba(0,114,178,0.12)',
  region: 'rgba(230,159,0,0.08)',
};

/** Axis styling shared by every chart. */
export function axis(label, extra = {}) {
  return { label, stroke: '#555', grid: { stroke: '#eee', width: 1 }, ticks: { stroke: '#ddd', width: 1 }, labelSize: 18, labelFont: '12px system-ui, sans-serif', font: '11px system-ui, sans-serif', ...extra };
}

/**
 * A log-scale y axis that labels a handful of powers of ten whatever the range (uPlot's own
 * labels every decade, which crowds out when a run explodes to 1e36).
 * @param {string} label
 */
export function logAxis(label, extra = {}) {
  return axis(label, {
    size: 64,
    // uPlot skips an axis whose decades are closer than `space` pixels; our splits thin them.
    space: 4,
    // ...and finds no step when the range outgrows its list (a loss at 1e36): give it one.
    incrs: Array.from({ length: 121 }, (_, i) => 10 ** (i - 60)),
    splits: (/** @type {any} */ u, /** @type {number} */ i, /** @type {number} */ min, /** @type {number} */ max) => {
      const lo = Math.floor(Math.log10(Math.max(min, 1e-300)));
      const hi = Math.ceil(Math.log10(Math.max(max, 1e-300)));
      const step = Math.max(1, Math.ceil((hi - lo) / 6));
      const out = [];
      for (let e = lo; e <= hi; e += step) out.push(10 ** e);
      return out;
    },
    // Every split chosen above gets its label (uPlot's log filter expects one split a decade).
    filter: (/** @type {any} */ u, /** @type {number[]} */ splits) => splits,
    values: (/** @type {any} */ u, /** @type {number[]} */ vals) => vals.map((v) => (v == null ? '' : v >= 0.01 && v < 1e4 ? String(Number(v.toPrecision(2))) : v.toExponential(0))),
    ...extra,
  });
}

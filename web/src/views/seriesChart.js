// The forecasting view: the whole series, the model's one-step-ahead fit on the training and
// validation parts, its free-running forecast of the validation part (from the split, each
// prediction fed back), and the forecast past the end. The validation part is shaded; prediction
// intervals (the Automatic mode's 80% and 95%) are drawn as bands under the lines.
import uPlot from 'uplot';
import { Chart, COLORS, axis } from './chart.js';
import { fmt } from '../lib/dom.js';

/** The lines' names (the Automatic mode names its own). */
export const LABELS = { oneStep: 'one step ahead', free: 'free-running from the split', future: 'forecast' };

export class SeriesChart {
  /** @param {HTMLElement} host */
  constructor(host) {
    this.units = '';
    this.time = true;
    this.splitX = NaN;
    this.endX = NaN;
    /** @type {{lower: (number|null)[], upper: (number|null)[], color: string}[]} */
    this.bands = [];
    this.labels = LABELS;
    this.host = host;
    this.chart = new Chart(host, (w, h) => this.#options(w, h), 300);
  }

  #options(width, height) {
    const val = (_u, v) => (v == null ? '–' : `${fmt(v)}`);
    return {
      width, height,
      scales: { x: { time: this.time }, y: { range: (/** @type {uPlot} */ u, lo, hi) => this.#yRange(u, lo, hi) } },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      axes: [axis(this.time ? 'date' : 'step'), axis(this.units, { size: 60 })],
      cursor: { drag: { x: true, y: false } },
      series: [
        this.time ? { label: 'date', value: '{YYYY}-{MM}' } : { label: 'step' },
        { label: 'data', stroke: COLORS.data, width: 1.25, points: { show: false }, value: val },
        { label: this.labels.oneStep, stroke: COLORS.model, width: this.labels.oneStep === LABELS.oneStep ? 1.5 : 1, points: { show: false }, value: val },
        { label: this.labels.free, stroke: COLORS.free, width: 1.5, dash: [6, 3], points: { show: false }, value: val },
        { label: this.labels.future, stroke: COLORS.future, width: 2, points: { show: false }, value: val },
      ],
      hooks: {
        drawClear: [(u) => {
          if (!Number.isFinite(this.splitX)) return;
          const { ctx } = u;
          const x0 = u.valToPos(this.splitX, 'x', true);
          const x1 = u.valToPos(this.endX, 'x', true);
          const { top, height: h } = u.bbox;
          ctx.save();
          ctx.fillStyle = COLORS.region;
          ctx.fillRect(x0, top, Math.max(0, x1 - x0), h);
          ctx.fillStyle = '#a06a00';
          ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
          ctx.fillText('validation', x0 + 4 * devicePixelRatio, top + 12 * devicePixelRatio);
          ctx.restore();
          this.#drawBands(u);
        }],
      },
    };
  }

  /** The y range: the lines' and the bands' (uPlot's own range sees only the lines). */
  #yRange(u, lo, hi) {
    for (const b of this.bands) {
      for (const v of b.lower) if (v != null && v < lo) lo = v;
      for (const v of b.upper) if (v != null && v > hi) hi = v;
    }
    if (!(hi > lo)) return [lo - 1, hi + 1];
    const pad = 0.05 * (hi - lo);
    return [lo - pad, hi + pad];
  }

  /** Each band as a filled polygon between its lower and upper values (widest first). */
  #drawBands(u) {
    const x = u.data[0];
    let drawn = 0;
    const { ctx } = u;
    ctx.save();
    for (const b of this.bands) {
      const idx = [];
      for (let i = 0; i < b.lower.length; i++) if (b.lower[i] != null && b.upper[i] != null) idx.push(i);
      if (idx.length < 1) continue;
      ctx.beginPath();
      idx.forEach((i, k) => {
        const px = u.valToPos(/** @type {number} */ (x[i]), 'x', true);
        const py = u.valToPos(/** @type {number} */ (b.upper[i]), 'y', true);
        if (k === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      });
      for (let k = idx.length - 1; k >= 0; k--) {
        const i = idx[k];
        ctx.lineTo(u.valToPos(/** @type {number} */ (x[i]), 'x', true), u.valToPos(/** @type {number} */ (b.lower[i]), 'y', true));
      }
      ctx.closePath();
      ctx.fillStyle = b.color;
      ctx.fill();
      drawn++;
    }
    ctx.restore();
    // For tests and people's tools: how many bands are on the chart now.
    this.host.dataset.bands = String(drawn);
  }

  /**
   * @param {object} d
   * @param {ArrayLike<number>} d.x times (seconds) or indices, data rows then future rows
   * @param {boolean} d.time whether x holds dates
   * @param {string} d.units
   * @param {(number|null)[]} d.actual @param {(number|null)[]} d.oneStep
   * @param {(number|null)[]} d.free @param {(number|null)[]} d.future
   * @param {number} d.splitX x of the first validation row @param {number} d.endX x of the last data row
   * @param {{lower: (number|null)[], upper: (number|null)[], color: string}[]} [d.bands] intervals, drawn widest first
   * @param {typeof LABELS} [d.labels] the lines' names
   */
  update(d) {
    this.bands = d.bands ?? [];
    const labels = d.labels ?? LABELS;
    const rebuild = d.time !== this.time || d.units !== this.units || labels !== this.labels;
    this.labels = labels;
    this.time = d.time;
    this.units = d.units;
    this.splitX = d.splitX;
    this.endX = d.endX;
    if (!this.bands.length) delete this.host.dataset.bands;
    if (rebuild) {
      this.chart.data = [Array.from(d.x), d.actual, d.oneStep, d.free, d.future];
      this.chart.rebuild();
    } else {
      this.chart.set([Array.from(d.x), d.actual, d.oneStep, d.free, d.future]);
    }
  }

  destroy() {
    this.chart.destroy();
  }
}

/**
 * The x positions of `extra` rows after the data: the data's typical spacing continued
 * (calendar months for monthly dates, so they stay on the 1st).
 * @param {Float64Array | null} dates seconds, or null (rows are indices)
 * @param {number} n rows of data
 * @param {number} extra
 */
export function extendAxis(dates, n, extra) {
  const x = new Float64Array(n + extra);
  if (!dates) {
    for (let i = 0; i < x.length; i++) x[i] = i;
    return x;
  }
  x.set(dates);
  const d0 = new Date(dates[n - 1] * 1000);
  const prev = n > 1 ? new Date(dates[n - 2] * 1000) : null;
  const monthStep = prev ? (d0.getUTCFullYear() - prev.getUTCFullYear()) * 12 + d0.getUTCMonth() - prev.getUTCMonth() : 0;
  const calendar = prev && d0.getUTCDate() === prev.getUTCDate() && monthStep > 0;
  const step = n > 1 ? (dates[n - 1] - dates[0]) / (n - 1) : 86400;
  for (let i = 1; i <= extra; i++) {
    x[n - 1 + i] = calendar
      ? Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth() + monthStep * i, d0.getUTCDate()) / 1000
      : dates[n - 1] + step * i;
  }
  return x;
}

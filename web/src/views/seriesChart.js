// The forecasting view: the whole series, the model's one-step-ahead fit on the training and
// validation parts, its free-running forecast of the validation part (from the split, each
// prediction fed back), and the forecast past the end. The validation part is shaded.
import uPlot from 'uplot';
import { Chart, COLORS, axis } from './chart.js';
import { fmt } from '../lib/dom.js';

export class SeriesChart {
  /** @param {HTMLElement} host */
  constructor(host) {
    this.units = '';
    this.time = true;
    this.splitX = NaN;
    this.endX = NaN;
    this.chart = new Chart(host, (w, h) => this.#options(w, h), 300);
  }

  #options(width, height) {
    const val = (_u, v) => (v == null ? '–' : `${fmt(v)}`);
    return {
      width, height,
      scales: { x: { time: this.time } },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      axes: [axis(this.time ? 'date' : 'step'), axis(this.units, { size: 60 })],
      cursor: { drag: { x: true, y: false } },
      series: [
        this.time ? { label: 'date', value: '{YYYY}-{MM}' } : { label: 'step' },
        { label: 'data', stroke: COLORS.data, width: 1.25, points: { show: false }, value: val },
        { label: 'one step ahead', stroke: COLORS.model, width: 1.5, points: { show: false }, value: val },
        { label: 'free-running from the split', stroke: COLORS.free, width: 1.5, dash: [6, 3], points: { show: false }, value: val },
        { label: 'forecast', stroke: COLORS.future, width: 2, points: { show: false }, value: val },
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
        }],
      },
    };
  }

  /**
   * @param {object} d
   * @param {ArrayLike<number>} d.x times (seconds) or indices, data rows then future rows
   * @param {boolean} d.time whether x holds dates
   * @param {string} d.units
   * @param {(number|null)[]} d.actual @param {(number|null)[]} d.oneStep
   * @param {(number|null)[]} d.free @param {(number|null)[]} d.future
   * @param {number} d.splitX x of the first validation row @param {number} d.endX x of the last data row
   */
  update(d) {
    const rebuild = d.time !== this.time || d.units !== this.units;
    this.time = d.time;
    this.units = d.units;
    this.splitX = d.splitX;
    this.endX = d.endX;
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

// One heatmap: units down, time steps across, drawn pixel per value on a canvas and scaled up
// without smoothing. Gate activations use the sequential map on [0, 1]; states use the
// diverging map centred on 0, symmetric around the largest magnitude shown (said in the
// legend). Hovering reports (step, unit); a vertical line marks the step hovered anywhere.
import { MAPS, cssColor } from './colormap.js';
import { fmt, h } from '../lib/dom.js';

export const ROW_PX = 6;

export class Heatmap {
  /**
   * @param {HTMLElement} host
   * @param {{title: string, explain: string, kind: 'gate' | 'signed', onHover: (t: number, row: number) => void, onLeave: () => void}} o
   */
  constructor(host, o) {
    this.kind = o.kind;
    this.canvas = /** @type {HTMLCanvasElement} */ (h('canvas', { class: 'heat', role: 'img', 'aria-label': o.title }));
    this.legend = h('span', { class: 'legend' });
    this.el = h('figure', { class: 'heatmap' },
      h('figcaption', null, h('strong', null, o.title), ' ', this.legend, h('span', { class: 'explain-inline' }, o.explain)),
      this.canvas);
    host.append(this.el);
    this.small = document.createElement('canvas');
    this.cols = 0;
    this.rows = 0;
    this.marked = -1;
    this.canvas.addEventListener('mousemove', (e) => {
      const r = this.canvas.getBoundingClientRect();
      if (!this.cols || !this.rows) return;
      const t = Math.min(this.cols - 1, Math.floor(((e.clientX - r.left) / r.width) * this.cols));
      const row = Math.min(this.rows - 1, Math.floor(((e.clientY - r.top) / r.height) * this.rows));
      o.onHover(t, row);
    });
    this.canvas.addEventListener('mouseleave', () => o.onLeave());
  }

  /**
   * @param {(t: number, unit: number) => number} value
   * @param {number} T steps
   * @param {number[]} units unit indices, in display order
   * @param {number} width CSS pixels
   * @param {number} [fixedScale] for signed maps: the magnitude at the ends of the scale
   *   (0: the largest magnitude drawn)
   */
  draw(value, T, units, width, fixedScale = 0) {
    const rows = units.length;
    this.cols = T;
    this.rows = rows;
    this.small.width = T;
    this.small.height = rows;
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.small.getContext('2d'));
    const img = ctx.createImageData(T, rows);
    let scale = fixedScale || 1;
    if (this.kind === 'signed' && !fixedScale) {
      let m = 0;
      for (let r = 0; r < rows; r++) for (let t = 0; t < T; t++) m = Math.max(m, Math.abs(value(t, units[r])));
      scale = m > 0 ? m : 1;
    }
    const map = this.kind === 'gate' ? MAPS.sequential : MAPS.diverging;
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < T; t++) {
        const v = value(t, units[r]);
        const x = this.kind === 'gate' ? v : 0.5 + v / (2 * scale);
        const k = Math.round(Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0.5)) * 255) * 3;
        const p = (r * T + t) * 4;
        img.data[p] = map[k];
        img.data[p + 1] = map[k + 1];
        img.data[p + 2] = map[k + 2];
        img.data[p + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    const dpr = window.devicePixelRatio || 1;
    const cssH = rows * ROW_PX;
    this.canvas.style.width = `${width}px`;
    this.el.style.setProperty('--map-w', `${width}px`);
    this.canvas.style.height = `${cssH}px`;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(cssH * dpr);
    this.scale = scale;
    this.#paint();
    this.#legend(scale, map);
  }

  #paint() {
    const c = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d'));
    c.imageSmoothingEnabled = false;
    c.clearRect(0, 0, this.canvas.width, this.canvas.height);
    c.drawImage(this.small, 0, 0, this.canvas.width, this.canvas.height);
    if (this.marked >= 0 && this.cols) {
      const w = this.canvas.width / this.cols;
      c.strokeStyle = 'rgba(0,0,0,0.8)';
      c.lineWidth = Math.max(1, (window.devicePixelRatio || 1));
      c.strokeRect(this.marked * w + 0.5, 0.5, Math.max(1, w - 1), this.canvas.height - 1);
    }
  }

  /** Marks a step (or -1 for none). */
  mark(t) {
    if (t === this.marked) return;
    this.marked = t;
    this.#paint();
  }

  #legend(scale, map) {
    const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `${cssColor(map, t)} ${t * 100}%`).join(', ');
    this.legend.replaceChildren(
      h('span', { class: 'legend-end' }, this.kind === 'gate' ? '0' : `−${fmt(scale, 2)}`),
      h('span', { class: 'legend-bar', style: { background: `linear-gradient(to right, ${stops})` } }),
      h('span', { class: 'legend-end' }, this.kind === 'gate' ? '1' : `+${fmt(scale, 2)}`));
  }

  remove() {
    this.el.remove();
  }
}

// The current model unrolled over time, as SVG: one column per time step (a long sequence is
// shown as its first and last steps around an ellipsis), the chosen cell stacked per layer, the
// state passed along (h, and c for an LSTM), the inputs below and the outputs above, with the
// outputs that feed the loss marked. The shape follows the task: many-to-one, many-to-many,
// one-to-many (outputs fed back), encoder-decoder, or one-to-one.
import { h, replace } from '../lib/dom.js';

const CELL_NAMES = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };

/**
 * @typedef {object} Unrolling
 * @property {'many-to-one' | 'many-to-many' | 'one-to-many' | 'one-to-one' | 'encoder-decoder'} shape
 * @property {'rnn' | 'lstm' | 'gru'} cell
 * @property {number} layers
 * @property {string[]} inputs labels of the input steps (all of them; long ones are elided)
 * @property {string[]} [outputs] labels of the decoder's steps (encoder-decoder)
 * @property {string} caption one sentence on what the picture shows
 */

const s = (tag, attrs, ...kids) => h(`svg:${tag}`, attrs, ...kids);

/**
 * @param {HTMLElement} host
 * @param {Unrolling} u
 */
export function drawUnrolled(host, u) {
  const layers = Math.min(u.layers, 3);
  const enc = elide(u.inputs, u.shape === 'encoder-decoder' ? 4 : 6);
  const dec = u.shape === 'encoder-decoder' ? elide(u.outputs ?? [], 4) : [];
  const cols = [...enc.map((c) => ({ ...c, part: 'enc' })), ...dec.map((c) => ({ ...c, part: 'dec' }))];
  const colW = 74;
  const boxW = 46;
  const boxH = 26;
  const rowH = 44;
  const top = 44;
  const W = cols.length * colW + 20;
  const H = top + layers * rowH + 50;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', class: 'unrolled', 'aria-label': u.caption });
  svg.append(s('defs', null, s('marker', { id: 'arr', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '6', markerHeight: '6', orient: 'auto-start-reverse' },
    s('path', { d: 'M0 0L10 5L0 10z', fill: '#555' }))));
  const cx = (i) => 10 + i * colW + colW / 2;
  const cy = (l) => top + (layers - 1 - l) * rowH + boxH / 2;
  const last = cols.length - 1;
  const lossAt = (i) => {
    const c = cols[i];
    if (c.gap) return false;
    switch (u.shape) {
      case 'many-to-one': return i === last;
      case 'one-to-one': return true;
      case 'encoder-decoder': return c.part === 'dec';
      default: return true;
    }
  };
  cols.forEach((c, i) => {
    const x = cx(i);
    if (c.gap) {
      svg.append(s('text', { x, y: cy(0) + 4, 'text-anchor': 'middle', class: 'u-gap' }, '…'));
      return;
    }
    for (let l = 0; l < layers; l++) {
      const y = cy(l);
      svg.append(s('rect', { x: x - boxW / 2, y: y - boxH / 2, width: boxW, height: boxH, rx: 5, class: `u-cell u-${c.part}` }));
      svg.append(s('text', { x, y: y + 4, 'text-anchor': 'middle', class: 'u-cell-label' }, CELL_NAMES[u.cell]));
      // Layer l reads the layer below (or the input).
      const from = l === 0 ? H - 30 : cy(l - 1) - boxH / 2;
      svg.append(s('line', { x1: x, y1: from, x2: x, y2: y + boxH / 2 + 1, class: 'u-arrow', 'marker-end': 'url(#arr)' }));
      // State to the next step (not across the ellipsis' far side).
      const next = cols[i + 1];
      if (next) {
        const x2 = cx(i + 1) - (next.gap ? 14 : boxW / 2) - 1;
        const dashed = next.gap ? '3 3' : undefined;
        const isBridge = c.part === 'enc' && next.part === 'dec';
        svg.append(s('line', { x1: x + boxW / 2, y1: y - (u.cell === 'lstm' ? 5 : 0), x2, y2: y - (u.cell === 'lstm' ? 5 : 0), class: isBridge ? 'u-arrow u-bridge' : 'u-arrow u-h', 'stroke-dasharray': dashed, 'marker-end': 'url(#arr)' }));
        if (u.cell === 'lstm') svg.append(s('line', { x1: x + boxW / 2, y1: y + 6, x2, y2: y + 6, class: 'u-arrow u-c', 'stroke-dasharray': dashed ?? '5 2', 'marker-end': 'url(#arr)' }));
        if (i === 0 && l === layers - 1) {
          svg.append(s('text', { x: x + colW / 2, y: y - (u.cell === 'lstm' ? 9 : 5), 'text-anchor': 'middle', class: 'u-small' }, 'h'));
          if (u.cell === 'lstm') svg.append(s('text', { x: x + colW / 2, y: y + 17, 'text-anchor': 'middle', class: 'u-small u-c-label' }, 'c'));
        }
      }
    }
    // Input label.
    svg.append(s('text', { x, y: H - 16, 'text-anchor': 'middle', class: 'u-input' }, c.label));
    // Output, if this step has one.
    const outputShown = u.shape !== 'many-to-one' || i === last;
    if (outputShown && !(u.shape === 'encoder-decoder' && c.part === 'enc')) {
      const yTop = cy(layers - 1) - boxH / 2;
      svg.append(s('line', { x1: x, y1: yTop - 1, x2: x, y2: 22, class: 'u-arrow', 'marker-end': 'url(#arr)' }));
      svg.append(s('text', { x, y: 16, 'text-anchor': 'middle', class: lossAt(i) ? 'u-out u-loss' : 'u-out' }, 'ŷ'));
      // Generation: the output becomes the next input.
      if ((u.shape === 'one-to-many' || (u.shape === 'encoder-decoder' && c.part === 'dec')) && cols[i + 1] && !cols[i + 1].gap) {
        svg.append(s('path', { d: `M${x + 8} 12 C ${x + colW / 2} 4, ${x + colW / 2} ${H - 4}, ${cx(i + 1) - 8} ${H - 12}`, class: 'u-feedback', 'marker-end': 'url(#arr)' }));
      }
    }
  });
  replace(host, svg, h('p', { class: 'explain' }, u.caption));
}

/** A long list as its first items, a gap marker and its last items. */
function elide(labels, max) {
  const all = labels.map((label) => ({ label: shown(label), gap: false }));
  if (all.length <= max) return all;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return [...all.slice(0, head), { label: '', gap: true }, ...all.slice(all.length - tail)];
}

function shown(label) {
  if (label === ' ') return '␣';
  if (label === '\n') return '↵';
  return label.length > 7 ? `${label.slice(0, 6)}…` : label;
}

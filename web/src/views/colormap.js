// Perceptually uniform, colour-blind-safe colour maps: viridis for values in [0, 1] (gate
// activations) and a blue–white–red diverging map centred on 0 for signed values (states).

const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
// ColorBrewer RdBu (reversed: negative blue, positive red), designed to be colour-blind safe.
const DIVERGING = [[5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240], [247, 247, 247], [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31]];

function lookup(stops, t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** 256-entry RGB tables, so drawing a pixel is one lookup. */
function table(stops) {
  const t = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) t.set(lookup(stops, i / 255), i * 3);
  return t;
}

export const MAPS = { sequential: table(VIRIDIS), diverging: table(DIVERGING) };

/** CSS colour of a value in [0, 1] on a map (for legends). */
export function cssColor(map, t) {
  const i = Math.round(Math.min(1, Math.max(0, t)) * 255) * 3;
  return `rgb(${map[i]},${map[i + 1]},${map[i + 2]})`;
}

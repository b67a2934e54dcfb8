// Dates written as people write them -> ISO 8601 (1987-03-03): a many-to-many task whose
// input and output lengths differ, for an encoder-decoder. Each example is a pure function of
// (seed, index), so training batches and the held-out set are reproducible and never overlap.
import { rng } from '../lib/rng.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ONES = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORD = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'];

function words(n) {
  if (n < 20) return ONES[n];
  return TENS[Math.floor(n / 10)] + (n % 10 ? `-${ONES[n % 10]}` : '');
}

function ordinalWords(n) {
  if (n < 20) return ORD[n];
  if (n % 10 === 0) return `${TENS[n / 10].slice(0, -1)}ieth`;
  return `${TENS[Math.floor(n / 10)]}-${ORD[n % 10]}`;
}

/** A year in words: 1987 -> "nineteen eighty-seven", 2005 -> "two thousand five". */
function yearWords(y) {
  const hi = Math.floor(y / 100);
  const lo = y % 100;
  if (y >= 2000 && y < 2010) return lo ? `two thousand ${words(lo)}` : 'two thousand';
  return `${words(hi)} ${lo === 0 ? 'hundred' : lo < 10 ? `oh ${words(lo)}` : words(lo)}`;
}

function suffix(d) {
  if (d % 10 === 1 && d !== 11) return 'st';
  if (d % 10 === 2 && d !== 12) return 'nd';
  if (d % 10 === 3 && d !== 13) return 'rd';
  return 'th';
}

/** The ways a date is written here; the page reports accuracy per format. */
export const FORMATS = [
  { id: 'dmy', name: '3 March 1987', write: (d, m, y) => `${d} ${MONTHS[m]} ${y}` },
  { id: 'mdy', name: 'March 3, 1987', write: (d, m, y) => `${MONTHS[m]} ${d}, ${y}` },
  { id: 'ord', name: '3rd of march 1987', write: (d, m, y) => `${d}${suffix(d)} of ${MONTHS[m].toLowerCase()} ${y}` },
  { id: 'short', name: 'Tue 3 Mar 1987', write: (d, m, y, wd) => `${DAYS[wd].slice(0, 3)} ${d} ${MONTHS[m].slice(0, 3)} ${y}` },
  { id: 'words', name: 'the third of March, nineteen eighty-seven', write: (d, m, y) => `the ${ordinalWords(d)} of ${MONTHS[m]}, ${yearWords(y)}` },
];

/** Every character an input can contain (plus the space that pads on the left). */
export const SOURCE_SYMBOLS = [...new Set(` ,-0123456789abcdefghijklmnopqrstuvwxyz${MONTHS.join('')}${DAYS.join('')}`)].sort().join('');
/** The output alphabet. */
export const TARGET_SYMBOLS = '-0123456789';
export const TARGET_LENGTH = 10;

/**
 * Example `index` of a stream: a date between 1900 and 2099 in one of the formats.
 * @returns {{text: string, iso: string, format: number}}
 */
export function example(seed, stream, index) {
  const next = rng(seed, stream * 0x1000000 + index);
  const t = Date.UTC(1900, 0, 1) + Math.floor(next() * 73048) * 86400000;
  const date = new Date(t);
  const d = date.getUTCDate();
  const m = date.getUTCMonth();
  const y = date.getUTCFullYear();
  const format = Math.floor(next() * FORMATS.length);
  return { text: FORMATS[format].write(d, m, y, date.getUTCDay()), iso: date.toISOString().slice(0, 10), format };
}

/** Text -> ids over `symbols` (unknown characters dropped and listed). */
export function encode(text, symbols) {
  const ids = [];
  const dropped = new Set();
  for (const ch of text) {
    const i = symbols.indexOf(ch);
    if (i >= 0) ids.push(i);
    else dropped.add(ch);
  }
  return { ids, dropped: [...dropped] };
}

/** Examples as a left-padded source batch [n, S] and a target batch [n, 10]. */
export function batchOf(examples) {
  const src = examples.map((e) => encode(e.text, SOURCE_SYMBOLS).ids);
  const S = Math.max(...src.map((s) => s.length));
  const pad = SOURCE_SYMBOLS.indexOf(' ');
  const x = new Int32Array(examples.length * S).fill(pad);
  const y = new Int32Array(examples.length * TARGET_LENGTH);
  examples.forEach((e, i) => {
    x.set(src[i], i * S + S - src[i].length);
    y.set(encode(e.iso, TARGET_SYMBOLS).ids, i * TARGET_LENGTH);
  });
  return { x: { data: x, shape: [examples.length, S] }, y: { data: y, shape: [examples.length, TARGET_LENGTH] } };
}

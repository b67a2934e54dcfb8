// The two synthetic series, made from the run's seed so a link reproduces them exactly.
import { gaussian, rng } from '../lib/rng.js';

/**
 * @param {'sine' | 'trend'} id
 * @param {number} seed
 * @returns {{values: Float64Array, dates: Float64Array | null}}
 */
export function syntheticSeries(id, seed) {
  const next = rng(seed, 0x5e41e5);
  if (id === 'sine') {
    const n = 1000;
    const values = Float64Array.from({ length: n }, (_, t) =>
      Math.sin((2 * Math.PI * t) / 25) + 0.6 * Math.sin((2 * Math.PI * t) / 60 + 1) + 0.2 * gaussian(next));
    return { values, dates: null };
  }
  // 240 months from January 2000: level 100, +0.5 a month, a 12-month season of amplitude 10.
  const n = 240;
  const values = Float64Array.from({ length: n }, (_, t) =>
    100 + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / 12) + 2 * gaussian(next));
  const dates = Float64Array.from({ length: n }, (_, t) => Date.UTC(2000, t, 1) / 1000);
  return { values, dates };
}

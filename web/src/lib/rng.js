// Seeded randomness for the playground's own choices (batch order, text offsets, synthetic
// series). Every draw is a pure function of (seed, stream, index), so a run depends only on
// its settings and step count, never on when it was paused or how fast the machine is.

/** A 32-bit mix of two integers (splitmix-style finaliser). */
export function hash32(a, b = 0) {
  let h = (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A generator of uniform floats in [0, 1) (mulberry32) started from a seed and a stream id.
 * @param {number} seed
 * @param {number} [stream]
 * @returns {() => number}
 */
export function rng(seed, stream = 0) {
  let s = hash32(seed >>> 0 ^ Math.floor(seed / 0x100000000), stream);
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw from a uniform generator (Box-Muller). */
export function gaussian(next) {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/** Fisher-Yates shuffle of 0..n-1 with its own generator. */
export function permutation(n, next) {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

// A loss curve that stays small and smooth however long training runs: values are averaged
// into at most `maxBuckets` buckets of equal width (a power of two steps); when they fill up,
// neighbours merge and the width doubles. Each bucket keeps its mean, min and max, so the chart
// shows the trend and the spread at 100 or at 1,000,000 steps with the same cost to draw.

export class LossLog {
  /**
   * @param {number} [maxBuckets]
   * @param {number} [start] the step count before the first logged step (a loaded model's)
   */
  constructor(maxBuckets = 1024, start = 0) {
    this.max = maxBuckets;
    this.start = start;
    this.width = 1;
    this.sum = new Float64Array(maxBuckets);
    this.lo = new Float64Array(maxBuckets);
    this.hi = new Float64Array(maxBuckets);
    this.count = new Int32Array(maxBuckets);
    /** Buckets in use (the last may be partly filled). */
    this.used = 0;
    /** Steps logged (not counting `start`). */
    this.steps = 0;
    /** The last value logged. */
    this.last = NaN;
    /** Validation points: step -> loss, sparse. @type {{step: number, loss: number}[]} */
    this.val = [];
  }

  /** Logs the loss of the next step. */
  push(value) {
    let b = Math.floor(this.steps / this.width);
    if (b >= this.max) {
      this.#merge();
      b = Math.floor(this.steps / this.width);
    }
    if (this.count[b] === 0) {
      this.lo[b] = value;
      this.hi[b] = value;
    } else {
      if (value < this.lo[b]) this.lo[b] = value;
      if (value > this.hi[b]) this.hi[b] = value;
    }
    this.sum[b] += value;
    this.count[b]++;
    this.used = b + 1;
    this.steps++;
    this.last = value;
  }

  /** Logs a validation loss measured after `step` steps. */
  pushVal(step, loss) {
    this.val.push({ step, loss });
  }

  #merge() {
    const half = this.max >> 1;
    for (let i = 0; i < half; i++) {
      const a = 2 * i;
      const b = a + 1;
      this.sum[i] = this.sum[a] + this.sum[b];
      this.lo[i] = Math.min(this.lo[a], this.count[b] ? this.lo[b] : Infinity);
      this.hi[i] = Math.max(this.hi[a], this.count[b] ? this.hi[b] : -Infinity);
      this.count[i] = this.count[a] + this.count[b];
    }
    this.sum.fill(0, half);
    this.count.fill(0, half);
    this.width *= 2;
    this.used = half;
  }

  /**
   * Chart data: x = the step at each bucket's end, the bucket means, mins and maxes, and the
   * validation losses on the same x (null where a bucket has none; the latest point wins).
   */
  series() {
    const n = this.used;
    const x = new Array(n);
    const mean = new Array(n);
    const lo = new Array(n);
    const hi = new Array(n);
    const val = new Array(n).fill(null);
    for (let i = 0; i < n; i++) {
      x[i] = this.start + i * this.width + this.count[i];
      mean[i] = this.sum[i] / this.count[i];
      lo[i] = this.lo[i];
      hi[i] = this.hi[i];
    }
    for (const p of this.val) {
      const i = Math.min(n - 1, Math.max(0, Math.ceil((p.step - this.start) / this.width) - 1));
      if (i >= 0) val[i] = p.loss;
    }
    return { x, mean, lo, hi, val };
  }
}

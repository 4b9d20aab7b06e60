// Bound once: inside a vm sandbox (jest), a global lookup per value costs more than the arithmetic.
const finite = Number.isFinite;

/** Count, mean and sample variance of one group, accumulated in one pass (Welford's method). */
export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample variance (n - 1 denominator); 0 when n < 2. */
  variance: number;
}

/** Accumulates a SampleSummary value by value without keeping the values. */
export class SummaryAccumulator {
  private count = 0;
  private mean = 0;
  private m2 = 0;

  /** Adds one finite value; non-finite values are ignored and counted in `skipped`. */
  add(value: number): void {
    if (!finite(value)) {
      this.skipped++;
      return;
    }
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
  }

  /** Values that were not finite numbers (not counted in n). */
  skipped = 0;

  summary(): SampleSummary {
    return { n: this.count, mean: this.count ? this.mean : NaN, variance: this.count > 1 ? this.m2 / (this.count - 1) : 0 };
  }
}

/** Summary of an array of values. */
export function summarize(values: Iterable<number>): SampleSummary {
  const acc = new SummaryAccumulator();
  for (const v of values) acc.add(v);
  return acc.summary();
}

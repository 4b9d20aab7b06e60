/** Per-column standardization (mean 0, std 1) fitted on training rows; stored with the model. */
export interface Normalizer {
  mean: number[];
  std: number[];
}

/** Fits mean and std of each of `width` columns over row-major `values`. Constant columns get std 1. */
export function fitNormalizer(values: Float32Array, width: number): Normalizer {
  const rows = values.length / width;
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let i = 0; i < rows; i++) for (let j = 0; j < width; j++) mean[j] += values[i * width + j];
  for (let j = 0; j < width; j++) mean[j] /= rows;
  for (let i = 0; i < rows; i++) for (let j = 0; j < width; j++) sq[j] += (values[i * width + j] - mean[j]) ** 2;
  const std = Array.from(sq, (s) => Math.sqrt(s / rows));
  return { mean: Array.from(mean), std: std.map((s) => (s > 1e-8 ? s : 1)) };
}

/**
 * Standardized copy of row-major `values` (clipped to ±10 so a far outlier cannot dominate). With `columns`,
 * only those columns are standardized and the others are left 0 (for networks that read a subset).
 */
export function normalize(values: Float32Array, norm: Normalizer, columns?: readonly number[]): Float32Array {
  const width = norm.mean.length;
  const mean = Float64Array.from(norm.mean);
  const std = Float64Array.from(norm.std);
  const used = Int32Array.from(columns ?? mean.keys());
  const out = new Float32Array(values.length);
  if (width === 0) return out;
  // Row by row with typed statistics: scoring standardizes millions of values per night, and a per-element
  // modulo over plain arrays cost more than the network itself.
  for (let row = 0; row + width <= values.length; row += width) {
    for (let c = 0; c < used.length; c++) {
      const j = used[c];
      const z = (values[row + j] - mean[j]) / std[j];
      out[row + j] = z > 10 ? 10 : z < -10 ? -10 : z;
    }
  }
  return out;
}

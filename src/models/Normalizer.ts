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

/** Standardized copy of row-major `values` (clipped to ±10 so a far outlier cannot dominate). */
export function normalize(values: Float32Array, norm: Normalizer): Float32Array {
  const width = norm.mean.length;
  const out = new Float32Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const j = k % width;
    out[k] = Math.max(-10, Math.min(10, (values[k] - norm.mean[j]) / norm.std[j]));
  }
  return out;
}

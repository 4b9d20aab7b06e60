import { reliability, type ReliabilityBin } from './metrics';

/** A fitted map from raw model probabilities to calibrated ones, stored with the model as JSON. */
export type Calibrator =
  | { kind: 'identity' }
  | { kind: 'platt'; a: number; b: number }
  | { kind: 'isotonic'; x: number[]; y: number[] };

const logit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/** Applies a calibrator to one raw probability. */
export function calibrate(calibrator: Calibrator, p: number): number {
  switch (calibrator.kind) {
    case 'identity':
      return p;
    case 'platt':
      return 1 / (1 + Math.exp(-(calibrator.a * logit(p) + calibrator.b)));
    case 'isotonic':
      return interpolate(calibrator.x, calibrator.y, p);
  }
}

/** Applies a calibrator to many raw probabilities. */
export function calibrateAll(calibrator: Calibrator, probs: ArrayLike<number>): Float64Array {
  return Float64Array.from(probs as ArrayLike<number>, (p) => calibrate(calibrator, p));
}

/**
 * Platt scaling: logistic regression of the label on the logit of the raw probability, fitted by
 * Newton's method (with Platt's target smoothing against overconfidence on small validation sets).
 */
export function fitPlatt(probs: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const n = probs.length;
  const positives = Array.from(labels as ArrayLike<number>).reduce((s, v) => s + v, 0);
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (n - positives + 2);
  const z = Array.from(probs as ArrayLike<number>, logit);
  const t = Array.from(labels as ArrayLike<number>, (v) => (v === 1 ? hi : lo));
  const loss = (a: number, b: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const m = a * z[i] + b;
      // log(1 + e^m) - t m, computed stably
      sum += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - t[i] * m;
    }
    return sum;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(a * z[i] + b)));
      const r = p - t[i];
      const w = p * (1 - p);
      ga += r * z[i];
      gb += r;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Backtracking: halve the Newton step until the loss does not rise (plain Newton can diverge).
    let step = 1;
    while (step > 1e-8 && loss(a - step * da, b - step * db) > current) step /= 2;
    if (step <= 1e-8) break;
    a -= step * da;
    b -= step * db;
    const next = loss(a, b);
    const done = current - next < 1e-12;
    current = next;
    if (done) break;
  }
  return { kind: 'platt', a, b };
}

/** Isotonic regression (pool adjacent violators) of labels on raw probabilities; predictions interpolate between blocks. */
export function fitIsotonic(probs: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const order = Array.from({ length: probs.length }, (_, i) => i).sort((a, b) => probs[a] - probs[b]);
  const blocks: { x: number; y: number; w: number }[] = [];
  for (const i of order) {
    blocks.push({ x: probs[i], y: labels[i], w: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].y >= blocks[blocks.length - 1].y) {
      const last = blocks.pop()!;
      const prev = blocks[blocks.length - 1];
      const w = prev.w + last.w;
      prev.x = (prev.x * prev.w + last.x * last.w) / w;
      prev.y = (prev.y * prev.w + last.y * last.w) / w;
      prev.w = w;
    }
  }
  return { kind: 'isotonic', x: blocks.map((b) => b.x), y: blocks.map((b) => b.y) };
}

function interpolate(xs: number[], ys: number[], p: number): number {
  if (p <= xs[0]) return ys[0];
  if (p >= xs[xs.length - 1]) return ys[ys.length - 1];
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= p) lo = mid;
    else hi = mid;
  }
  const span = xs[hi] - xs[lo];
  return span > 0 ? ys[lo] + ((ys[hi] - ys[lo]) * (p - xs[lo])) / span : ys[hi];
}

/** The calibration record stored with a model for its model card. */
export interface CalibrationRecord {
  calibrator: Calibrator;
  /** Reliability diagram of the calibrated probabilities on the validation courses (15 equal-width bins). */
  reliability: ReliabilityBin[];
}

/** Fits the named calibration on validation predictions and records its reliability diagram there. */
export function fitCalibration(kind: 'platt' | 'isotonic', probs: ArrayLike<number>, labels: ArrayLike<number>): CalibrationRecord {
  const calibrator = kind === 'platt' ? fitPlatt(probs, labels) : fitIsotonic(probs, labels);
  return { calibrator, reliability: reliability(calibrateAll(calibrator, probs), labels) };
}

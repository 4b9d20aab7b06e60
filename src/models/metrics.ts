/** Classification metrics for probability predictions against 0/1 labels. */

/** Area under the ROC curve (Mann-Whitney U; tied scores count half). NaN when one class is absent. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error of the probabilities. */
export function brier(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probs.length; i++) sum += (probs[i] - labels[i]) ** 2;
  return sum / probs.length;
}

/** Mean negative log-likelihood (probabilities clipped to [1e-7, 1 - 1e-7]). */
export function logLoss(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, probs[i]));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probs.length;
}

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Reliability diagram with `bins` equal-width bins over [0, 1] (a probability of exactly 1 goes in the last bin). */
export function reliability(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 15): ReliabilityBin[] {
  const count = new Array<number>(bins).fill(0);
  const predicted = new Array<number>(bins).fill(0);
  const observed = new Array<number>(bins).fill(0);
  for (let i = 0; i < probs.length; i++) {
    const b = Math.min(bins - 1, Math.floor(probs[i] * bins));
    count[b]++;
    predicted[b] += probs[i];
    observed[b] += labels[i];
  }
  return count.map((n, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: n,
    meanPredicted: n ? predicted[b] / n : 0,
    observedRate: n ? observed[b] / n : 0,
  }));
}

/** Expected calibration error: the count-weighted mean |observed rate − mean prediction| over equal-width bins (15 by default). */
export function ece(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 15): number {
  return reliability(probs, labels, bins).reduce((sum, bin) => sum + (bin.count * Math.abs(bin.observedRate - bin.meanPredicted)) / probs.length, 0);
}

/** F1 of the positive class when predicting positive at `threshold`. */
export function f1(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < probs.length; i++) {
    const predicted = probs[i] >= threshold;
    if (predicted && labels[i] === 1) tp++;
    else if (predicted) fp++;
    else if (labels[i] === 1) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** The figures reported for a set of predictions. */
export interface Scores {
  auc: number;
  brier: number;
  ece: number;
  f1: number;
  logLoss: number;
}

/** All metrics at once. */
export function score(probs: ArrayLike<number>, labels: ArrayLike<number>): Scores {
  return { auc: auc(probs, labels), brier: brier(probs, labels), ece: ece(probs, labels), f1: f1(probs, labels), logLoss: logLoss(probs, labels) };
}

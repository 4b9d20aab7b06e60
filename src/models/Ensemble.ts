import { auc } from './metrics';

const clamp = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));

/** Averages several models' probabilities on the logit scale (a geometric mean of the odds). */
export function averageLogits(predictions: readonly ArrayLike<number>[]): Float32Array {
  if (predictions.length === 0) throw new RangeError('averageLogits needs at least one prediction set');
  const n = predictions[0].length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (const p of predictions) z += Math.log(clamp(p[i]) / (1 - clamp(p[i])));
    out[i] = 1 / (1 + Math.exp(-z / predictions.length));
  }
  return out;
}

/**
 * Greedy forward selection of ensemble members (Caruana et al.): start from the best single model and
 * add the model that most raises the AUC of the logit average, while it rises. Scores are out-of-fold
 * predictions on the training courses, so the choice never looks at test courses.
 */
export function selectMembers<K extends string>(predictions: ReadonlyMap<K, ArrayLike<number>>, labels: ArrayLike<number>): { members: K[]; auc: number } {
  const kinds = [...predictions.keys()];
  const score = (members: K[]) => auc(averageLogits(members.map((k) => predictions.get(k)!)), labels);
  let members: K[] = [];
  let best = -Infinity;
  for (;;) {
    let next: { kind: K; auc: number } | undefined;
    for (const kind of kinds.filter((k) => !members.includes(k))) {
      const value = score([...members, kind]);
      if (value > (next?.auc ?? best) + 1e-5) next = { kind, auc: value };
    }
    if (!next) break;
    members = [...members, next.kind];
    best = next.auc;
  }
  return { members, auc: best };
}

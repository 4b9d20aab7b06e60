/**
 * Holm–Bonferroni adjusted p-values for a family of m tests (Holm 1979, step-down): sort the raw p-values
 * ascending p(1) ≤ … ≤ p(m); the adjusted value of the i-th smallest is max over j ≤ i of min(1, (m − j + 1)·p(j)).
 * Rejecting every hypothesis whose adjusted p is below α keeps the family-wise error rate (the chance of any false
 * "significant") at most α under any dependence between the tests. Returned in the input order; ties keep order.
 * Same values as R's `p.adjust(p, "holm")`.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`A p-value must be within [0, 1], got ${p}.`);
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

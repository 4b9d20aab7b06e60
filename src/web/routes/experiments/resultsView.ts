import type { ExperimentResults } from '../../../experiments/analyzeExperiment';

function fmt(value: number | null | undefined, digits: number): string {
  if (value == null || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

/** A p-value as the results show it: three decimals, '< 0.001' below that, '—' when there is none. */
export function pText(p: number | null | undefined): string {
  if (p == null || !Number.isFinite(p)) return '—';
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** Digits to show per metric unit. */
const DIGITS: Record<string, number> = { minutes: 1, problems: 2, share: 3, days: 2 };

/** Template data for the results page: formatted numbers, plain-words verdicts. */
export function resultsView(results: ExperimentResults) {
  const labels = new Map(results.groups.map((g) => [g.key, g.label]));
  const totalAssigned = results.groups.reduce((s, g) => s + g.assigned, 0);
  return {
    ...results,
    totalAssigned,
    groups: results.groups.map((g, i) => ({
      ...g,
      sharePercent: (g.share * 100).toFixed(1),
      observedPercent: totalAssigned ? ((g.assigned / totalAssigned) * 100).toFixed(1) : '—',
      expected: fmt(results.srm.expected[i], 0),
    })),
    familyText: `Each arm is compared with control on each of the ${results.metrics.length} outcomes (${results.family.size} tests). To keep the chance of any false "significant" among them at ${Math.round(results.family.alpha * 100)}%, their p-values are Holm–Bonferroni adjusted over all ${results.family.size}, and only an adjusted p-value under ${results.family.alpha} is marked significant.`,
    srmText: results.srm.mismatch
      ? `Sample ratio mismatch: assignment counts are off from the design (chi-square ${results.srm.chiSquare.toFixed(1)}, ${results.srm.df} df, p ${pText(results.srm.pValue)}). Find out why before trusting these results.`
      : `Assignment counts match the design (chi-square ${results.srm.chiSquare.toFixed(2)}, ${results.srm.df} df, p ${pText(results.srm.pValue)}).`,
    metrics: results.metrics.map((m) => {
      const digits = DIGITS[m.unit] ?? 2;
      return {
        ...m,
        rows: m.groups.map((g) => {
          const c = g.vsControl;
          const isControl = g.arm === results.controlArm;
          return {
            arm: g.arm,
            label: labels.get(g.arm) ?? g.arm,
            n: g.summary.n,
            mean: fmt(g.summary.n ? g.summary.mean : null, digits),
            difference: c ? `${c.difference >= 0 ? '+' : ''}${fmt(c.difference, digits)}` : isControl ? 'control' : '—',
            ci: c ? `${fmt(c.ciLow, digits)} to ${fmt(c.ciHigh, digits)}` : '—',
            p: pText(c?.pValue),
            adjustedP: pText(g.adjustedPValue),
            significant: g.significant,
          };
        }),
      };
    }),
  };
}

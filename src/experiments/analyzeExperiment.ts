import { Types } from 'mongoose';
import { dayStart } from '../domain/activity';
import { NotFoundError } from '../errors';
import { Assignment } from '../storage/models/Assignment';
import { Experiment, ExperimentDoc } from '../storage/models/Experiment';
import { ExperimentOutcome } from '../storage/models/ExperimentOutcome';
import { Exposure } from '../storage/models/Exposure';
import { HOLDOUT_ARM } from './assignment';
import { adjustComparisonFamily, ComparisonFamily } from './comparisonFamily';
import { OUTCOME_METRICS, OutcomeMetric } from './learnerOutcome';
import { SampleSummary, SummaryAccumulator } from './statistics/sampleSummary';
import { sampleRatioMismatch, SrmResult } from './statistics/sampleRatioMismatch';
import { welchTest, WelchResult } from './statistics/welchTest';

/** One group of the experiment (an arm or the holdout) with its counts. */
export interface GroupCounts {
  key: string;
  label: string;
  strategy: string | null;
  /** Intended share of assigned learners (holdout included). */
  share: number;
  assigned: number;
  /** Learners shown the widget at least once, and learner-days of exposure. */
  exposedLearners: number;
  exposureDays: number;
}

export interface MetricComparison {
  arm: string;
  summary: SampleSummary;
  /** Against control; null for the control itself, the holdout, or too little data. */
  vsControl: WelchResult | null;
  /** Welch p-value after the Holm–Bonferroni correction over the whole family (see `ExperimentResults.family`); null when vsControl is. */
  adjustedPValue: number | null;
  /** Whether the adjusted p-value is below the family's alpha: the only "significant" the results show. */
  significant: boolean;
}

export interface MetricResult {
  metric: OutcomeMetric;
  label: string;
  unit: string;
  groups: MetricComparison[];
}

/** Everything the results page and the CSV export show. */
export interface ExperimentResults {
  experiment: { id: string; courseId: string; name: string; status: string; holdout: number; stratifyByDropout: boolean; startedAt: Date | null; stoppedAt: Date | null };
  window: { from: string | null; through: string | null };
  outcomesComputedAt: Date | null;
  controlArm: string;
  groups: GroupCounts[];
  optedOut: number;
  srm: SrmResult & { observed: number[]; groups: string[] };
  metrics: MetricResult[];
  /** The multiple-comparison family: every treatment arm against control on every outcome, Holm–Bonferroni adjusted. */
  family: ComparisonFamily;
}

function isoDay(day: number | null | undefined): string | null {
  return day == null ? null : dayStart(day).toISOString().slice(0, 10);
}

/**
 * Analyses an experiment from stored assignments, exposures and outcomes (intention to treat: learners are
 * counted in the arm they were assigned, shown or not): per group n and mean of each outcome, each arm's
 * difference from control with Welch's t-test and its 95% confidence interval, the Welch p-values Holm–Bonferroni
 * adjusted over all arms × outcomes, and the sample-ratio check.
 */
export async function analyzeExperiment(experimentId: string, courseId?: string): Promise<ExperimentResults> {
  const experiment = await Experiment.findOne({ _id: experimentId, ...(courseId ? { courseId } : {}) }).lean<ExperimentDoc>();
  if (!experiment) throw NotFoundError('No such experiment in this course.');
  const id = experiment._id as Types.ObjectId;
  const weightSum = experiment.arms.reduce((s, a) => s + a.weight, 0);
  const groups: GroupCounts[] = experiment.arms.map((a) => ({ key: a.key, label: a.label, strategy: a.strategy, share: ((1 - experiment.holdout) * a.weight) / weightSum, assigned: 0, exposedLearners: 0, exposureDays: 0 }));
  if (experiment.holdout > 0) groups.push({ key: HOLDOUT_ARM, label: 'Holdout (no nudge, not compared)', strategy: null, share: experiment.holdout, assigned: 0, exposedLearners: 0, exposureDays: 0 });
  const groupOf = new Map(groups.map((g) => [g.key, g]));

  const [assignedCounts, exposureDays, exposedLearners] = await Promise.all([
    Assignment.aggregate<{ _id: string; n: number }>([{ $match: { experimentId: id } }, { $group: { _id: '$arm', n: { $sum: 1 } } }]),
    Exposure.aggregate<{ _id: string; n: number }>([{ $match: { experimentId: id } }, { $group: { _id: '$arm', n: { $sum: 1 } } }]),
    Assignment.aggregate<{ _id: string; n: number }>([{ $match: { experimentId: id, exposureDays: { $gt: 0 } } }, { $group: { _id: '$arm', n: { $sum: 1 } } }]),
  ]);
  for (const row of assignedCounts) if (groupOf.has(row._id)) groupOf.get(row._id)!.assigned = row.n;
  for (const row of exposureDays) if (groupOf.has(row._id)) groupOf.get(row._id)!.exposureDays = row.n;
  for (const row of exposedLearners) if (groupOf.has(row._id)) groupOf.get(row._id)!.exposedLearners = row.n;

  const acc = new Map<string, Record<OutcomeMetric, SummaryAccumulator>>();
  for (const g of groups) acc.set(g.key, Object.fromEntries(OUTCOME_METRICS.map((m) => [m.key, new SummaryAccumulator()])) as Record<OutcomeMetric, SummaryAccumulator>);
  const cursor = ExperimentOutcome.find({ experimentId: id }).select({ arm: 1, videoMinutes: 1, assignmentsCompleted: 1, correctRatio: 1, activeDays: 1, dropout: 1 }).lean().cursor({ batchSize: 5000 });
  for await (const row of cursor) {
    const a = acc.get(row.arm);
    if (!a) continue;
    for (const m of OUTCOME_METRICS) {
      const value = row[m.key];
      if (value != null) a[m.key].add(value);
    }
  }

  const control = experiment.arms.find((a) => a.strategy === 'control')?.key ?? experiment.arms[0].key;
  const compared = OUTCOME_METRICS.map((m) => {
    const controlSummary = acc.get(control)![m.key].summary();
    return groups.map((g) => {
      const summary = acc.get(g.key)![m.key].summary();
      const isTreatment = g.key !== control && g.key !== HOLDOUT_ARM;
      return { arm: g.key, summary, vsControl: isTreatment ? welchTest(summary, controlSummary) : null };
    });
  });
  const adjusted = adjustComparisonFamily(compared);
  const metrics: MetricResult[] = OUTCOME_METRICS.map((m, i) => ({ metric: m.key, label: m.label, unit: m.unit, groups: adjusted.rows[i] }));

  const observed = groups.map((g) => g.assigned);
  const srm = { ...sampleRatioMismatch(observed, groups.map((g) => g.share)), observed, groups: groups.map((g) => g.key) };
  return {
    experiment: { id: String(id), courseId: String(experiment.courseId), name: experiment.name, status: experiment.status, holdout: experiment.holdout, stratifyByDropout: experiment.stratifyByDropout, startedAt: experiment.startedAt ?? null, stoppedAt: experiment.stoppedAt ?? null },
    window: { from: isoDay(experiment.startDay), through: isoDay(experiment.outcomesThroughDay) },
    outcomesComputedAt: experiment.outcomesComputedAt ?? null,
    controlArm: control,
    groups,
    optedOut: experiment.optedOutCount ?? 0,
    srm,
    metrics,
    family: adjusted.family,
  };
}

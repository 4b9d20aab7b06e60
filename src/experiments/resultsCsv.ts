import { Types } from 'mongoose';
import { ExperimentOutcome } from '../storage/models/ExperimentOutcome';
import { Learner } from '../storage/models/Learner';
import type { ExperimentResults } from './analyzeExperiment';

/** Quotes a CSV field when it needs it (RFC 4180), and defuses spreadsheet formulas. */
export function csvField(value: string | number | null | undefined): string {
  if (value == null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(fields: Array<string | number | null | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * The results table as CSV: one row per (metric, group) with n, mean, sd, and the comparison with control:
 * the raw Welch p (`p_value`), its Holm–Bonferroni adjusted value over the family of all arms × outcomes
 * (`p_value_holm`) and whether that is below the family's alpha (`significant_holm`).
 */
export function resultsCsv(results: ExperimentResults): string {
  let out = line(['experiment', 'metric', 'group', 'assigned', 'n', 'mean', 'sd', 'difference_vs_control', 'ci95_low', 'ci95_high', 'welch_df', 'p_value', 'p_value_holm', 'significant_holm']);
  const assigned = new Map(results.groups.map((g) => [g.key, g.assigned]));
  for (const metric of results.metrics) {
    for (const g of metric.groups) {
      const c = g.vsControl;
      out += line([results.experiment.name, metric.metric, g.arm, assigned.get(g.arm) ?? 0, g.summary.n, g.summary.n ? g.summary.mean : null, g.summary.n > 1 ? Math.sqrt(g.summary.variance) : null, c?.difference, c?.ciLow, c?.ciHigh, c?.df, c?.pValue, g.adjustedPValue, c ? String(g.significant) : null]);
    }
  }
  return out;
}

/** Per-learner outcomes as CSV rows (pseudonymous ids only), streamed for large courses. */
export async function* outcomesCsv(experimentId: string): AsyncGenerator<string> {
  yield line(['pseudonym', 'arm', 'stratum', 'from_day', 'to_day', 'video_minutes', 'assignments_completed', 'correct_ratio', 'active_days', 'dropout']);
  let batch: Array<{ learnerId: Types.ObjectId; arm: string; stratum: string; fromDay: number; toDay: number; videoMinutes: number; assignmentsCompleted: number; correctRatio?: number | null; activeDays: number; dropout: number }> = [];
  const flush = async () => {
    const names = new Map((await Learner.find({ _id: { $in: batch.map((b) => b.learnerId) } }).select({ pseudonym: 1 }).lean()).map((l) => [String(l._id), l.pseudonym]));
    let chunk = '';
    for (const r of batch) chunk += line([names.get(String(r.learnerId)) ?? '', r.arm, r.stratum, r.fromDay, r.toDay, Number(r.videoMinutes.toFixed(2)), r.assignmentsCompleted, r.correctRatio == null ? null : Number(r.correctRatio.toFixed(4)), r.activeDays, r.dropout]);
    batch = [];
    return chunk;
  };
  for await (const row of ExperimentOutcome.find({ experimentId }).sort({ arm: 1, learnerId: 1 }).lean().cursor({ batchSize: 2000 })) {
    batch.push(row);
    if (batch.length >= 2000) yield await flush();
  }
  if (batch.length) yield await flush();
}

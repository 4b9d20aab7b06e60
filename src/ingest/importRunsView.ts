import { ImportRun } from '../storage/models/ImportRun';

/** What the admin area and the demo page show of one import run (never the raw document). */
export interface ImportRunView {
  id: string;
  source: string;
  format: string;
  status: string;
  startedAt: string;
  period?: string;
  read: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  byCategory: Record<string, number>;
  learners: number;
  days: number;
}

/** The most recent import runs, newest first. */
export async function recentImportRuns(limit = 20): Promise<ImportRunView[]> {
  const runs = await ImportRun.find({}).sort({ startedAt: -1 }).limit(limit).lean();
  return runs.map((r) => ({
    id: String(r._id),
    source: r.source,
    format: r.format,
    status: r.status,
    startedAt: (r.startedAt ?? new Date(0)).toISOString(),
    period: r.period ?? undefined,
    read: r.read ?? 0,
    accepted: r.accepted ?? 0,
    rejected: r.rejected ?? 0,
    rejectedByReason: (r.rejectedByReason ?? {}) as Record<string, number>,
    byCategory: (r.byCategory ?? {}) as Record<string, number>,
    learners: r.learners ?? 0,
    days: r.days ?? 0,
  }));
}

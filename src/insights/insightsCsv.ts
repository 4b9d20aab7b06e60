import type { ContentWeek } from './contentVisits';
import { WEEKDAYS } from './overview/localClock';

/** Charts whose data can be downloaded as CSV. */
export const CSV_CHARTS = ['weekly-active', 'activity-mix', 'heatmap', 'funnel', 'engagement-outcome', 'content-visits', 'clusters', 'design-courses', 'design-importance'] as const;
export type CsvChart = (typeof CSV_CHARTS)[number];

/** The stored insights document as the presenters read it. */
export interface StoredInsight {
  runDate: string;
  overview: {
    weeks: Array<{ week: number; start: string }>;
    weeklyActive: number[];
    mix: Record<string, number[]>;
    heatmapFlat: number[];
    timeZone: string;
    funnel: { enrolled: number; activeThisWeek: number; submittingWork: number; onTrack: number | null };
    pastRuns: Array<{ title: string; thisRun: boolean; bins: Array<{ bin: string; learners: number; completed: number; completionRate: number | null }> }>;
    /** Most and least visited content per calendar week (absent in insights computed before it existed). */
    content?: ContentWeek[];
  };
  clusters: { clusters: Array<{ id: number; label: string; size: number; share: number; dropoutRate: number; profile: Record<string, unknown> }> };
  design: { status: string; others?: Array<{ title: string; thisCourse: boolean; completionRate: number; predicted: number }>; importance?: Array<{ label: string; effectPp: number; intervalPp: [number, number]; sd: number }> };
}

/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180), formula-safe. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: unknown[][]): string {
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** The CSV of one chart's data. */
export function insightCsv(chart: CsvChart, insight: StoredInsight): string {
  const o = insight.overview;
  switch (chart) {
    case 'weekly-active':
      return csv([['week', 'week_start', 'active_learners'], ...o.weeks.map((w, i) => [w.week, w.start, o.weeklyActive[i]])]);
    case 'activity-mix': {
      const categories = Object.keys(o.mix);
      return csv([['week', 'week_start', ...categories], ...o.weeks.map((w, i) => [w.week, w.start, ...categories.map((c) => o.mix[c][i])])]);
    }
    case 'heatmap':
      return csv([[`weekday (${o.timeZone})`, ...Array.from({ length: 24 }, (_, h) => `${h}:00`)], ...WEEKDAYS.map((d, i) => [d, ...o.heatmapFlat.slice(i * 24, i * 24 + 24)])]);
    case 'funnel':
      return csv([['stage', 'learners'], ['enrolled', o.funnel.enrolled], ['active this week', o.funnel.activeThisWeek], ['submitting work', o.funnel.submittingWork], ['on track to pass', o.funnel.onTrack]]);
    case 'engagement-outcome':
      return csv([['run', 'active_days', 'learners', 'completed', 'completion_rate'], ...o.pastRuns.flatMap((r) => r.bins.map((b) => [r.thisRun ? `${r.title} (this run)` : r.title, b.bin, b.learners, b.completed, b.completionRate]))]);
    case 'content-visits':
      return csv([
        ['week_start', 'iso_week', 'list', 'rank', 'content_id', 'content', 'learners', 'events'],
        ...(o.content ?? []).flatMap((w) => (['most', 'least'] as const).flatMap((list) => w[list].map((c, i) => [w.start, w.isoWeek, list, i + 1, c.objectId, c.label, c.learners, c.events]))),
      ]);
    case 'clusters': {
      const list = insight.clusters.clusters ?? [];
      const keys = list.length ? Object.keys(list[0].profile).filter((k) => !Array.isArray(list[0].profile[k])) : [];
      return csv([['cluster', 'label', 'learners', 'share', 'dropout_rate', ...keys], ...list.map((c) => [c.id, c.label, c.size, c.share, c.dropoutRate, ...keys.map((k) => c.profile[k])])]);
    }
    case 'design-courses':
      return csv([['course', 'this_course', 'completion_rate', 'predicted_completion_rate'], ...(insight.design.others ?? []).map((c) => [c.title, c.thisCourse ? 'yes' : 'no', c.completionRate, c.predicted])]);
    case 'design-importance':
      return csv([['feature', 'one_sd', 'completion_change_pp', 'interval_low_pp', 'interval_high_pp'], ...(insight.design.importance ?? []).map((i) => [i.label, i.sd, i.effectPp, i.intervalPp[0], i.intervalPp[1]])]);
  }
}

import type { ActivityCategory } from '../domain/activity';

/** Stable reject reason codes (docs/activity-mapping.md lists what each means). */
export type RejectReason =
  | 'malformed_json'
  | 'not_an_object'
  | 'missing_user'
  | 'anonymous_user'
  | 'missing_course'
  | 'other_course'
  | 'bad_time'
  | 'line_too_long'
  | 'truncated_gzip'
  | 'read_error'
  | 'invalid_statement'
  | 'unsupported_actor'
  | 'bad_row'
  | 'course_not_allowed';

/** The JSON summary an import prints last and stores in `import_runs`. */
export interface ImportSummary {
  read: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  byCategory: Partial<Record<ActivityCategory, number>>;
  learners: number;
  days: number;
}

/** Counters for one import: every record read is either accepted (by category) or rejected (by reason). */
export class ImportStats {
  read = 0;
  accepted = 0;
  rejected = 0;
  /** Contributions already stored before (a replay); their events are accepted but add nothing. */
  duplicates = 0;
  readonly rejectedByReason: Partial<Record<RejectReason, number>> = {};
  readonly byCategory: Partial<Record<ActivityCategory, number>> = {};
  private readonly otherNames = new Map<string, number>();
  private readonly learnerSet = new Set<string>();
  private readonly daySet = new Set<string>();

  reject(reason: RejectReason, count = 1): void {
    this.rejected += count;
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + count;
  }

  /** Accepts one event; `learnerRef`/`day` may be left out when the caller reports learner-days with `noteDay`. */
  accept(category: ActivityCategory, name: string, learnerRef?: string, day?: number, count = 1): void {
    this.accepted += count;
    this.byCategory[category] = (this.byCategory[category] ?? 0) + count;
    if (category === 'other' && this.otherNames.size < 10_000) this.otherNames.set(name, (this.otherNames.get(name) ?? 0) + count);
    if (learnerRef !== undefined && day !== undefined) this.noteDay(learnerRef, day);
  }

  /** Records that a learner was active on a day (distinct learners and learner-days are counted). */
  noteDay(learnerRef: string, day: number): void {
    this.learnerSet.add(learnerRef);
    this.daySet.add(`${learnerRef}|${day}`);
  }

  /** Accepts one daily-count record (one learner-day with counts by category). */
  acceptDay(learnerRef: string, day: number, byCategory: Array<[ActivityCategory, number]>): void {
    this.accepted += 1;
    let any = false;
    for (const [category, n] of byCategory) {
      if (n <= 0) continue;
      any = true;
      this.byCategory[category] = (this.byCategory[category] ?? 0) + n;
    }
    if (!any) return;
    this.learnerSet.add(learnerRef);
    this.daySet.add(`${learnerRef}|${day}`);
  }

  /** Unknown event names counted as `other`, most frequent first. */
  topOtherNames(limit = 50): Array<{ name: string; n: number }> {
    return [...this.otherNames.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([name, n]) => ({ name, n }));
  }

  summary(): ImportSummary {
    return {
      read: this.read,
      accepted: this.accepted,
      rejected: this.rejected,
      rejectedByReason: { ...this.rejectedByReason },
      byCategory: { ...this.byCategory },
      learners: this.learnerSet.size,
      days: this.daySet.size,
    };
  }
}

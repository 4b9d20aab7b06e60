import type { ActivityCategory } from '../domain/activity';
import { isoDay } from './outcomes';

const DAY_MS = 86_400_000;

/** What one written record contributes to its learner-day. */
export interface RecordContribution {
  category: ActivityCategory;
  /** Video seconds closed by this record (pause, seek or stop). */
  videoSeconds?: number;
  /** A graded-or-not answer submission (Open edX server `problem_check`, Canvas `submission_created`). */
  attempted?: boolean;
  correct?: boolean;
}

/** One line of truth_daily.jsonl.gz: one learner on one UTC day. */
export interface DailyTruthRow {
  username: string;
  userId: number;
  canvasUserId: number;
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  /** Days since 1970-01-01 (UTC), as `dayNumber` in src/domain/activity.ts. */
  day: number;
  counts: Partial<Record<ActivityCategory, number>>;
  videoSeconds: number;
  problemsAttempted: number;
  problemsCorrect: number;
  sessions: number;
}

/**
 * Accumulates one learner's written records into per-UTC-day rows. A session counts on the day of
 * its first written record. Records must arrive in time order for the learner.
 */
export class DailyTruth {
  private rows = new Map<number, DailyTruthRow>();
  private lastSession = '';
  events = 0;
  lastEventAt: number | undefined;

  constructor(private readonly learner: { username: string; userId: number; canvasUserId: number }) {}

  add(time: number, session: string, contribution: RecordContribution): void {
    const day = Math.floor(time / DAY_MS);
    let row = this.rows.get(day);
    if (!row) {
      row = { username: this.learner.username, userId: this.learner.userId, canvasUserId: this.learner.canvasUserId, date: isoDay(time), day, counts: {}, videoSeconds: 0, problemsAttempted: 0, problemsCorrect: 0, sessions: 0 };
      this.rows.set(day, row);
    }
    row.counts[contribution.category] = (row.counts[contribution.category] ?? 0) + 1;
    if (contribution.videoSeconds) row.videoSeconds = Math.round((row.videoSeconds + contribution.videoSeconds) * 1000) / 1000;
    if (contribution.attempted) row.problemsAttempted++;
    if (contribution.correct) row.problemsCorrect++;
    if (session !== this.lastSession) {
      row.sessions++;
      this.lastSession = session;
    }
    this.events++;
    this.lastEventAt = time;
  }

  /** The rows in day order. */
  result(): DailyTruthRow[] {
    return [...this.rows.values()].sort((a, b) => a.day - b.day);
  }
}

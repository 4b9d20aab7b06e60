import type { ActivityCategory, DailyActivity } from '../domain/activity';

/** Numeric per-day fields of DailyActivity that can serve as feature channels besides category counts. */
export type MeasureChannel = 'videoSeconds' | 'problemsAttempted' | 'problemsCorrect' | 'sessions' | 'timeOnTask' | 'longestSession';

/** A daily signal the features are computed from: an event category count or a measured quantity. */
export type Channel = ActivityCategory | MeasureChannel;

const MEASURES = new Set<string>(['videoSeconds', 'problemsAttempted', 'problemsCorrect', 'sessions', 'timeOnTask', 'longestSession']);

/** The value of one channel on one day. */
export function channelValue(activity: DailyActivity, channel: Channel): number {
  if (MEASURES.has(channel)) return activity[channel as MeasureChannel] ?? 0;
  return activity.counts[channel as ActivityCategory] ?? 0;
}

/** Total events of a day over every category (the "was active" signal). */
export function dayEvents(activity: DailyActivity): number {
  let total = 0;
  for (const value of Object.values(activity.counts)) total += value ?? 0;
  return total;
}

/** A learner's observation window in UTC day numbers, both ends inclusive. */
export interface Window {
  start: number;
  end: number;
}

/**
 * Dense day-by-channel matrix of a learner's activity inside a window (days without a record are
 * zero activity), plus the total events per day. Index 0 is the window's first day.
 */
export function denseDays(days: readonly DailyActivity[], window: Window, channels: readonly Channel[]): { values: Float64Array[]; totals: Float64Array } {
  const length = window.end - window.start + 1;
  if (!(length > 0)) throw new RangeError(`empty window ${window.start}..${window.end}`);
  const values = channels.map(() => new Float64Array(length));
  const totals = new Float64Array(length);
  for (const activity of days) {
    const index = activity.day - window.start;
    if (index < 0 || index >= length) continue;
    totals[index] += dayEvents(activity);
    channels.forEach((channel, c) => (values[c][index] += channelValue(activity, channel)));
  }
  return { values, totals };
}
